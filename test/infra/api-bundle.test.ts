import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { TimbreStack } from '../../lib/timbre-stack.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

describe('the API Lambda bundle', () => {
  // Inside the repository so the bundle's external @aws-sdk/* imports resolve from node_modules, as from a layer.
  const cacheDir = join(REPO_ROOT, 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  const outdir = mkdtempSync(join(cacheDir, 'timbre-bundle-test-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('is built by esbuild without Docker and loads as ESM on Node, exporting the handler', { timeout: 180_000 }, async () => {
    // Prepare: synthesize with bundling on, as `cdk synth` and `cdk deploy` do.
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new TimbreStack(app, 'Timbre', { env: { account: '111122223333', region: 'eu-west-2' } });
    const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Properties: { Runtime?: string }; Metadata?: Record<string, string> }> };
    const [api] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Runtime === 'nodejs22.x');
    const assetPath = api?.Metadata?.['aws:asset:path'];
    expect(assetPath).toBeDefined();

    // Act
    const bundle = join(outdir, assetPath!, 'index.mjs');
    const module = (await import(pathToFileURL(bundle).href)) as { handler?: unknown };

    // Assess: the AWS SDK and onnxruntime stay external, so the bundle stays small.
    expect(typeof module.handler).toBe('function');
    expect(statSync(bundle).size).toBeLessThan(5 * 1024 * 1024);
    // onnxruntime-node comes from the inference layer: the bundle names it, it does not contain it.
    expect(readFileSync(bundle, 'utf8')).toMatch(/["']onnxruntime-node["']/);
  });
});
