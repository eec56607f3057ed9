/** Voice ID's output shapes built from Timbre's records; timestamps become epoch seconds (JSON numbers). */
import type { DomainRecord, FraudsterRecord, SpeakerView, Tag, WatchlistRecord } from '../voiceid/index.js';
import type { AuthenticationResult, FraudDetectionResult, SessionEvaluation, SessionView } from '../voiceid/sessions/index.js';
import { percentComplete, type JobRecord } from '../voiceid/jobs/index.js';

/** A timestamp as Voice ID sends it: epoch milliseconds → epoch seconds, fractions kept (a JSON number). */
export function wireTimestamp(ms: number): number {
  return ms / 1000;
}

/** `Domain` and `DomainSummary` (the same members). */
export function domainShape(domain: DomainRecord): Record<string, unknown> {
  const update = domain.encryptionUpdate;
  return {
    DomainId: domain.domainId,
    Arn: domain.arn,
    Name: domain.name,
    ...(domain.description !== undefined && { Description: domain.description }),
    DomainStatus: domain.status,
    ServerSideEncryptionConfiguration: { KmsKeyId: domain.kmsKeyId },
    ...(update !== undefined && {
      ServerSideEncryptionUpdateDetails: {
        OldKmsKeyId: update.oldKmsKeyId,
        UpdateStatus: update.updateStatus,
        ...(update.message !== undefined && { Message: update.message }),
      },
    }),
    WatchlistDetails: { DefaultWatchlistId: domain.defaultWatchlistId },
    CreatedAt: wireTimestamp(domain.createdAtMs),
    UpdatedAt: wireTimestamp(domain.updatedAtMs),
  };
}

/** `Watchlist` and `WatchlistSummary`. */
export function watchlistShape(watchlist: WatchlistRecord): Record<string, unknown> {
  return {
    DomainId: watchlist.domainId,
    WatchlistId: watchlist.watchlistId,
    Name: watchlist.name,
    ...(watchlist.description !== undefined && { Description: watchlist.description }),
    DefaultWatchlist: watchlist.defaultWatchlist,
    CreatedAt: wireTimestamp(watchlist.createdAtMs),
    UpdatedAt: wireTimestamp(watchlist.updatedAtMs),
  };
}

/** `Speaker` and `SpeakerSummary`. */
export function speakerShape(speaker: SpeakerView): Record<string, unknown> {
  return {
    DomainId: speaker.domainId,
    GeneratedSpeakerId: speaker.generatedSpeakerId,
    ...(speaker.customerSpeakerId !== undefined && { CustomerSpeakerId: speaker.customerSpeakerId }),
    Status: speaker.status,
    CreatedAt: wireTimestamp(speaker.createdAtMs),
    UpdatedAt: wireTimestamp(speaker.updatedAtMs),
    ...(speaker.lastAccessedAtMs !== undefined && { LastAccessedAt: wireTimestamp(speaker.lastAccessedAtMs) }),
  };
}

/** `Fraudster` and `FraudsterSummary`. */
export function fraudsterShape(fraudster: FraudsterRecord): Record<string, unknown> {
  return {
    DomainId: fraudster.domainId,
    GeneratedFraudsterId: fraudster.generatedFraudsterId,
    WatchlistIds: [...fraudster.watchlistIds],
    CreatedAt: wireTimestamp(fraudster.createdAtMs),
  };
}

/** `SpeakerEnrollmentJob` and `FraudsterRegistrationJob` (summaries: `summary` true leaves out the request's settings). */
export function jobShape(job: JobRecord, summary = false): Record<string, unknown> {
  return {
    DomainId: job.domainId,
    JobId: job.jobId,
    ...(job.name !== undefined && { JobName: job.name }),
    JobStatus: job.status,
    JobProgress: { PercentComplete: percentComplete(job) },
    CreatedAt: wireTimestamp(job.createdAtMs),
    ...(job.endedAtMs !== undefined && { EndedAt: wireTimestamp(job.endedAtMs) }),
    ...(job.failure !== undefined && { FailureDetails: { StatusCode: job.failure.statusCode, Message: job.failure.message } }),
    ...(!summary && {
      DataAccessRoleArn: job.dataAccessRoleArn,
      InputDataConfig: { S3Uri: job.inputS3Uri },
      OutputDataConfig: { S3Uri: job.outputS3Uri, ...(job.outputKmsKeyId !== undefined && { KmsKeyId: job.outputKmsKeyId }) },
      [job.type === 'ENROLLMENT' ? 'EnrollmentConfig' : 'RegistrationConfig']: job.config,
    }),
  };
}

