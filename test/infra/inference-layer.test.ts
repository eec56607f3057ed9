import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/contract/env-names.js';
import { LAYER_CM_CARD_PATH, LAYER_MODEL_CARD_PATH, LAYER_SILERO_VAD_PATH } from '../../lib/contract/layer-paths.js';
import { bundleInferenceLayer, TimbreInferenceLayer } from '../../lib/inference-layer.js';
import { InferenceLayerError, inferenceLayerInputs, layerModels } from '../../lib/inference-layer-files.js';
import { TimbreFunction } from '../../lib/timbre-function.js';
import { TimbreStack } from '../../lib/timbre-stack.js';
import { DEFAULT_CM_CARD_FILE } from '../../lambdas/antispoof/default-model.js';
import { SILERO_VAD_V6_2_SHA256, sileroModelPath } from '../../lambdas/speech/silero-model-file.js';
import { DEFAULT_MODEL_CARD_FILE } from '../../lambdas/voiceprint/default-model.js';
import { loadModelCard } from '../../lambdas/voiceprint/model-card.js';
import { CHOSEN_CARD_FILE, CHOSEN_CARD_ID, makeModelCheckout } from '../support/model-checkout.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const ENV_OF_TEST = { account: '111122223333', region: 'eu-west-2' };
/** Lambda's limit on a function plus its layers, unzipped. */
const LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

/** Every file under `dir`, as paths relative to it with '/' separators, and their total size. */
function walk(dir: string): { files: string[]; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.push(relative(dir, path).split(sep).join('/'));
    bytes += statSync(path).size;
  }
  return { files, bytes };
}

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Lambda functions of `template` whose handler entry is `entry`. */
function functionsWithEntry(template: Template, entry: string): Array<{ Properties: Record<string, any> }> {
  return Object.values(template.findResources('AWS::Lambda::Function', { Metadata: { 'timbre:entry': entry } })) as Array<{ Properties: Record<string, any> }>;
}

describe('TimbreInferenceLayer in the Timbre stack', () => {
  let template: Template;

  beforeAll(() => {
    // Bundling skipped, as in the local mode and the other template tests.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    template = Template.fromStack(new TimbreStack(app, 'Timbre', { env: ENV_OF_TEST }));
  });

  it('has one layer, carried by the functions that run a model: the API (sessions), the Connect Lambdas and the batch record step', () => {
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    for (const entry of ['lambdas/handlers/api.ts', 'lambdas/handlers/connect-start.ts', 'lambdas/handlers/connect-evaluate.ts', 'lambdas/handlers/connect-call-audio.ts', 'lambdas/handlers/batch-record.ts']) {
      expect(functionsWithEntry(template, entry)[0]!.Properties.Layers, entry).toHaveLength(1);
    }
    for (const entry of ['lambdas/handlers/batch-upload.ts', 'lambdas/handlers/batch-prepare.ts', 'lambdas/handlers/batch-finish.ts', 'lambdas/handlers/batch-resume.ts', 'lambdas/handlers/lifecycle-sweep.ts', 'lambdas/handlers/domain-reencrypt.ts']) {
      expect(functionsWithEntry(template, entry)[0]!.Properties.Layers, entry).toBeUndefined();
    }
  });

  it('gives the API function the layer and the model paths into it', () => {
    const api = functionsWithEntry(template, 'lambdas/handlers/api.ts');
    expect(api).toHaveLength(1);
    expect(api[0]!.Properties.Layers).toHaveLength(1);
    expect(api[0]!.Properties.Environment.Variables[ENV.MODEL_CARD]).toBe(LAYER_MODEL_CARD_PATH);
    expect(api[0]!.Properties.Environment.Variables[ENV.SILERO_VAD_MODEL]).toBe(LAYER_SILERO_VAD_PATH);
  });

  it('leaves the lifecycle sweep, which runs no model, without the layer', () => {
    const sweep = functionsWithEntry(template, 'lambdas/handlers/lifecycle-sweep.ts');
    expect(sweep).toHaveLength(1);
    expect(sweep[0]!.Properties.Layers).toBeUndefined();
  });
});

