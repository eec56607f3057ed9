import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMkv, CONNECT_SAMPLE_RATE_HZ, decodeAudio, resample } from '../../../lambdas/audio/index.js';
import { CallMediaNotFoundError, readCallMedia, type CallMedia, type CallMediaSource } from '../../../lambdas/connect/call-media.js';
import { eventually, startTestKinesisVideo, type TestKinesisVideo } from '../../local/support/local-kinesis-video.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/connect');
const manifest = JSON.parse(readFileSync(resolve(FIXTURES, 'reused-stream.json'), 'utf8')) as {
  contacts: Array<{ contactId: string; fragmentNumbers: string[]; callerSamples: number }>;
};
const [contactA, contactB] = manifest.contacts as [(typeof manifest.contacts)[0], (typeof manifest.contacts)[0]];

/** A caller signal no other track has: sample i is i mod 1000. */
const ramp = (length: number): Int16Array => Int16Array.from({ length }, (_, i) => i % 1000);

async function collect(media: CallMedia): Promise<{ samples: Int16Array; fragments: string[] }> {
  const pieces: Int16Array[] = [];
  const fragments: string[] = [];
  for await (const piece of media) {
    pieces.push(piece.samples);
    if (fragments.at(-1) !== piece.fragmentNumber) fragments.push(piece.fragmentNumber!);
  }
  const samples = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
  pieces.reduce((offset, p) => (samples.set(p, offset), offset + p.length), 0);
  return { samples, fragments };
}

