import { describe, expect, it } from 'vitest';
import { REQUESTS, SERVED_OPERATIONS, NOT_YET_AVAILABLE_OPERATIONS } from '../../lambdas/api/index.js';
import { timbreTestEnv } from '../support/voiceid-client.js';
import { fuzz } from './fuzz.js';
import { fuzzOperations } from './operations.js';
import { Rng } from './prng.js';
import { formatSummary } from './report.js';
import { RequestFactory, type FuzzContext } from './requests.js';

const CONTEXT: FuzzContext = {
  domainIds: ['a'.repeat(22)],
  watchlistIds: ['b'.repeat(22)],
  resourceArns: [`arn:aws:voiceid:us-east-1:000000000000:domain/${'a'.repeat(22)}`],
  kmsKeyIds: ['alias/k'],
  manifestUris: ['s3://bucket/m.json'],
  outputUri: 's3://bucket/out',
};

describe('fuzz request factory', () => {
  it('derives its operations from SERVED_OPERATIONS, the not-yet-available ones and REQUESTS', () => {
    const names = fuzzOperations().map((op) => op.name);
    expect(names).toEqual(expect.arrayContaining([...SERVED_OPERATIONS, ...NOT_YET_AVAILABLE_OPERATIONS, ...Object.keys(REQUESTS), 'StartSession', 'PutSessionAudio']));
    expect(new Set(names).size).toBe(names.length);
  });

  it('repeats the same requests for the same seed and different ones for another', () => {
    const draw = (seed: number) => {
      const factory = new RequestFactory(new Rng(seed), fuzzOperations(), CONTEXT);
      return Array.from({ length: 50 }, () => factory.next()).map((r) => `${r.target} ${r.mutation} ${r.signing} ${r.body.toString('base64')}`);
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(8)).not.toEqual(draw(7));
  });

  it('puts base64 audio into audio members', () => {
    const factory = new RequestFactory(new Rng(1), fuzzOperations().filter((op) => op.name === 'PutSessionAudio'), CONTEXT);
    const audio = Array.from({ length: 100 }, () => factory.next())
      .filter((r) => r.mutation === 'valid')
      .map((r) => (JSON.parse(r.body.toString('utf8')) as { Audio?: string }).Audio)
      .filter((a): a is string => a !== undefined);
    expect(audio.length).toBeGreaterThan(0);
    const headers = new Set(audio.map((a) => Buffer.from(a, 'base64').subarray(0, 4).toString('latin1')));
    expect(headers.has('RIFF')).toBe(true);
  });
});

describe('fuzzing the local Timbre', () => {
  it('answers 500 seeded fuzz requests with no 5xx but 501, typed error bodies under 64 KB, no hang, and still serves DescribeDomain', { timeout: 180_000 }, async () => {
    // Act
    const summary = await fuzz(timbreTestEnv(), { seed: 1, requests: 500, concurrency: 6 });

    // Assess
    expect(summary.failures, formatSummary(summary, 1)).toEqual([]);
    expect(summary.requests).toBe(500);
    // The run reached the operations, the validators and the signature check; every operation is served now.
    expect(Object.keys(summary.byStatus)).toEqual(expect.arrayContaining(['200', '400', '403', '404']));
    expect(summary.byStatus['501']).toBeUndefined();
  });
});