describe('TimbreFunction with inference: true', () => {
  let template: Template;
  let layerId: string;

  beforeAll(() => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'ModelRunners', { env: ENV_OF_TEST });
    new TimbreFunction(stack, 'Scorer', { entry: 'lambdas/handlers/api.ts', serviceName: 'scorer', inference: true });
    new TimbreFunction(stack, 'Detector', { entry: 'lambdas/handlers/lifecycle-sweep.ts', serviceName: 'detector', inference: true });
    new TimbreFunction(stack, 'Plain', { entry: 'test/local/support/record-item-handler.ts', serviceName: 'plain' });
    template = Template.fromStack(stack);
    const layers = Object.keys(template.findResources('AWS::Lambda::LayerVersion'));
    expect(layers).toHaveLength(1);
    layerId = layers[0]!;
  });

  it('builds one Node 22, x86_64 layer for the stack whose description names the shipped model id', () => {
    const card = JSON.parse(readFileSync(join(REPO_ROOT, DEFAULT_MODEL_CARD_FILE), 'utf8')) as { id: string };
    template.hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleRuntimes: ['nodejs22.x'],
      CompatibleArchitectures: ['x86_64'],
      Description: Match.stringLikeRegexp(card.id),
    });
  });

  it('attaches that layer to each opting-in function and points its model card and VAD model into /opt', () => {
    for (const entry of ['lambdas/handlers/api.ts', 'lambdas/handlers/lifecycle-sweep.ts']) {
      const [fn] = functionsWithEntry(template, entry);
      expect(fn!.Properties.Layers).toEqual([{ Ref: layerId }]);
      expect(fn!.Properties.Environment.Variables[ENV.MODEL_CARD]).toBe(`/opt/${DEFAULT_MODEL_CARD_FILE}`);
      expect(fn!.Properties.Environment.Variables[ENV.SILERO_VAD_MODEL]).toBe('/opt/models/silero_vad.onnx');
    }
  });

  it('gives a function that does not opt in neither the layer nor the model paths', () => {
    const [plain] = functionsWithEntry(template, 'test/local/support/record-item-handler.ts');
    expect(plain!.Properties.Layers).toBeUndefined();
    expect(plain!.Properties.Environment.Variables[ENV.MODEL_CARD]).toBeUndefined();
  });
});

