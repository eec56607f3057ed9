import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCEPT_THRESHOLD, decide } from '../../../lambdas/voiceid/index.js';

describe('decide', () => {
  it("accepts at Voice ID's default threshold of 90 and rejects below it, or at a threshold given", () => {
    expect(DEFAULT_ACCEPT_THRESHOLD).toBe(90);
    expect(decide(90)).toBe('ACCEPT');
    expect(decide(89)).toBe('REJECT');
    expect(decide(60, 50)).toBe('ACCEPT');
  });
});
