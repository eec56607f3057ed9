import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/env-names.js';
import { LambdaRegistry } from '../../../lambdas/local/lambda-registry.js';
import { buildTimbreStack, synthesizeTemplate } from '../../../lambdas/local/synthesize.js';
import { TemplateResolver } from '../../../lambdas/local/template-resolver.js';
import { loadModelCard } from '../../../lambdas/voiceprint/index.js';

const ACCOUNT = { region: 'us-east-1', accountId: '000000000000' };

describe('LambdaRegistry layer paths', () => {
  let resolver: TemplateResolver;

  beforeAll(async () => {
    const { stackName, template } = await synthesizeTemplate(buildTimbreStack(), { account: ACCOUNT.accountId, region: ACCOUNT.region });
    resolver = new TemplateResolver(template, { ...ACCOUNT, stackName });
  });

  it("points the API function's inference-layer files at their local twins, which exist and load", () => {
    // Act
    const api = new LambdaRegistry(resolver).all().find((fn) => fn.entry === 'lambdas/handlers/api.ts');
    // Assess
    const card = api!.environment[ENV.MODEL_CARD]!;
    const silero = api!.environment[ENV.SILERO_VAD_MODEL]!;
    expect(card.startsWith('/opt/')).toBe(false);
    expect(silero.startsWith('/opt/')).toBe(false);
    expect(existsSync(silero)).toBe(true);
    expect(loadModelCard(card).id).toBe('timbre-spk-v1');
  });

  it('refuses a function whose environment names a layer file with no local twin', () => {
    expect(() => new LambdaRegistry(resolver, {}, {})).toThrow(/names a layer file that has no local twin/);
  });
});
