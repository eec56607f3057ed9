import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sileroModelPath } from '../../../../lambdas/speech/silero-model-file.js';
import { synthInputFiles, templateCacheKey } from '../../../../lambdas/local/template/cache.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');

describe('synthInputFiles', () => {
  const files = synthInputFiles();

  it('lists the lib/ sources and the lambdas/ modules they import', () => {
    expect(files).toEqual(expect.arrayContaining([
      join(REPO_ROOT, 'lib/timbre-stack.ts'),
      join(REPO_ROOT, 'lib/contract/env-names.ts'),
      join(REPO_ROOT, 'lambdas/voiceprint/model-card.ts'),
      join(REPO_ROOT, 'lambdas/voiceprint/default-model.ts'),
    ]));
  });

  it('lists the model card, its ONNX file and the Silero VAD model the inference layer ships', () => {
    expect(files).toEqual(expect.arrayContaining([
      join(REPO_ROOT, 'models/timbre-default.json'),
      join(REPO_ROOT, 'models/timbre-default.onnx'),
      sileroModelPath(),
    ]));
  });

  it("lists aws-cdk-lib's manifest, so a CDK upgrade changes the key", () => {
    expect(files).toContain(join(REPO_ROOT, 'node_modules/aws-cdk-lib/package.json'));
  });
});

describe('templateCacheKey', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timbre-cache-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const card = join(dir, 'card.json');
  const onnx = join(dir, 'model.onnx');
  writeFileSync(card, '{"id":"a"}');
  writeFileSync(onnx, 'weights');

  it('is the same for the same bytes and inputs, whatever the order of the files', () => {
    expect(templateCacheKey([card, onnx], { quotas: null }, dir)).toBe(templateCacheKey([onnx, card], { quotas: null }, dir));
  });

  it("changes when one file's bytes change", () => {
    const before = templateCacheKey([card, onnx], {}, dir);
    writeFileSync(card, '{"id":"b"}');
    expect(templateCacheKey([card, onnx], {}, dir)).not.toBe(before);
  });

  it('changes with the synth inputs', () => {
    expect(templateCacheKey([card], { quotas: '{"domainsPerRegion":1}' }, dir)).not.toBe(templateCacheKey([card], { quotas: null }, dir));
  });
});