describe('readCallMedia against the local Kinesis Video endpoint', () => {
  let kvs: TestKinesisVideo;
  let reusedArn: string;
  let rampArn: string;
  let pacedArn: string;
  const source = (streamArn: string, startFragmentNumber: string, contactId: string, extra: Partial<CallMediaSource> = {}): CallMediaSource => ({
    kinesisVideo: kvs.control, mediaClientAt: kvs.mediaClientAt, streamArn, startFragmentNumber, contactId, ...extra,
  });

  beforeAll(async () => {
    kvs = await startTestKinesisVideo();
    reusedArn = kvs.server.streams.putStream('reused', readFileSync(resolve(FIXTURES, 'reused-stream.mkv')));
    rampArn = kvs.server.streams.putStream('ramp', connectMkv({ contactId: 'c-ramp', fromCustomer: ramp(8000 * 4), toCustomer: new Int16Array(8000 * 4).fill(-7), firstFragmentNumber: 50n }));
    // Ten seconds at the pace of a live call: a reader that stops early must not wait for the rest.
    pacedArn = kvs.server.streams.putStream('paced', connectMkv({ contactId: 'c-live', fromCustomer: ramp(8000 * 10), firstFragmentNumber: 1n }), { pace: 'realtime' });
  });
  afterAll(() => kvs?.stop());

  it('yields the caller track as PCM, though the track says A_AAC, from the fragment after the start fragment', async () => {
    const media = readCallMedia(source(rampArn, '50', 'c-ramp'));
    const { samples, fragments } = await collect(media);
    expect(fragments).toEqual(['51', '52', '53']);
    expect(samples).toEqual(ramp(8000 * 4).subarray(8000));
    expect(media.end).toBe('end-of-stream');
    expect(media.lastFragmentNumber).toBe('53');
  });

  it('stops at the other contact of a reused stream, and reads the second contact from its own start', async () => {
    const first = readCallMedia(source(reusedArn, contactA.fragmentNumbers[0]!, contactA.contactId));
    const a = await collect(first);
    expect(a.fragments).toEqual(contactA.fragmentNumbers.slice(1));
    expect(a.samples.length).toBe(contactA.callerSamples - CONNECT_SAMPLE_RATE_HZ);
    expect(first.end).toBe('other-contact');
    expect(first.lastFragmentNumber).toBe(contactA.fragmentNumbers.at(-1));
    // The fixture's caller speaks; what the caller hears is a quiet tone (|x| ≤ 2000) that must not leak in.
    expect(Math.max(...a.samples.map(Math.abs))).toBeGreaterThan(2000);

    const second = readCallMedia(source(reusedArn, contactB.fragmentNumbers[0]!, contactB.contactId));
    const b = await collect(second);
    expect(b.fragments).toEqual(contactB.fragmentNumbers.slice(1));
    expect(second.end).toBe('end-of-stream');
  });

  it('releases the server’s stream when the consumer stops early', async () => {
    const media = readCallMedia(source(pacedArn, '1', 'c-live'));
    let pieces = 0;
    for await (const piece of media) {
      expect(piece.fragmentNumber).toBe('2');
      if (++pieces === 3) break;
    }
    expect(media.end).toBe('stopped');
    await eventually(() => kvs.server.streams.openReadCount('paced') === 0, 'the GetMedia response is closed');
  });

  it('stops without an error when its signal aborts mid-stream, releasing the stream', async () => {
    const abort = new AbortController();
    const media = readCallMedia(source(pacedArn, '1', 'c-live', { signal: abort.signal }));
    const seen: string[] = [];
    for await (const piece of media) {
      seen.push(piece.fragmentNumber!);
      if (seen.length === 1) abort.abort();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(media.end).toBe('stopped');
    await eventually(() => kvs.server.streams.openReadCount('paced') === 0, 'the GetMedia response is closed');
  });

  it('raises CallMediaNotFoundError for an unknown stream or start fragment', async () => {
    const unknownStream = 'arn:aws:kinesisvideo:us-east-1:000000000000:stream/connect-contact-nope/1';
    await expect(collect(readCallMedia(source(unknownStream, '1', 'c-1')))).rejects.toBeInstanceOf(CallMediaNotFoundError);
    await expect(collect(readCallMedia(source(rampArn, '999', 'c-ramp')))).rejects.toThrow(/Fragment 999 not found/);
    expect(kvs.server.streams.openReadCount('ramp')).toBe(0);
  });
});

// Real speech from the shared data folder (not in the repository): one FSDD speaker's digits as one call.
const DATA = process.env.TIMBRE_SHARED_DATA ?? resolve(process.cwd(), '../shared/data');
const FSDD = resolve(DATA, 'fsdd/recordings');
const hasData = existsSync(FSDD);
if (!hasData) console.warn(`call-media.test.ts: ${FSDD} is absent (set TIMBRE_SHARED_DATA); skipping the real-speech call`);

describe.skipIf(!hasData)('readCallMedia on a real-speech call (shared data, FSDD)', () => {
  it('returns the caller’s recorded speech sample for sample after the start fragment', async () => {
    const files = readdirSync(FSDD).filter((f) => f.startsWith('0_george_') || f.startsWith('1_george_')).sort().slice(0, 8);
    const pieces = await Promise.all(files.map(async (f) => resample(await decodeAudio(readFileSync(resolve(FSDD, f))), CONNECT_SAMPLE_RATE_HZ).samples));
    const speech = Int16Array.from(pieces.flatMap((p) => [...p]), (s) => Math.max(-32768, Math.min(32767, Math.round(s * 32767))));
    expect(speech.length).toBeGreaterThan(2 * CONNECT_SAMPLE_RATE_HZ);
    const kvs = await startTestKinesisVideo();
    try {
      const streamArn = kvs.server.streams.putStream('real', connectMkv({ contactId: 'c-real', fromCustomer: speech, firstFragmentNumber: 7n }));
      const { samples } = await collect(readCallMedia({ kinesisVideo: kvs.control, mediaClientAt: kvs.mediaClientAt, streamArn, startFragmentNumber: '7', contactId: 'c-real' }));
      expect(samples).toEqual(speech.subarray(CONNECT_SAMPLE_RATE_HZ));
    } finally {
      await kvs.stop();
    }
  });
});
