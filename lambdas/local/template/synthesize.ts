import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import { cachedTemplate, synthInputFiles, templateCacheKey } from './cache.js';
import type { CfnTemplate } from './types.js';

/** Builds a stack in `app` for `env`; the local mode synthesizes whatever it returns. */
export type StackBuilder = ((app: App, env: { account: string; region: string }) => Stack | Promise<Stack>) & {
  /** Set when the stack depends only on lib/ ({@link synthInputFiles}) and these inputs, so its template may be cached. */
  cacheKey?: unknown;
  /** The speaker model card its inference layer ships (repository-relative), when not the default: its files are hashed and mapped like the default's. */
  speakerModelCard?: string;
};

/**
 * Timbre's own stack, as bin/app.ts builds it, with optional quota overrides for the API, the buckets a batch
 * job's data-access role stands for locally and the speaker model card the functions run (the stack's `speakerModelCard`).
 */
export function buildTimbreStack(quotas?: string, batchRoleBuckets?: readonly string[], speakerModelCard?: string): StackBuilder {
  const build: StackBuilder = async (app, env) => {
    const { TimbreStack } = await import('../../../lib/timbre-stack.js');
    // No STS locally: the batch role is validated and recorded, not assumed.
    return new TimbreStack(app, 'Timbre', {
      env,
      batchAssumeDataAccessRole: false,
      ...(quotas === undefined ? {} : { quotas }),
      ...(batchRoleBuckets === undefined ? {} : { batchRoleBuckets }),
      ...(speakerModelCard === undefined ? {} : { speakerModelCard }),
    });
  };
  build.cacheKey = {
    stack: 'Timbre',
    quotas: quotas ?? null,
    batchAssumeDataAccessRole: false,
    ...(batchRoleBuckets === undefined ? {} : { batchRoleBuckets }),
    ...(speakerModelCard === undefined ? {} : { speakerModelCard }),
  };
  if (speakerModelCard !== undefined) build.speakerModelCard = speakerModelCard;
  return build;
}

/**
 * Synthesizes a stack in this process with asset bundling skipped (nothing is deployed, so no
 * esbuild run is needed) and returns its CloudFormation template and name. Stacks with a cache key
 * are served from the template cache while the files the synth reads are unchanged. This is the one
 * runtime module that loads aws-cdk-lib, and only by dynamic import when it synthesizes.
 */
export async function synthesizeTemplate(build: StackBuilder, env: { account: string; region: string }): Promise<{ stackName: string; template: CfnTemplate }> {
  if (build.cacheKey === undefined) return synthesizeNow(build, env);
  return cachedTemplate(templateCacheKey(synthInputFiles({ speakerModelCard: build.speakerModelCard }), { key: build.cacheKey, env }), () => synthesizeNow(build, env));
}

async function synthesizeNow(build: StackBuilder, env: { account: string; region: string }): Promise<{ stackName: string; template: CfnTemplate }> {
  const { App } = await import('aws-cdk-lib');
  const outdir = mkdtempSync(join(tmpdir(), 'timbre-synth-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = await build(app, env);
    const artifact = app.synth().getStackByName(stack.stackName);
    return { stackName: stack.stackName, template: artifact.template as CfnTemplate };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
