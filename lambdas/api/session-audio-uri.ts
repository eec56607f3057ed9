/** PutSessionAudio's S3Uri: only objects in the buckets the stack allows, and no path tricks. */
import { ValidationException } from './errors.js';

/**
 * Checks an `s3://bucket/key` URI against the allowed buckets and returns it unchanged.
 * @throws ValidationException for another bucket, a key with `..` segments or percent-encoded dots or slashes,
 *   backslashes or control characters, or when no bucket is allowed at all
 * @example checkSessionAudioUri('s3://calls/2026/a.wav', ['calls']) // 's3://calls/2026/a.wav'
 */
export function checkSessionAudioUri(uri: string, allowedBuckets: readonly string[]): string {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (match === null) throw new ValidationException('S3Uri must be s3://bucket/key');
  const [, bucket, key] = match as unknown as [string, string, string];
  if (!allowedBuckets.includes(bucket)) throw new ValidationException(`S3Uri must name an object in one of the buckets allowed for session audio`);
  const segments = key.split('/');
  // eslint-disable-next-line no-control-regex
  if (segments.some((s) => s === '..' || s === '.') || /%2e|%2f|%5c|\\|[\u0000-\u001f]/i.test(key)) {
    throw new ValidationException('S3Uri key must not contain relative segments, encoded dots or slashes, or backslashes');
  }
  return uri;
}

/** The allowed buckets from the comma-separated environment value (empty or absent: none). */
export function parseSessionAudioBuckets(value: string | undefined): string[] {
  return (value ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
}
