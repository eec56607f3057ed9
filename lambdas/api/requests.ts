/** The request shape of every served operation, with the model's constraints (spec §3–§4). */
import { bool, int, list, str, struct, type Infer } from './shapes.js';

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
const DESCRIPTION_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-%@]*)$/u;
const TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

const domainId = str({ min: 22, max: 22, pattern: /^[a-zA-Z0-9]{22}$/ });
const watchlistId = str({ min: 22, max: 22, pattern: /^[a-zA-Z0-9]{22}$/ });
// Generated IDs are also accepted as `id_…`, the spelling Connect's STRING_MAP attributes can carry.
const fraudsterId = str({ min: 25, max: 25, pattern: /^id[#_][a-zA-Z0-9]{22}$/, sensitive: true });
const speakerId = str({ min: 1, max: 256, pattern: /^(id#[a-zA-Z0-9]{22}|[a-zA-Z0-9][a-zA-Z0-9_-]*)$/, sensitive: true });
const clientToken = str({ min: 1, max: 64, pattern: /^[a-zA-Z0-9-_]+$/ });
const domainName = str({ min: 1, max: 256, pattern: NAME_PATTERN, sensitive: true });
const description = str({ min: 1, max: 1024, pattern: DESCRIPTION_PATTERN, sensitive: true });
const nextToken = str({ min: 0, max: 8192, pattern: /^\p{ASCII}{0,8192}$/u });
const maxResults = int({ min: 1, max: 100 });
const resourceArn = str({ min: 1, max: 1011, pattern: /^arn:aws(-[^:]+)?:voiceid.+:[0-9]{12}:domain\/[a-zA-Z0-9]{22}$/ });
const tagKey = str({ min: 1, max: 128, pattern: TAG_PATTERN, sensitive: true });
const tagValue = str({ min: 0, max: 256, pattern: TAG_PATTERN, sensitive: true });
const tags = list(struct({ Key: tagKey, Value: tagValue }, ['Key', 'Value']), { min: 0, max: 200 });
const sessionName = str({ min: 1, max: 36, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/ });
const sessionNameOrId = str({ min: 1, max: 36, pattern: /^(id[#_][a-zA-Z0-9]{22}|[a-zA-Z0-9][a-zA-Z0-9_-]*)$/ });
const authentication = struct({ AcceptanceThreshold: int({ min: 0, max: 100 }) }, ['AcceptanceThreshold']);
const fraudDetection = struct({ RiskThreshold: int({ min: 0, max: 100 }), WatchlistId: watchlistId });
const streaming = struct({ AuthenticationMinimumSpeechInSeconds: int({ min: 5, max: 10 }) });
const sessionRef = struct({ DomainId: domainId, SessionNameOrId: sessionNameOrId }, ['DomainId', 'SessionNameOrId']);
/** Base64 of at most 4 MB (what PutSessionAudio takes); the decoded size is checked again. */
export const MAX_SESSION_AUDIO_BYTES = 4 * 1024 * 1024;
const encryption = struct({ KmsKeyId: str({ min: 1, max: 2048 }) }, ['KmsKeyId']);
// Batch jobs (spec §3 Start*Job, §4.1 InputDataConfig, OutputDataConfig, EnrollmentConfig, RegistrationConfig).
const jobId = str({ min: 22, max: 22, pattern: /^[a-zA-Z0-9]{22}$/ });
const jobStatus = str({ enumValues: ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED'] });
const s3Uri = str({ min: 0, max: 1024, pattern: /^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/ });
const roleArn = str({ min: 20, max: 2048, pattern: /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/ });
const score = int({ min: 0, max: 100 });
const oneWatchlist = list(watchlistId, { min: 1, max: 1 });
const startJob = {
  ClientToken: clientToken,
  DataAccessRoleArn: roleArn,
  DomainId: domainId,
  InputDataConfig: struct({ S3Uri: s3Uri }, ['S3Uri']),
  JobName: str({ min: 1, max: 256, pattern: NAME_PATTERN, sensitive: true }),
  OutputDataConfig: struct({ KmsKeyId: str({ min: 1, max: 2048 }), S3Uri: s3Uri }, ['S3Uri']),
} as const;
const startJobRequired = ['DataAccessRoleArn', 'DomainId', 'InputDataConfig', 'OutputDataConfig'] as const;
const enrollmentConfig = struct({
  ExistingEnrollmentAction: str({ enumValues: ['SKIP', 'OVERWRITE'] }),
  FraudDetectionConfig: struct({ FraudDetectionAction: str({ enumValues: ['IGNORE', 'FAIL'] }), RiskThreshold: score, WatchlistIds: oneWatchlist }),
});
const registrationConfig = struct({
  DuplicateRegistrationAction: str({ enumValues: ['SKIP', 'REGISTER_AS_NEW'] }),
  FraudsterSimilarityThreshold: score,
  WatchlistIds: oneWatchlist,
});

/** Request shapes by operation. */
export const REQUESTS = {
  CreateDomain: struct(
    { ClientToken: clientToken, Description: description, Name: domainName, ServerSideEncryptionConfiguration: encryption, Tags: tags },
    ['Name', 'ServerSideEncryptionConfiguration'],
  ),
  DescribeDomain: struct({ DomainId: domainId }, ['DomainId']),
  UpdateDomain: struct(
    { Description: description, DomainId: domainId, Name: domainName, ServerSideEncryptionConfiguration: encryption },
    ['DomainId', 'Name', 'ServerSideEncryptionConfiguration'],
  ),
  DeleteDomain: struct({ DomainId: domainId }, ['DomainId']),
  ListDomains: struct({ MaxResults: int({ min: 1, max: 10 }), NextToken: nextToken }),
  CreateWatchlist: struct(
    {
      ClientToken: clientToken,
      Description: description,
      DomainId: domainId,
      Name: str({ min: 1, max: 256, pattern: NAME_PATTERN, sensitive: true }),
    },
    ['DomainId', 'Name'],
  ),
  DescribeWatchlist: struct({ DomainId: domainId, WatchlistId: watchlistId }, ['DomainId', 'WatchlistId']),
  UpdateWatchlist: struct(
    {
      Description: description,
      DomainId: domainId,
      Name: str({ min: 1, max: 256, pattern: NAME_PATTERN, sensitive: true }),
      WatchlistId: watchlistId,
    },
    ['DomainId', 'WatchlistId'],
  ),
  DeleteWatchlist: struct({ DomainId: domainId, WatchlistId: watchlistId }, ['DomainId', 'WatchlistId']),
  ListWatchlists: struct({ DomainId: domainId, MaxResults: maxResults, NextToken: nextToken }, ['DomainId']),
  DescribeSpeaker: struct({ DomainId: domainId, SpeakerId: speakerId }, ['DomainId', 'SpeakerId']),
  ListSpeakers: struct({ DomainId: domainId, MaxResults: maxResults, NextToken: nextToken }, ['DomainId']),
  DeleteSpeaker: struct({ DomainId: domainId, SpeakerId: speakerId }, ['DomainId', 'SpeakerId']),
  OptOutSpeaker: struct({ DomainId: domainId, SpeakerId: speakerId }, ['DomainId', 'SpeakerId']),
  DescribeFraudster: struct({ DomainId: domainId, FraudsterId: fraudsterId }, ['DomainId', 'FraudsterId']),
  ListFraudsters: struct(
    { DomainId: domainId, MaxResults: maxResults, NextToken: nextToken, WatchlistId: watchlistId },
    ['DomainId'],
  ),
  DeleteFraudster: struct({ DomainId: domainId, FraudsterId: fraudsterId }, ['DomainId', 'FraudsterId']),
  AssociateFraudster: struct(
    { DomainId: domainId, FraudsterId: fraudsterId, WatchlistId: watchlistId },
    ['DomainId', 'FraudsterId', 'WatchlistId'],
  ),
  DisassociateFraudster: struct(
    { DomainId: domainId, FraudsterId: fraudsterId, WatchlistId: watchlistId },
    ['DomainId', 'FraudsterId', 'WatchlistId'],
  ),
  TagResource: struct({ ResourceArn: resourceArn, Tags: tags }, ['ResourceArn', 'Tags']),
  UntagResource: struct({ ResourceArn: resourceArn, TagKeys: list(tagKey, { min: 0, max: 200 }) }, ['ResourceArn', 'TagKeys']),
  ListTagsForResource: struct({ ResourceArn: resourceArn }, ['ResourceArn']),
  StartSession: struct(
    {
      AuthenticationConfiguration: authentication,
      ClientToken: clientToken,
      DomainId: domainId,
      FraudDetectionConfiguration: fraudDetection,
      SessionName: sessionName,
      SpeakerId: speakerId,
      StartFragmentNumber: str({ min: 1, max: 128, pattern: /^[0-9]+$/ }),
      StreamArn: str({ min: 1, max: 1024, pattern: /^arn:aws(-[^:]+)?:kinesisvideo:[a-z0-9-]+:[0-9]{12}:stream\/[a-zA-Z0-9_.-]+\/[0-9]+$/ }),
      StreamingConfiguration: streaming,
    },
    ['DomainId', 'SessionName'],
  ),
  UpdateSession: struct(
    {
      AuthenticationConfiguration: authentication,
      DomainId: domainId,
      FraudDetectionConfiguration: fraudDetection,
      SessionNameOrId: sessionNameOrId,
      SpeakerId: speakerId,
      StreamingConfiguration: streaming,
    },
    ['DomainId', 'SessionNameOrId'],
  ),
  PutSessionAudio: struct(
    {
      Audio: str({ min: 0, max: Math.ceil(MAX_SESSION_AUDIO_BYTES / 3) * 4, pattern: /^[A-Za-z0-9+/]*={0,2}$/, sensitive: true }),
      ChannelId: int({ min: 0, max: 1 }),
      DomainId: domainId,
      Encoding: str({ enumValues: ['FILE', 'PCM_S16LE'] }),
      EndOfStream: bool(),
      S3Uri: str({ min: 6, max: 2048, pattern: /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/ }),
      SampleRateHz: int({ min: 8000, max: 48000 }),
      SessionNameOrId: sessionNameOrId,
    },
    ['DomainId', 'SessionNameOrId'],
  ),
  EnrollBySession: struct(
    { DomainId: domainId, ExistingEnrollmentAction: str({ enumValues: ['SKIP', 'OVERWRITE'] }), SessionNameOrId: sessionNameOrId },
    ['DomainId', 'SessionNameOrId'],
  ),
  DescribeSession: sessionRef,
  EndSession: sessionRef,
  EvaluateSession: sessionRef,
  StartSpeakerEnrollmentJob: struct({ ...startJob, EnrollmentConfig: enrollmentConfig }, [...startJobRequired]),
  DescribeSpeakerEnrollmentJob: struct({ DomainId: domainId, JobId: jobId }, ['DomainId', 'JobId']),
  ListSpeakerEnrollmentJobs: struct({ DomainId: domainId, JobStatus: jobStatus, MaxResults: maxResults, NextToken: nextToken }, ['DomainId']),
  StartFraudsterRegistrationJob: struct({ ...startJob, RegistrationConfig: registrationConfig }, [...startJobRequired]),
  DescribeFraudsterRegistrationJob: struct({ DomainId: domainId, JobId: jobId }, ['DomainId', 'JobId']),
  ListFraudsterRegistrationJobs: struct({ DomainId: domainId, JobStatus: jobStatus, MaxResults: maxResults, NextToken: nextToken }, ['DomainId']),
} as const;

/** The validated input type of an operation. */
export type RequestOf<K extends keyof typeof REQUESTS> = Infer<(typeof REQUESTS)[K]>;
