import { describe, expect, it } from 'vitest';
import { ManifestError, checkBatchAudio, jobOutput, outputLocation, parseAudioUri, parseManifest } from '../../../../lambdas/voiceid/jobs/index.js';

/** A WAV header (and `dataBytes` of silence) with the given format. */
function wav(options: { format?: number; channels?: number; rate?: number; bits?: number; dataBytes?: number } = {}): Uint8Array {
  const { format = 1, channels = 1, rate = 8000, bits = 16, dataBytes = 16 } = options;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF'); view.setUint32(4, 36 + dataBytes, true); text(8, 'WAVE');
  text(12, 'fmt '); view.setUint32(16, 16, true); view.setUint16(20, format, true); view.setUint16(22, channels, true);
  view.setUint32(24, rate, true); view.setUint32(28, (rate * channels * bits) / 8, true); view.setUint16(32, (channels * bits) / 8, true); view.setUint16(34, bits, true);
  text(36, 'data'); view.setUint32(40, dataBytes, true);
  return bytes;
}

describe('parseManifest', () => {
  const record = (RequestId: string, extra: Record<string, unknown> = {}) => ({ RequestId, SpeakerId: 'cust-1', AudioSpecifications: [{ S3Uri: 's3://calls/a.wav', ChannelId: 0 }], ...extra });
  const manifest = (requests: unknown[], Version: unknown = '1.0') => JSON.stringify({ Version, SpeakerEnrollmentRequests: requests });

  it('reads records in order, accepting S3URI as the docs\' prose spells it', () => {
    const parsed = parseManifest(manifest([record('a'), { RequestId: 'b', SpeakerId: 'c2', AudioSpecifications: [{ S3URI: 's3://calls/b.wav', ChannelId: 1 }] }]), 'ENROLLMENT');
    expect(parsed).toEqual([
      { index: 0, requestId: 'a', speakerId: 'cust-1', audio: [{ s3Uri: 's3://calls/a.wav', channelId: 0 }] },
      { index: 1, requestId: 'b', speakerId: 'c2', audio: [{ s3Uri: 's3://calls/b.wav', channelId: 1 }] },
    ]);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['not an object', '[]', /JSON object/],
    ['a wrong Version', manifest([], '2.0'), /Version "2.0"/],
    ['no request list', JSON.stringify({ Version: '1.0' }), /no SpeakerEnrollmentRequests/],
    ['duplicate RequestIds', manifest([record('a'), record('a')]), /more than once/],
    ['a request without RequestId', manifest([{ SpeakerId: 'x' }]), /no RequestId/],
  ])('fails the whole job for %s', (_what, text, message) => {
    expect(() => parseManifest(text, 'ENROLLMENT')).toThrow(ManifestError);
    expect(() => parseManifest(text, 'ENROLLMENT')).toThrow(message);
  });

  it('fails the whole job past 10,000 speakers or 500 fraudsters', () => {
    expect(() => parseManifest(manifest(Array.from({ length: 10_001 }, (_, i) => record(`r${i}`))), 'ENROLLMENT')).toThrow(/at most 10000/);
    const fraud = JSON.stringify({ Version: '1.0', FraudsterRegistrationRequests: Array.from({ length: 501 }, (_, i) => ({ RequestId: `f${i}`, AudioSpecifications: [] })) });
    expect(() => parseManifest(fraud, 'REGISTRATION')).toThrow(/at most 500/);
  });

  it('marks a record malformed on its own, keeping the rest', () => {
    const parsed = parseManifest(manifest([
      record('generated-id', { SpeakerId: 'id#abcdefghijklmnopqrstuv' }),
      record('eleven-files', { AudioSpecifications: Array.from({ length: 11 }, () => ({ S3Uri: 's3://calls/a.wav', ChannelId: 0 })) }),
      record('channel-2', { AudioSpecifications: [{ S3Uri: 's3://calls/a.wav', ChannelId: 2 }] }),
      record('fine'),
    ]), 'ENROLLMENT');
    expect(parsed.map((r) => [r.requestId, r.invalid === undefined])).toEqual([['generated-id', false], ['eleven-files', false], ['channel-2', false], ['fine', true]]);
    expect(parsed[1]!.invalid).toMatch(/at most 10/);
    expect(parsed[2]!.invalid).toMatch(/ChannelId must be 0 or 1/);
  });
});

