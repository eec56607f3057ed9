import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DescribeStreamCommand, GetDataEndpointCommand, InvalidArgumentException, KinesisVideoClient, ListStreamsCommand,
  ResourceNotFoundException, type KinesisVideoServiceException,
} from '@aws-sdk/client-kinesis-video';
import {
  GetMediaCommand, InvalidArgumentException as MediaInvalidArgumentException, ResourceNotFoundException as MediaResourceNotFoundException,
  type StartSelector,
} from '@aws-sdk/client-kinesis-video-media';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMkv } from '../../../lambdas/audio/index.js';
import { KvsMediaError, splitFragments } from '../../../lambdas/local/kinesisvideo/fragments.js';
import { localServiceConfig } from '../../support/voiceid-client.js';
import { withEnv } from '../support/with-env.js';
import { KVS_REGION, startTestKinesisVideo, type TestKinesisVideo } from '../support/local-kinesis-video.js';

const FIXTURE = resolve(import.meta.dirname, '../../fixtures/connect/reused-stream.mkv');
const threeSeconds = connectMkv({ contactId: 'c-1', fromCustomer: new Int16Array(24_000).fill(5), firstFragmentNumber: 100n });

async function fragmentNumbersOf(kvs: TestKinesisVideo, streamName: string, selector: StartSelector): Promise<string[]> {
  const { DataEndpoint } = await kvs.control.send(new GetDataEndpointCommand({ StreamName: streamName, APIName: 'GET_MEDIA' }));
  const { Payload, ContentType } = await kvs.mediaClientAt(DataEndpoint!).send(new GetMediaCommand({ StreamName: streamName, StartSelector: selector }));
  expect(ContentType).toBe('video/webm');
  const bytes = await Payload!.transformToByteArray();
  return bytes.length === 0 ? [] : splitFragments(bytes).map((f) => f.number);
}

