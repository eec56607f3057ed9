import { describe, expect, it } from 'vitest';
import {
  DOMAIN_ARN_PATTERN,
  GENERATED_ID_PATTERN,
  UNIQUE_ID_PATTERN,
  domainArn,
  domainIdFromArn,
  isGeneratedId,
  newGeneratedId,
  newUniqueId,
} from '../../../lambdas/voiceid/index.js';

describe('ids', () => {
  it('makes 22-character alphanumeric IDs that differ', () => {
    const ids = Array.from({ length: 200 }, newUniqueId);
    for (const id of ids) expect(id).toMatch(UNIQUE_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes generated IDs of id# plus 22 alphanumerics', () => {
    const id = newGeneratedId();
    expect(id).toHaveLength(25);
    expect(id).toMatch(GENERATED_ID_PATTERN);
    expect(isGeneratedId(id)).toBe(true);
    expect(isGeneratedId('cust-000123')).toBe(false);
  });

  it('builds domain ARNs that match the model pattern and parse back', () => {
    const id = newUniqueId();
    const arn = domainArn({ region: 'eu-west-2', accountId: '123456789012' }, id);
    expect(arn).toBe(`arn:aws:voiceid:eu-west-2:123456789012:domain/${id}`);
    expect(arn).toMatch(DOMAIN_ARN_PATTERN);
    expect(domainIdFromArn(arn)).toBe(id);
  });

  it('finds no domain in ARNs of other resources', () => {
    expect(domainIdFromArn('arn:aws:voiceid:us-east-1:123456789012:watchlist/Ab12Cd34Ef56Gh78Ij90Kl')).toBeUndefined();
    expect(domainIdFromArn('arn:aws:kms:us-east-1:123456789012:key/abc')).toBeUndefined();
  });
});