describe('TimbreInferenceLayer bundle', () => {
  // Outside the repository, so nothing in the layer can resolve from the project's node_modules.
  const outdir = mkdtempSync(join(tmpdir(), 'timbre-layer-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  let layerDir: string;
  let files: string[];
  let bytes: number;

  beforeAll(() => {
    // Prepare: synthesize a stack holding only the layer with bundling on, as `cdk synth` does (local tryBundle, no Docker).
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'LayerOnly', { env: ENV_OF_TEST });
    new TimbreInferenceLayer(stack, 'Inference');
    const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Metadata?: Record<string, string> }> };
    const [layer] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::LayerVersion');
    const assetPath = layer?.Metadata?.['aws:asset:path'];
    expect(assetPath).toBeDefined();
    layerDir = join(outdir, assetPath!);
    ({ files, bytes } = walk(layerDir));
  }, 180_000);

  it('keeps onnxruntime-node with its linux-x64 binding and libonnxruntime.so.1 only', () => {
    const ort = 'nodejs/node_modules/onnxruntime-node';
    expect(files).toContain(`${ort}/package.json`);
    expect(files).toContain(`${ort}/bin/napi-v6/linux/x64/onnxruntime_binding.node`);
    expect(files).toContain(`${ort}/bin/napi-v6/linux/x64/libonnxruntime.so.1`);
    const binaries = files.filter((f) => f.startsWith(`${ort}/bin/`));
    expect(binaries.filter((f) => !f.startsWith(`${ort}/bin/napi-v6/linux/x64/`))).toEqual([]);
    expect(files.filter((f) => /darwin|win32|arm64|\.dylib$|\.dll$/.test(f))).toEqual([]);
  });

  it('carries every runtime dependency onnxruntime-node lists', () => {
    const manifest = JSON.parse(readFileSync(join(layerDir, 'nodejs/node_modules/onnxruntime-node/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toContain('onnxruntime-common');
    for (const dependency of Object.keys(manifest.dependencies)) {
      expect(existsSync(join(layerDir, 'nodejs/node_modules', dependency, 'package.json')), dependency).toBe(true);
    }
  });

  it('puts the default model card beside its ONNX file, whose sha256 is the one the card names', () => {
    const card = JSON.parse(readFileSync(join(layerDir, DEFAULT_MODEL_CARD_FILE), 'utf8')) as { onnx: string; sha256: string };
    expect(LAYER_MODEL_CARD_PATH).toBe(`/opt/${DEFAULT_MODEL_CARD_FILE}`);
    expect(sha256Of(join(layerDir, 'models', card.onnx))).toBe(card.sha256);
  });

  it('carries the Silero VAD v6.2 model that lambdas/speech checks', () => {
    expect(LAYER_SILERO_VAD_PATH).toBe('/opt/models/silero_vad.onnx');
    expect(sha256Of(join(layerDir, 'models/silero_vad.onnx'))).toBe(SILERO_VAD_V6_2_SHA256);
  });

  it('loads both models with the layer\'s own onnxruntime-node, outside the repository', () => {
    // A separate node process, so the layer's native binding is not loaded beside the project's.
    const script = `
      const ort = require(${JSON.stringify(join(layerDir, 'nodejs/node_modules/onnxruntime-node'))});
      const card = require(${JSON.stringify(join(layerDir, DEFAULT_MODEL_CARD_FILE))});
      (async () => {
        const speaker = await ort.InferenceSession.create(${JSON.stringify(join(layerDir, 'models'))} + '/' + card.onnx);
        const vad = await ort.InferenceSession.create(${JSON.stringify(join(layerDir, 'models/silero_vad.onnx'))});
        console.log(JSON.stringify({ speaker: speaker.inputNames, vad: vad.inputNames }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const output = execFileSync(process.execPath, ['-e', script], { cwd: outdir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    const card = JSON.parse(readFileSync(join(REPO_ROOT, DEFAULT_MODEL_CARD_FILE), 'utf8')) as { io: { input: string } };
    const inputs = JSON.parse(output.trim().split('\n').at(-1)!) as { speaker: string[]; vad: string[] };
    expect(inputs.speaker).toContain(card.io.input);
    expect(inputs.vad.length).toBeGreaterThan(0);
  });

  it('stays under Lambda\'s 250 MB unzipped limit', () => {
    console.log(`inference layer: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MiB unzipped`);
    expect(bytes).toBeLessThan(LAMBDA_UNZIPPED_LIMIT_BYTES);
  });
});

describe('TimbreInferenceLayer with a chosen speaker model', () => {
  const checkout = makeModelCheckout();
  const chosen = { speakerModelCard: CHOSEN_CARD_FILE, repoRoot: checkout.root };
  const outdir = mkdtempSync(join(tmpdir(), 'timbre-chosen-layer-test-'));
  afterAll(() => {
    checkout.remove();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('ships that card, its ONNX file and the cohort it names instead of the default card, and keeps the countermeasure and Silero VAD', () => {
    // Act
    const models = layerModels(chosen);
    // Assess
    expect(models.cardId).toBe(CHOSEN_CARD_ID);
    expect(models.layerPath).toBe('/opt/models/tiny-spk.json');
    expect(models.cm.layerPath).toBe(LAYER_CM_CARD_PATH);
    expect(Object.fromEntries(models.files.map((f) => [f.layerPath, f.source]))).toEqual({
      '/opt/models/tiny-spk.json': checkout.path('models/tiny-spk.json'),
      '/opt/models/tiny-spk.onnx': checkout.path('models/tiny-spk.onnx'),
      '/opt/models/tiny-spk.cohort.json': checkout.path('models/tiny-spk.cohort.json'),
      '/opt/models/timbre-cm.json': checkout.path('models/timbre-cm.json'),
      '/opt/models/timbre-cm.onnx': checkout.path('models/timbre-cm.onnx'),
      [LAYER_SILERO_VAD_PATH]: sileroModelPath(),
    });
    expect(inferenceLayerInputs(chosen)).toEqual(expect.arrayContaining([checkout.path('models/tiny-spk.json'), checkout.path('models/tiny-spk.cohort.json')]));
  });

  it('accepts the card by its absolute path inside models/ as well', () => {
    expect(layerModels({ ...chosen, speakerModelCard: checkout.path(CHOSEN_CARD_FILE) }).layerPath).toBe('/opt/models/tiny-spk.json');
  });

  it.each([
    ['a parent path', '../tiny-spk.json', /lies outside/],
    ['a path that leaves models/ and comes back into the checkout', 'models/../package.json', /lies outside/],
    ['an absolute path outside models/', join(REPO_ROOT, 'test/fixtures/models/tiny-spk.json'), /lies outside/],
    ['the models folder itself', 'models', /lies outside/],
    ['a card that is not there', 'models/no-such-card.json', /does not exist/],
    ['a file that is not a speaker card', DEFAULT_CM_CARD_FILE, /model card .*timbre-cm\.json/],
  ])('refuses %s with an InferenceLayerError', (_what, card, message) => {
    expect(() => layerModels({ ...chosen, speakerModelCard: card })).toThrow(InferenceLayerError);
    expect(() => layerModels({ ...chosen, speakerModelCard: card })).toThrow(message);
  });

  it('refuses a card that names a file outside models/, which the layer could not ship beside it', () => {
    const card = JSON.parse(readFileSync(checkout.path(CHOSEN_CARD_FILE), 'utf8')) as { scoring: Record<string, unknown> };
    writeFileSync(join(checkout.root, 'outside-cohort.json'), readFileSync(checkout.path('models/tiny-spk.cohort.json')));
    writeFileSync(checkout.path('models/leaky.json'), JSON.stringify({ ...card, scoring: { ...card.scoring, cohort: '../outside-cohort.json' } }));
    expect(() => layerModels({ ...chosen, speakerModelCard: 'models/leaky.json' })).toThrow(/names .*outside-cohort\.json, outside/);
  });

  it("refuses, before copying anything, a card whose ONNX file's sha256 is not the one it names", () => {
    const card = JSON.parse(readFileSync(checkout.path(CHOSEN_CARD_FILE), 'utf8')) as Record<string, unknown>;
    writeFileSync(checkout.path('models/wrong-sha.json'), JSON.stringify({ ...card, sha256: '0'.repeat(64) }));
    const target = join(outdir, 'wrong-sha');
    expect(() => bundleInferenceLayer(target, { ...chosen, speakerModelCard: 'models/wrong-sha.json' })).toThrow(/tiny-spk\.onnx has sha256 [0-9a-f]{64}, but its card names 0{64}/);
    expect(existsSync(target)).toBe(false);
  });

  it('bundles the chosen card beside its ONNX file and cohort, where the card in the layer finds them', () => {
    // Act
    const target = join(outdir, 'chosen');
    bundleInferenceLayer(target, chosen);
    // Assess
    const layerCard = loadModelCard(join(target, 'models/tiny-spk.json'));
    expect(layerCard.id).toBe(CHOSEN_CARD_ID);
    expect(sha256Of(layerCard.onnxPath)).toBe(layerCard.sha256);
    expect(layerCard.scoring.cohort).not.toBeNull();
    expect(existsSync(join(target, DEFAULT_MODEL_CARD_FILE))).toBe(false);
    expect(existsSync(join(target, DEFAULT_CM_CARD_FILE))).toBe(true);
    expect(sha256Of(join(target, 'models/silero_vad.onnx'))).toBe(SILERO_VAD_V6_2_SHA256);
  }, 120_000);

  it("points the functions' TIMBRE_MODEL_CARD at the chosen card and names its id in the layer's description", () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'ChosenModel', { env: ENV_OF_TEST });
    TimbreInferenceLayer.create(stack, chosen);
    // Act
    new TimbreFunction(stack, 'Scorer', { entry: 'lambdas/handlers/api.ts', serviceName: 'scorer', inference: true });
    // Assess
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    template.hasResourceProperties('AWS::Lambda::LayerVersion', { Description: Match.stringLikeRegexp(CHOSEN_CARD_ID) });
    const [fn] = functionsWithEntry(template, 'lambdas/handlers/api.ts');
    expect(fn!.Properties.Environment.Variables[ENV.MODEL_CARD]).toBe('/opt/models/tiny-spk.json');
    expect(fn!.Properties.Environment.Variables[ENV.CM_MODEL_CARD]).toBe(LAYER_CM_CARD_PATH);
  });

  it('refuses to choose the model of a stack whose functions already have the default layer', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Late', { env: ENV_OF_TEST });
    new TimbreFunction(stack, 'Scorer', { entry: 'lambdas/handlers/api.ts', serviceName: 'scorer', inference: true });
    expect(() => TimbreInferenceLayer.create(stack, chosen)).toThrow(/has its layer already/);
  });
});
