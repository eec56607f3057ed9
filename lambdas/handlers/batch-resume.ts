/**
 * Starts again every batch job still active (SUBMITTED or IN_PROGRESS) whose runner stopped: local mode invokes it
 * when `timbre serve` starts, since executions do not survive a restart. A resumed run reads the manifest again and
 * processes only the records without an outcome, so nothing is done twice.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { createBatchRuntime, readBatchConfig } from './batch-config.js';

const logger = new Logger({ serviceName: 'timbre-batch-resume' });

/** Launches a fresh execution of each active job; returns how many. */
export const handler = async (_event: unknown, context: { invokedFunctionArn?: string }): Promise<{ resumed: number }> => {
  const runtime = createBatchRuntime(readBatchConfig(context.invokedFunctionArn));
  const active = await runtime.deps.jobs.listActiveJobs();
  for (const job of active) {
    // Each resume is a new execution name: the first run's name is taken for good.
    await runtime.deps.launcher.launch(job, Date.now());
    logger.info('Resumed a batch job', { ...job });
  }
  return { resumed: active.length };
};
