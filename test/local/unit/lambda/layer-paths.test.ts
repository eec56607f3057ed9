import { existsSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../../lib/contract/env-names.js';
import { LAYER_MODEL_CARD_PATH, LAYER_SILERO_VAD_PATH } from '../../../../lib/contract/layer-paths.js';
import { TimbreInferenceLayer } from '../../../../lib/inference-layer.js';
import { InferenceLayerError } from '../../../../lib/inference-layer-files.js';
import { TimbreFunction } from '../../../../lib/timbre-function.js';
import { localLayerPaths } from '../../../../lambdas/local/lambda/layer-paths.js';
import { LambdaRegistry } from '../../../../lambdas/local/lambda/registry.js';
import { buildTimbreStack, synthesizeTemplate, type StackBuilder } from '../../../../lambdas/local/template/synthesize.js';
import { TemplateResolver } from '../../../../lambdas/local/template/resolver.js';
import { loadModelCard } from '../../../../lambdas/voiceprint/index.js';
import { CHOSEN_CARD_FILE, CHOSEN_CARD_ID, makeModelCheckout } from '../../../support/model-checkout.js';

const ACCOUNT = { region: 'us-east-1', accountId: '000000000000' };
const MODEL_RUNNER_ENTRY = 'test/local/support/record-item-handler.ts';

/** A stack whose one function runs a model and nothing else. */
const buildModelRunnerStack: StackBuilder = (app, env) => {
  const stack = new Stack(app, 'ModelRunner', { env });
  new TimbreFunction(stack, 'Runner', { entry: MODEL_RUNNER_ENTRY, serviceName: 'model-runner', inference: true });
  return stack;
};

async function resolverFor(build: StackBuilder): Promise<TemplateResolver> {
  const { stackName, template } = await synthesizeTemplate(build, { account: ACCOUNT.accountId, region: ACCOUNT.region });
  return new TemplateResolver(template, { ...ACCOUNT, stackName });
}

describe('LambdaRegistry layer paths', () => {
  let resolver: TemplateResolver;

  beforeAll(async () => {
    resolver = await resolverFor(buildModelRunnerStack);
  });

  it("points an inference function's layer files at their local twins, which exist and load", () => {
    // Act
    const runner = new LambdaRegistry(resolver).all().find((fn) => fn.entry === MODEL_RUNNER_ENTRY);
    // Assess
    const card = runner!.environment[ENV.MODEL_CARD]!;
    const silero = runner!.environment[ENV.SILERO_VAD_MODEL]!;
    expect(card.startsWith('/opt/')).toBe(false);
    expect(silero.startsWith('/opt/')).toBe(false);
    expect(existsSync(silero)).toBe(true);
    expect(loadModelCard(card).id).toBe('timbre-spk-v1');
  });

  it('has a twin for every model file the layer ships, each an existing file', () => {
    const twins = localLayerPaths();
    expect(Object.keys(twins)).toEqual(expect.arrayContaining([LAYER_MODEL_CARD_PATH, LAYER_SILERO_VAD_PATH]));
    const card = loadModelCard(twins[LAYER_MODEL_CARD_PATH]!);
    expect(Object.values(twins)).toContain(card.onnxPath);
    for (const source of Object.values(twins)) expect(existsSync(source), source).toBe(true);
  });

  it('refuses a function whose environment names a layer file with no local twin', () => {
    expect(() => new LambdaRegistry(resolver, {}, () => ({}))).toThrow(/names a layer file that has no local twin/);
  });

  it('maps the model paths of the functions that run a model to their local twins, and gives the others none', async () => {
    const timbre = await resolverFor(buildTimbreStack());
    const functions = new LambdaRegistry(timbre).all();
    const withModel = ['lambdas/handlers/api.ts', 'lambdas/handlers/batch-record.ts', 'lambdas/handlers/connect-call-audio.ts', 'lambdas/handlers/connect-evaluate.ts', 'lambdas/handlers/connect-start.ts'];
    expect(functions.map((fn) => fn.entry).sort()).toEqual([
      'lambdas/handlers/api.ts', 'lambdas/handlers/batch-finish.ts', 'lambdas/handlers/batch-prepare.ts', 'lambdas/handlers/batch-record.ts',
      'lambdas/handlers/batch-resume.ts', 'lambdas/handlers/batch-upload.ts', 'lambdas/handlers/connect-call-audio.ts',
      'lambdas/handlers/connect-evaluate.ts', 'lambdas/handlers/connect-start.ts', 'lambdas/handlers/domain-reencrypt.ts', 'lambdas/handlers/lifecycle-sweep.ts',
    ]);
    for (const fn of functions) {
      if (withModel.includes(fn.entry)) expect(loadModelCard(fn.environment[ENV.MODEL_CARD]!).id, fn.entry).toBe('timbre-spk-v1');
      else expect(fn.environment[ENV.MODEL_CARD], fn.entry).toBeUndefined();
    }
  });
});

describe('LambdaRegistry layer paths with a chosen speaker model', () => {
  const checkout = makeModelCheckout();
  const chosen = { speakerModelCard: CHOSEN_CARD_FILE, repoRoot: checkout.root };
  afterAll(() => checkout.remove());

  it("maps the chosen card's layer files, and no default card, to the checkout's files", () => {
    const twins = localLayerPaths(chosen);
    expect(twins['/opt/models/tiny-spk.json']).toBe(checkout.path('models/tiny-spk.json'));
    expect(twins['/opt/models/tiny-spk.onnx']).toBe(checkout.path('models/tiny-spk.onnx'));
    expect(twins['/opt/models/tiny-spk.cohort.json']).toBe(checkout.path('models/tiny-spk.cohort.json'));
    expect(twins[LAYER_MODEL_CARD_PATH]).toBeUndefined();
    expect(Object.keys(twins)).toContain(LAYER_SILERO_VAD_PATH);
  });

  it("runs an inference function of a stack that chose the card on the card's local twin", async () => {
    // Prepare
    const build: StackBuilder = (app, env) => {
      const stack = new Stack(app, 'ChosenModelRunner', { env });
      TimbreInferenceLayer.create(stack, chosen);
      new TimbreFunction(stack, 'Runner', { entry: MODEL_RUNNER_ENTRY, serviceName: 'model-runner', inference: true });
      return stack;
    };
    // Act
    const runner = new LambdaRegistry(await resolverFor(build), {}, () => localLayerPaths(chosen)).all().find((fn) => fn.entry === MODEL_RUNNER_ENTRY);
    // Assess
    expect(runner!.environment[ENV.MODEL_CARD]).toBe(checkout.path(CHOSEN_CARD_FILE));
    expect(loadModelCard(runner!.environment[ENV.MODEL_CARD]!).id).toBe(CHOSEN_CARD_ID);
  });

  it("takes the local Timbre stack's card from its builder, and refuses one that is not in models/ before synthesizing", async () => {
    const build = buildTimbreStack(undefined, undefined, 'models/no-such-card.json');
    expect(build.speakerModelCard).toBe('models/no-such-card.json');
    expect(build.cacheKey).not.toEqual(buildTimbreStack().cacheKey);
    await expect(synthesizeTemplate(build, { account: ACCOUNT.accountId, region: ACCOUNT.region })).rejects.toThrow(InferenceLayerError);
  });
});
