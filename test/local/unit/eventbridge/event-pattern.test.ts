import { describe, expect, it } from 'vitest';
import { matchesEventPattern, targetInput } from '../../../../lambdas/local/eventbridge/event-pattern.js';

const event = {
  source: 'aws.s3',
  'detail-type': 'Object Created',
  detail: { bucket: { name: 'batch' }, object: { key: 'jobs/a.json', size: 10 } },
};

describe('matchesEventPattern', () => {
  it('matches exact values, nested objects and suffix rules', () => {
    expect(matchesEventPattern({ source: ['aws.s3'], detail: { bucket: { name: ['batch'] }, object: { key: [{ suffix: '.json' }] } } }, event)).toBe(true);
  });

  it('rejects when one field misses', () => {
    expect(matchesEventPattern({ source: ['aws.s3'], detail: { object: { key: [{ suffix: '.csv' }] } } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { bucket: { name: ['other'] } } }, event)).toBe(false);
  });

  it('supports prefix, exists and anything-but', () => {
    expect(matchesEventPattern({ detail: { object: { key: [{ prefix: 'jobs/' }] } } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { object: { versionId: [{ exists: false }] } } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { object: { versionId: [{ exists: true }] } } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { bucket: { name: [{ 'anything-but': ['batch'] }] } } }, event)).toBe(false);
  });
});

describe('targetInput', () => {
  it('passes the whole event by default and a path with InputPath', () => {
    expect(JSON.parse(targetInput({}, event))).toEqual(event);
    expect(JSON.parse(targetInput({ InputPath: '$.detail.object' }, event))).toEqual(event.detail.object);
  });

  it('fills an InputTransformer template, quoting strings only where the template does not', () => {
    const input = targetInput({ InputTransformer: { InputPathsMap: { key: '$.detail.object.key', size: '$.detail.object.size' }, InputTemplate: '{"manifest": <key>, "bytes": <size>}' } }, event);
    expect(JSON.parse(input)).toEqual({ manifest: 'jobs/a.json', bytes: 10 });
  });
});
