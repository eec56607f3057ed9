/** Starts a batch job's Step Functions execution, named after the job so that a repeated start starts nothing. */
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { JobLauncher, JobRecord } from '../voiceid/jobs/index.js';

/** Step Functions adapter of `JobLauncher`. */
export class SfnJobLauncher implements JobLauncher {
  constructor(private readonly sfn: SFNClient, private readonly stateMachineArn: string) {}

  async launch(job: Pick<JobRecord, 'domainId' | 'type' | 'jobId'>, attempt: number): Promise<void> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: attempt === 0 ? job.jobId : `${job.jobId}-resume-${attempt}`,
          input: JSON.stringify({ job: { domainId: job.domainId, type: job.type, jobId: job.jobId } }),
        }),
      );
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists || (error as { name?: string }).name === 'ExecutionAlreadyExists') return;
      throw error;
    }
  }
}