describe('local Kinesis Video endpoint', () => {
  const waits: number[] = [];
  let kvs: TestKinesisVideo;
  let fixtureArn: string;

  beforeAll(async () => {
    // Realtime pacing goes through this sleep, so the test sees the waits without depending on the clock.
    kvs = await startTestKinesisVideo({ sleep: async (ms) => void waits.push(ms) });
    fixtureArn = kvs.server.streams.putStream('reused', readFileSync(FIXTURE));
    kvs.server.streams.putStream('three-fast', threeSeconds);
    kvs.server.streams.putStream('three-paced', threeSeconds, { pace: 'realtime' });
  });
  afterAll(() => kvs?.stop());

  it('answers GetDataEndpoint with its own URL, by name or ARN, and describes and lists the streams', async () => {
    const byArn = await kvs.control.send(new GetDataEndpointCommand({ StreamARN: fixtureArn, APIName: 'GET_MEDIA' }));
    expect(byArn.DataEndpoint).toBe(kvs.server.endpoint);
    expect(fixtureArn).toMatch(new RegExp(`^arn:aws:kinesisvideo:${KVS_REGION}:000000000000:stream/reused/\\d+$`));
    const { StreamInfo } = await kvs.control.send(new DescribeStreamCommand({ StreamName: 'reused' }));
    expect(StreamInfo).toMatchObject({ StreamName: 'reused', StreamARN: fixtureArn, Status: 'ACTIVE' });
    expect(StreamInfo?.CreationTime).toBeInstanceOf(Date);
    const { StreamInfoList } = await kvs.control.send(new ListStreamsCommand({}));
    expect(StreamInfoList?.map((s) => s.StreamName).sort()).toEqual(['reused', 'three-fast', 'three-paced']);
  });

  it('serves GetMedia from EARLIEST, NOW, and the fragment after a given FRAGMENT_NUMBER', async () => {
    expect(await fragmentNumbersOf(kvs, 'three-fast', { StartSelectorType: 'EARLIEST' })).toEqual(['100', '101', '102']);
    expect(await fragmentNumbersOf(kvs, 'three-fast', { StartSelectorType: 'NOW' })).toEqual(['102']);
    // AWS: "FRAGMENT_NUMBER - Start with the chunk after a specific fragment".
    expect(await fragmentNumbersOf(kvs, 'three-fast', { StartSelectorType: 'FRAGMENT_NUMBER', AfterFragmentNumber: '100' })).toEqual(['101', '102']);
    expect(await fragmentNumbersOf(kvs, 'three-fast', { StartSelectorType: 'FRAGMENT_NUMBER', AfterFragmentNumber: '102' })).toEqual([]);
  });

  it('paces a realtime stream fragment by fragment at the audio timecodes, and a fast one not at all', async () => {
    waits.length = 0;
    expect(await fragmentNumbersOf(kvs, 'three-fast', { StartSelectorType: 'EARLIEST' })).toHaveLength(3);
    expect(waits).toEqual([]);
    expect(await fragmentNumbersOf(kvs, 'three-paced', { StartSelectorType: 'EARLIEST' })).toEqual(['100', '101', '102']);
    expect(waits).toEqual([1000, 1000]);
  });

  it('answers an unknown stream with ResourceNotFoundException on both planes', async () => {
    const missing = 'arn:aws:kinesisvideo:us-east-1:000000000000:stream/nope/1';
    await expect(kvs.control.send(new GetDataEndpointCommand({ StreamARN: missing, APIName: 'GET_MEDIA' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(kvs.control.send(new DescribeStreamCommand({ StreamARN: `${fixtureArn}0` }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const media = kvs.mediaClientAt(kvs.server.endpoint);
    await expect(media.send(new GetMediaCommand({ StreamARN: missing, StartSelector: { StartSelectorType: 'EARLIEST' } }))).rejects.toBeInstanceOf(MediaResourceNotFoundException);
  });

  it('answers an unknown fragment with ResourceNotFoundException and a bad selector with InvalidArgumentException', async () => {
    const media = kvs.mediaClientAt(kvs.server.endpoint);
    const getMedia = (StartSelector: StartSelector) => media.send(new GetMediaCommand({ StreamName: 'three-fast', StartSelector }));
    await expect(getMedia({ StartSelectorType: 'FRAGMENT_NUMBER', AfterFragmentNumber: '99' })).rejects.toBeInstanceOf(MediaResourceNotFoundException);
    await expect(getMedia({ StartSelectorType: 'FRAGMENT_NUMBER', AfterFragmentNumber: 'abc' })).rejects.toBeInstanceOf(MediaInvalidArgumentException);
    await expect(getMedia({ StartSelectorType: 'FRAGMENT_NUMBER' })).rejects.toBeInstanceOf(MediaInvalidArgumentException);
    await expect(getMedia({ StartSelectorType: 'CONTINUATION_TOKEN', ContinuationToken: 'x' })).rejects.toBeInstanceOf(MediaInvalidArgumentException);
    await expect(kvs.control.send(new GetDataEndpointCommand({ StreamName: 'three-fast', StreamARN: fixtureArn, APIName: 'GET_MEDIA' }))).rejects.toBeInstanceOf(InvalidArgumentException);
  });

  it('refuses requests that are unsigned or signed with other credentials', async () => {
    const wrongSecret = new KinesisVideoClient({ region: KVS_REGION, endpoint: kvs.server.endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'guess' }, maxAttempts: 1 });
    const wrongKey = new KinesisVideoClient({ region: KVS_REGION, endpoint: kvs.server.endpoint, credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'S3RVER' }, maxAttempts: 1 });
    const refusal = async (client: KinesisVideoClient): Promise<KinesisVideoServiceException> =>
      client.send(new ListStreamsCommand({})).then(() => expect.fail('accepted'), (error: KinesisVideoServiceException) => error);
    expect((await refusal(wrongSecret)).name).toBe('InvalidSignatureException');
    expect((await refusal(wrongKey)).name).toBe('UnrecognizedClientException');
    expect((await refusal(wrongSecret)).$metadata.httpStatusCode).toBe(403);
    const unsigned = await fetch(`${kvs.server.endpoint}/getMedia`, { method: 'POST', body: JSON.stringify({ StreamName: 'reused', StartSelector: { StartSelectorType: 'EARLIEST' } }) });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    wrongSecret.destroy();
    wrongKey.destroy();
  });

  it('refuses to register bytes that are not KVS fragments, or a bad stream name, keeping the old stream', () => {
    expect(() => kvs.server.streams.putStream('reused', new Uint8Array([9, 9, 9]))).toThrow(KvsMediaError);
    expect(() => kvs.server.streams.putStream('bad/name', threeSeconds)).toThrow(RangeError);
    expect(kvs.server.streams.find({ arn: fixtureArn })?.fragments).toHaveLength(7);
  });
});

describe('the local services’ Kinesis Video endpoint', () => {
  it('is reached through AWS_ENDPOINT_URL_KINESIS_VIDEO, signed, and has no stream the test did not register', async () => {
    const { endpoint, ...config } = localServiceConfig('kinesisvideo');
    // The variable the local services set for the in-process handlers: a client given no endpoint must find it.
    await withEnv('AWS_ENDPOINT_URL_KINESIS_VIDEO', endpoint, async () => {
      const client = new KinesisVideoClient({ ...config, maxAttempts: 1 });
      await expect(client.send(new GetDataEndpointCommand({ StreamName: 'never-registered', APIName: 'GET_MEDIA' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      client.destroy();
    });
  });
});
