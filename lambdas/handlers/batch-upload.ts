/**
 * The workflow's step for a manifest uploaded to the batch bucket (S3 → EventBridge → the state machine):
 * `jobs/<DomainId>/enrol/<name>.json` starts an enrolment job, `jobs/<DomainId>/register/<name>.json` a registration
 * job, with `<name>.settings.json` beside it giving what StartSpeakerEnrollmentJob or StartFraudsterRegistrationJob
 * would (EnrollmentConfig, RegistrationConfig, OutputDataConfig, DataAccessRoleArn, JobName). Defaults: the stack's
 * batch role, output to `s3://<batch bucket>/results/<DomainId>/` under the domain's key. The same (bucket, key,
 * ETag) names one job, so an event delivered twice starts it once.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { REQUESTS, validateRequest } from '../api/index.js';
import type { EnrollmentConfig, JobRef, JobType, RegistrationConfig } from '../voiceid/jobs/index.js';
import { createBatchRuntime, readBatchConfig, type BatchRuntime } from './batch-config.js';

const logger = new Logger({ serviceName: 'timbre-batch-upload' });
let runtime: BatchRuntime | undefined;

/** The part of EventBridge's S3 "Object Created" event the step reads. */
export interface ObjectCreatedEvent {
  readonly detail: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string; readonly etag?: string } };
}

const MANIFEST_KEY = /^jobs\/([a-zA-Z0-9]{22})\/(enrol|register)\/([^/]+)\.json$/;
const SETTINGS_SUFFIX = '.settings.json';

/** Creates the upload's job; `job` is null when there is nothing for this run to do (a settings file, a repeat). */
export const handler = async (event: ObjectCreatedEvent, context: { invokedFunctionArn?: string }): Promise<{ job: JobRef | null }> => {
  runtime ??= createBatchRuntime(readBatchConfig(context.invokedFunctionArn));
  const { bucket, object } = event.detail;
  const match = MANIFEST_KEY.exec(object.key);
  if (match === null || object.key.endsWith(SETTINGS_SUFFIX)) return { job: null };
  const [, domainId, kind, name] = match as unknown as [string, string, string, string];
  const type: JobType = kind === 'enrol' ? 'ENROLLMENT' : 'REGISTRATION';
  const settingsKey = `jobs/${domainId}/${kind}/${name}${SETTINGS_SUFFIX}`;
  const settings = await readSettings(runtime, bucket.name, settingsKey);
  const domain = await runtime.deps.domains.getDomain(domainId);
  if (domain === undefined || domain.deletedAtMs !== undefined) {
    logger.warn('Manifest uploaded for a domain that does not exist', { domainId, key: object.key });
    return { job: null };
  }
  const operation = type === 'ENROLLMENT' ? 'StartSpeakerEnrollmentJob' : 'StartFraudsterRegistrationJob';
  const request = {
    DomainId: domainId,
    DataAccessRoleArn: typeof settings.DataAccessRoleArn === 'string' ? settings.DataAccessRoleArn : runtime.config.defaultRoleArn,
    InputDataConfig: { S3Uri: `s3://${bucket.name}/${object.key}` },
    OutputDataConfig: {
      S3Uri: `s3://${runtime.config.batchBucket}/results/${domainId}`,
      KmsKeyId: domain.kmsKeyId,
      ...(settings.OutputDataConfig as object | undefined),
    },
    ...(settings.JobName === undefined ? {} : { JobName: settings.JobName }),
    ...(type === 'ENROLLMENT' && settings.EnrollmentConfig !== undefined && { EnrollmentConfig: settings.EnrollmentConfig }),
    ...(type === 'REGISTRATION' && settings.RegistrationConfig !== undefined && { RegistrationConfig: settings.RegistrationConfig }),
  };
  const service = type === 'ENROLLMENT' ? runtime.enrollment : runtime.registration;
  let invalid: string | undefined;
  try {
    validateRequest(request, REQUESTS[operation]);
  } catch (error) {
    invalid = `The settings file ${settingsKey} is invalid: ${(error as Error).message}`;
  }
  const { job, created } = await service.startFromUpload({
    domainId,
    etag: object.etag ?? '',
    dataAccessRoleArn: request.DataAccessRoleArn,
    inputS3Uri: request.InputDataConfig.S3Uri,
    outputS3Uri: request.OutputDataConfig.S3Uri,
    ...(request.OutputDataConfig.KmsKeyId === undefined ? {} : { outputKmsKeyId: String(request.OutputDataConfig.KmsKeyId) }),
    ...(typeof settings.JobName === 'string' ? { name: settings.JobName } : {}),
    config: (type === 'ENROLLMENT' ? (settings.EnrollmentConfig ?? {}) : (settings.RegistrationConfig ?? {})) as EnrollmentConfig | RegistrationConfig,
  });
  if (!created) return { job: null };
  if (invalid !== undefined) {
    await runtime.deps.jobs.updateJob({ ...job, status: 'FAILED', failure: { statusCode: 400, message: invalid }, endedAtMs: Date.now() });
    return { job: null };
  }
  logger.info('Job started by a manifest upload', { domainId, jobId: job.jobId, type, key: object.key });
  return { job: { domainId, type, jobId: job.jobId } };
};

async function readSettings(rt: BatchRuntime, bucket: string, key: string): Promise<Record<string, unknown>> {
  const bytes = await rt.deps.objects.getObject(undefined, bucket, key, 1024 * 1024);
  if (bytes === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Reported below as an invalid settings file.
  }
  // A value the request's validation refuses, so the job fails with the reason.
  return { JobName: '' };
}
