/**
 * Request shapes of Voice ID operations that lambdas/api/requests.ts does not have yet (batch jobs, sessions),
 * written from spec §3 and docs/sessions.md, so the fuzzer sends them well-formed and mutated before they are
 * served. Once an operation appears in REQUESTS, REQUESTS' shape is used instead (see operations.ts).
 */
import { int, list, str, struct, type StructureShape } from '../../lambdas/api/index.js';

const id22 = str({ min: 22, max: 22, pattern: /^[a-zA-Z0-9]{22}$/ });
const jobId = str({ min: 22, max: 22, pattern: /^[a-zA-Z0-9]{22}$/ });
const clientToken = str({ min: 1, max: 64, pattern: /^[a-zA-Z0-9-_]+$/ });
const jobName = str({ min: 1, max: 256, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/ });
const roleArn = str({ min: 20, max: 2048, pattern: /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/ });
const s3Uri = str({ min: 0, max: 1000, pattern: /^s3:\/\/[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/ });
const jobStatus = str({ enumValues: ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED'] });
const nextToken = str({ min: 0, max: 8192 });
const maxResults = int({ min: 1, max: 100 });
const score = int({ min: 0, max: 100 });
const input = struct({ S3Uri: s3Uri }, ['S3Uri']);
const output = struct({ KmsKeyId: str({ min: 1, max: 2048 }), S3Uri: s3Uri }, ['S3Uri']);
const sessionNameOrId = str({ min: 1, max: 36, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/ });

/** Shapes of operations not (yet) in REQUESTS, by operation name. */
export const FUTURE_REQUESTS: Readonly<Record<string, StructureShape>> = {
  StartSpeakerEnrollmentJob: struct(
    {
      ClientToken: clientToken,
      DataAccessRoleArn: roleArn,
      DomainId: id22,
      EnrollmentConfig: struct({
        ExistingEnrollmentAction: str({ enumValues: ['SKIP', 'OVERWRITE'] }),
        FraudDetectionConfig: struct({
          FraudDetectionAction: str({ enumValues: ['IGNORE', 'FAIL'] }),
          RiskThreshold: score,
          WatchlistIds: list(id22, { min: 1, max: 1 }),
        }),
      }),
      InputDataConfig: input,
      JobName: jobName,
      OutputDataConfig: output,
    },
    ['DataAccessRoleArn', 'DomainId', 'InputDataConfig', 'OutputDataConfig'],
  ),
  DescribeSpeakerEnrollmentJob: struct({ DomainId: id22, JobId: jobId }, ['DomainId', 'JobId']),
  ListSpeakerEnrollmentJobs: struct({ DomainId: id22, JobStatus: jobStatus, MaxResults: maxResults, NextToken: nextToken }, ['DomainId']),
  StartFraudsterRegistrationJob: struct(
    {
      ClientToken: clientToken,
      DataAccessRoleArn: roleArn,
      DomainId: id22,
      InputDataConfig: input,
      JobName: jobName,
      OutputDataConfig: output,
      RegistrationConfig: struct({
        DuplicateRegistrationAction: str({ enumValues: ['SKIP', 'REGISTER_AS_NEW'] }),
        FraudsterSimilarityThreshold: score,
        WatchlistIds: list(id22, { min: 1, max: 1 }),
      }),
    },
    ['DataAccessRoleArn', 'DomainId', 'InputDataConfig', 'OutputDataConfig'],
  ),
  DescribeFraudsterRegistrationJob: struct({ DomainId: id22, JobId: jobId }, ['DomainId', 'JobId']),
  ListFraudsterRegistrationJobs: struct({ DomainId: id22, JobStatus: jobStatus, MaxResults: maxResults, NextToken: nextToken }, ['DomainId']),
  EvaluateSession: struct({ DomainId: id22, SessionNameOrId: sessionNameOrId }, ['DomainId', 'SessionNameOrId']),
  StartSession: struct(
    {
      ClientToken: clientToken,
      DomainId: id22,
      SessionName: str({ min: 1, max: 36, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/ }),
      SpeakerId: str({ min: 1, max: 256 }),
      AuthenticationConfiguration: struct({ AcceptanceThreshold: score }),
      FraudDetectionConfiguration: struct({ RiskThreshold: score, WatchlistId: id22 }),
      StreamingConfiguration: struct({ AuthenticationMinimumSpeechInSeconds: int({ min: 5, max: 10 }) }),
    },
    ['DomainId', 'SessionName'],
  ),
  PutSessionAudio: struct(
    {
      DomainId: id22,
      SessionNameOrId: sessionNameOrId,
      Audio: str({ min: 1, max: 5_592_408 }),
      Encoding: str({ enumValues: ['FILE', 'PCM_S16LE'] }),
      SampleRateHz: int({ min: 8000, max: 48000 }),
      S3Uri: s3Uri,
      ChannelId: int({ min: 0, max: 1 }),
    },
    ['DomainId', 'SessionNameOrId'],
  ),
  DescribeSession: struct({ DomainId: id22, SessionNameOrId: sessionNameOrId }, ['DomainId', 'SessionNameOrId']),
  EndSession: struct({ DomainId: id22, SessionNameOrId: sessionNameOrId }, ['DomainId', 'SessionNameOrId']),
  EnrollBySession: struct(
    { DomainId: id22, SessionNameOrId: sessionNameOrId, ExistingEnrollmentAction: str({ enumValues: ['SKIP', 'OVERWRITE'] }) },
    ['DomainId', 'SessionNameOrId'],
  ),
};