describe('parseAudioUri', () => {
  const buckets = new Set(['calls']);
  it.each([
    ['s3://calls/a/b.wav', { bucket: 'calls', key: 'a/b.wav' }],
    ['https://calls/a.wav', { refused: expect.stringMatching(/not a valid S3 URI/) }],
    ['s3://calls', { refused: expect.stringMatching(/not a valid S3 URI/) }],
    ['s3://other/a.wav', { refused: expect.stringMatching(/outside the buckets/) }],
    ['s3://calls/x/../a.wav', { refused: expect.stringMatching(/not allowed/) }],
    ['s3://calls/%2e%2e/a.wav', { refused: expect.stringMatching(/not allowed/) }],
    ['s3://calls/a%2Fb.wav', { refused: expect.stringMatching(/not allowed/) }],
    ['s3://calls/./a.wav', { refused: expect.stringMatching(/not allowed/) }],
    ['s3://arn:aws:s3:::other/a.wav', { refused: expect.stringMatching(/not a valid S3 URI/) }],
  ])('%s', (uri, expected) => {
    expect(parseAudioUri(uri, buckets)).toEqual(expected);
  });
});

describe('checkBatchAudio', () => {
  it('accepts 8 kHz 16-bit PCM with the ChannelId it has', () => {
    expect(checkBatchAudio(wav(), 0)).toBeUndefined();
    expect(checkBatchAudio(wav({ channels: 2 }), 1)).toBeUndefined();
  });
  it.each([
    ['not RIFF', new TextEncoder().encode('hello world, not audio'), 0, /not a RIFF WAV/],
    ['16 kHz', wav({ rate: 16000 }), 0, /16000 Hz/],
    ['8-bit', wav({ bits: 8 }), 0, /8-bit/],
    ['mu-law', wav({ format: 7, bits: 8 }), 0, /not PCM/],
    ['float', wav({ format: 3, bits: 32 }), 0, /not PCM/],
    ['3 channels', wav({ channels: 3 }), 0, /3 channels/],
    ['channel 1 of mono', wav(), 1, /ChannelId 1 does not exist/],
    ['over 20 MB', wav({ dataBytes: 20 * 1024 * 1024 }), 0, /20 MB/],
  ])('refuses %s', (_what, bytes, channel, message) => {
    expect(checkBatchAudio(bytes, channel)).toMatch(message);
  });
});

describe('the output file', () => {
  it('goes to <OutputDataConfig.S3Uri>/<JobId>/<input file name>.out', () => {
    expect(outputLocation({ jobId: 'J', inputS3Uri: 's3://in/dir/input-file.json', outputS3Uri: 's3://output-bucket/output-folder' })).toEqual({ bucket: 'output-bucket', key: 'output-folder/J/input-file.json.out' });
    expect(outputLocation({ jobId: 'J', inputS3Uri: 's3://in/m.json', outputS3Uri: 's3://out/' })).toEqual({ bucket: 'out', key: 'J/m.json.out' });
  });

  it('lists errors and successes in manifest order, with Voice ID\'s members', () => {
    const outcomes = [
      { index: 2, requestId: 'c', ok: true as const, status: 'DUPLICATE_SKIPPED' as const, generatedId: 'id#F', similarityScore: 93 },
      { index: 0, requestId: 'a', ok: false as const, errorCode: 400, errorMessage: 'no speech' },
      { index: 1, requestId: 'b', ok: true as const, status: 'NEW_REGISTRATION' as const, generatedId: 'id#G' },
    ];
    expect(jobOutput({ type: 'REGISTRATION' }, outcomes)).toEqual({
      Version: '1.0',
      Errors: [{ RequestId: 'a', ErrorCode: 400, ErrorMessage: 'no speech' }],
      SuccessfulRegistrations: [
        { RequestId: 'b', GeneratedFraudsterId: 'id#G', RegistrationStatus: 'NEW_REGISTRATION' },
        { RequestId: 'c', GeneratedFraudsterId: 'id#F', RegistrationStatus: 'DUPLICATE_SKIPPED', FraudsterSimilarityScore: 93 },
      ],
    });
  });
});
