import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../bin/commands/cli-support.js';
import { resolveModelCardPath } from '../../../bin/commands/model-option.js';

describe('resolveModelCardPath', () => {
  it('prefers --model, then TIMBRE_MODEL_CARD, then models/timbre-default.json', () => {
    const root = mkdtempSync(join(tmpdir(), 'timbre-root-'));
    mkdirSync(join(root, 'models'));
    writeFileSync(join(root, 'models/timbre-default.json'), '{}');
    expect(resolveModelCardPath('a.json', { TIMBRE_MODEL_CARD: 'b.json' }, root)).toBe(resolve('a.json'));
    expect(resolveModelCardPath(undefined, { TIMBRE_MODEL_CARD: 'b.json' }, root)).toBe(resolve('b.json'));
    expect(resolveModelCardPath(undefined, { TIMBRE_MODEL_CARD: '' }, root)).toBe(join(root, 'models/timbre-default.json'));
    expect(resolveModelCardPath(undefined, {}, root)).toBe(join(root, 'models/timbre-default.json'));
  });

  it('says how to choose a model when the default is not installed', () => {
    const root = mkdtempSync(join(tmpdir(), 'timbre-root-'));
    expect(() => resolveModelCardPath(undefined, {}, root)).toThrow(UsageError);
    expect(() => resolveModelCardPath(undefined, {}, root)).toThrow(/pass --model CARD or set TIMBRE_MODEL_CARD/);
  });
});
