/** The workflow's last step: writes the job's output file (SSE-KMS) and sets its final status. */
import type { JobRef, JobStatus } from '../voiceid/jobs/index.js';
import { createBatchRuntime, readBatchConfig, type BatchRuntime } from './batch-config.js';

let runtime: BatchRuntime | undefined;

export const handler = async (event: { job: JobRef }, context: { invokedFunctionArn?: string }): Promise<{ status: JobStatus }> => {
  runtime ??= createBatchRuntime(readBatchConfig(context.invokedFunctionArn));
  const job = await runtime.runner.finish(event.job);
  return { status: job.status };
};
