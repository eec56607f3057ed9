/** The batch-job operations: Start, Describe and List for speaker enrolment and fraudster registration jobs. */
import type { EnrollmentConfig, JobService, JobStatus, RegistrationConfig, StartJobInput } from '../../voiceid/jobs/index.js';
import { jobShape, listShape } from '../responses.js';
import { type OperationsOf, op, paging } from './support.js';

/** The services of both job types. */
export interface JobServices {
  readonly enrollment: JobService;
  readonly registration: JobService;
}

interface StartRequest {
  ClientToken?: string;
  DataAccessRoleArn: string;
  DomainId: string;
  InputDataConfig: { S3Uri: string };
  JobName?: string;
  OutputDataConfig: { S3Uri: string; KmsKeyId?: string };
}

function startInput(i: StartRequest, config: EnrollmentConfig | RegistrationConfig | undefined): StartJobInput {
  return {
    domainId: i.DomainId,
    ...(i.ClientToken !== undefined && { clientToken: i.ClientToken }),
    ...(i.JobName !== undefined && { name: i.JobName }),
    dataAccessRoleArn: i.DataAccessRoleArn,
    inputS3Uri: i.InputDataConfig.S3Uri,
    outputS3Uri: i.OutputDataConfig.S3Uri,
    ...(i.OutputDataConfig.KmsKeyId !== undefined && { outputKmsKeyId: i.OutputDataConfig.KmsKeyId }),
    ...(config !== undefined && { config }),
  };
}

/** The six batch-job operations, served by `jobs`. */
export function jobOperations(
  jobs: JobServices,
): OperationsOf<
  | 'StartSpeakerEnrollmentJob'
  | 'DescribeSpeakerEnrollmentJob'
  | 'ListSpeakerEnrollmentJobs'
  | 'StartFraudsterRegistrationJob'
  | 'DescribeFraudsterRegistrationJob'
  | 'ListFraudsterRegistrationJobs'
> {
  return {
    StartSpeakerEnrollmentJob: op('StartSpeakerEnrollmentJob', async (i) => ({
      Job: jobShape(await jobs.enrollment.start(startInput(i, i.EnrollmentConfig as EnrollmentConfig | undefined))),
    })),
    DescribeSpeakerEnrollmentJob: op('DescribeSpeakerEnrollmentJob', async (i) => ({ Job: jobShape(await jobs.enrollment.describe(i.DomainId, i.JobId)) })),
    ListSpeakerEnrollmentJobs: op('ListSpeakerEnrollmentJobs', async (i) => {
      const page = await jobs.enrollment.list(i.DomainId, i.JobStatus as JobStatus | undefined, paging(i));
      return listShape('JobSummaries', page.items, page.nextToken, (job) => jobShape(job, true));
    }),
    StartFraudsterRegistrationJob: op('StartFraudsterRegistrationJob', async (i) => ({
      Job: jobShape(await jobs.registration.start(startInput(i, i.RegistrationConfig as RegistrationConfig | undefined))),
    })),
    DescribeFraudsterRegistrationJob: op('DescribeFraudsterRegistrationJob', async (i) => ({
      Job: jobShape(await jobs.registration.describe(i.DomainId, i.JobId)),
    })),
    ListFraudsterRegistrationJobs: op('ListFraudsterRegistrationJobs', async (i) => {
      const page = await jobs.registration.list(i.DomainId, i.JobStatus as JobStatus | undefined, paging(i));
      return listShape('JobSummaries', page.items, page.nextToken, (job) => jobShape(job, true));
    }),
  };
}