/** `TagList`. */
export function tagsShape(tags: readonly Tag[]): { Key: string; Value: string }[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

/** A list output: the items under `member`, and `NextToken` only when another page follows. */
export function listShape<T>(member: string, items: readonly T[], nextToken: string | undefined, shape: (item: T) => unknown): Record<string, unknown> {
  return { [member]: items.map(shape), ...(nextToken !== undefined && { NextToken: nextToken }) };
}

/** Timbre's `Session` (docs/sessions.md): members with no value are left out. */
export function sessionShape(session: SessionView): Record<string, unknown> {
  const request = session.enrollmentRequest;
  return {
    SessionId: session.sessionId,
    SessionName: session.sessionName,
    DomainId: session.domainId,
    StreamingStatus: session.streamingStatus,
    ...(session.customerSpeakerId !== undefined && { CustomerSpeakerId: session.customerSpeakerId }),
    ...(session.generatedSpeakerId !== undefined && { GeneratedSpeakerId: session.generatedSpeakerId }),
    ...(session.authentication !== undefined && { AuthenticationConfiguration: { AcceptanceThreshold: session.authentication.acceptanceThreshold } }),
    ...(session.fraudDetection !== undefined && {
      FraudDetectionConfiguration: { RiskThreshold: session.fraudDetection.riskThreshold, WatchlistId: session.fraudDetection.watchlistId },
    }),
    StreamingConfiguration: { AuthenticationMinimumSpeechInSeconds: session.minSpeechSeconds },
    ...(session.stream !== undefined && { StreamArn: session.stream.streamArn, StartFragmentNumber: session.stream.startFragmentNumber }),
    NetSpeechSeconds: Math.round(session.netSpeechSeconds * 100) / 100,
    ...(request !== undefined && { EnrollmentRequestDetails: { Status: request.status, ...(request.message !== undefined && { Message: request.message }) } }),
    CreatedAt: wireTimestamp(session.createdAtMs),
    UpdatedAt: wireTimestamp(session.updatedAtMs),
  };
}

function aggregationShape(result: { audioStartedAtMs?: number; audioEndedAtMs?: number }): Record<string, number> {
  return {
    ...(result.audioStartedAtMs !== undefined && { AudioAggregationStartedAt: wireTimestamp(result.audioStartedAtMs) }),
    ...(result.audioEndedAtMs !== undefined && { AudioAggregationEndedAt: wireTimestamp(result.audioEndedAtMs) }),
  };
}

/** Voice ID's `AuthenticationResult`. */
export function authenticationResultShape(result: AuthenticationResult): Record<string, unknown> {
  return {
    AuthenticationResultId: result.resultId,
    ...aggregationShape(result),
    ...(result.customerSpeakerId !== undefined && { CustomerSpeakerId: result.customerSpeakerId }),
    ...(result.generatedSpeakerId !== undefined && { GeneratedSpeakerId: result.generatedSpeakerId }),
    Decision: result.decision,
    ...(result.score !== undefined && { Score: result.score }),
    Configuration: { AcceptanceThreshold: result.configuration.acceptanceThreshold },
  };
}

/** Voice ID's `FraudDetectionResult`: both risks in RiskDetails once the speech could be scored (docs/antispoof.md). */
export function fraudDetectionResultShape(result: FraudDetectionResult): Record<string, unknown> {
  const risk = result.knownFraudsterRisk;
  return {
    FraudDetectionResultId: result.resultId,
    ...aggregationShape(result),
    Configuration: { RiskThreshold: result.configuration.riskThreshold, WatchlistId: result.configuration.watchlistId },
    Decision: result.decision,
    Reasons: [...result.reasons],
    ...(risk !== undefined && {
      RiskDetails: {
        KnownFraudsterRisk: { RiskScore: risk.riskScore, ...(risk.generatedFraudsterId !== undefined && { GeneratedFraudsterId: risk.generatedFraudsterId }) },
        ...(result.voiceSpoofingRisk !== undefined && { VoiceSpoofingRisk: { RiskScore: result.voiceSpoofingRisk.riskScore } }),
      },
    }),
  };
}

/**
 * The `EvaluateSessionResponse` wire object (the API and the Connect evaluate Lambda answer the same).
 * @example JSON.stringify(evaluationShape(await sessions.evaluate(domainId, contactId)))
 */
export function evaluationShape(evaluation: SessionEvaluation): Record<string, unknown> {
  return {
    DomainId: evaluation.domainId,
    SessionId: evaluation.sessionId,
    SessionName: evaluation.sessionName,
    StreamingStatus: evaluation.streamingStatus,
    ...(evaluation.authentication !== undefined && { AuthenticationResult: authenticationResultShape(evaluation.authentication) }),
    ...(evaluation.fraudDetection !== undefined && { FraudDetectionResult: fraudDetectionResultShape(evaluation.fraudDetection) }),
  };
}
