import { describe, expect, it } from 'vitest';
import { ValidationException, checkSessionAudioUri, parseSessionAudioBuckets } from '../../../lambdas/api/index.js';

describe('checkSessionAudioUri', () => {
  const allowed = parseSessionAudioBuckets(' calls , recordings-2026,');

  it('reads the comma-separated bucket list', () => {
    expect(allowed).toEqual(['calls', 'recordings-2026']);
    expect(parseSessionAudioBuckets(undefined)).toEqual([]);
  });

  it('takes an object in an allowed bucket', () => {
    expect(checkSessionAudioUri('s3://calls/2026/12/a.wav', allowed)).toBe('s3://calls/2026/12/a.wav');
  });

  it('refuses other buckets, relative segments, encoded dots and slashes, and backslashes', () => {
    for (const uri of [
      's3://other/a.wav',
      's3://calls.evil/a.wav',
      's3://calls/../other/a.wav',
      's3://calls/a/./b.wav',
      's3://calls/%2e%2e/other/a.wav',
      's3://calls/a%2Fb.wav',
      's3://calls/a\\..\\b.wav',
      'https://calls/a.wav',
      's3://calls/',
    ]) {
      expect(() => checkSessionAudioUri(uri, allowed), uri).toThrow(ValidationException);
    }
    expect(() => checkSessionAudioUri('s3://calls/a.wav', [])).toThrow(ValidationException);
  });
});
