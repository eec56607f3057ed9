/**
 * The workflow's first step for a job: reads and checks the manifest as the job's role, and writes the records still
 * to do (all of them, or those a stopped run left) where the Map reads them. `work` is null when nothing runs: the
 * manifest failed the whole job, or the job had already ended.
 */
import type { JobRef } from '../voiceid/jobs/index.js';
import { createBatchRuntime, readBatchConfig, type BatchRuntime } from './batch-config.js';

let runtime: BatchRuntime | undefined;

export const handler = async (event: { job: JobRef }, context: { invokedFunctionArn?: string }): Promise<{ work: { Bucket: string; Key: string } | null }> => {
  runtime ??= createBatchRuntime(readBatchConfig(context.invokedFunctionArn));
  const work = await runtime.runner.prepare(event.job);
  return { work: work === undefined ? null : { Bucket: work.bucket, Key: work.key } };
};
