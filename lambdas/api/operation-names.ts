/** The `X-Amz-Target` prefix of every Voice ID operation. */
export const TARGET_PREFIX = 'VoiceID.';

/** The operations Timbre serves: Voice ID's control plane, EvaluateSession and Timbre's session operations. */
export const SERVED_OPERATIONS = [
  'CreateDomain',
  'DescribeDomain',
  'UpdateDomain',
  'DeleteDomain',
  'ListDomains',
  'CreateWatchlist',
  'DescribeWatchlist',
  'UpdateWatchlist',
  'DeleteWatchlist',
  'ListWatchlists',
  'DescribeSpeaker',
  'ListSpeakers',
  'DeleteSpeaker',
  'OptOutSpeaker',
  'DescribeFraudster',
  'ListFraudsters',
  'DeleteFraudster',
  'AssociateFraudster',
  'DisassociateFraudster',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'StartSession',
  'UpdateSession',
  'PutSessionAudio',
  'EnrollBySession',
  'DescribeSession',
  'EndSession',
  'EvaluateSession',
  'StartSpeakerEnrollmentJob',
  'DescribeSpeakerEnrollmentJob',
  'ListSpeakerEnrollmentJobs',
  'StartFraudsterRegistrationJob',
  'DescribeFraudsterRegistrationJob',
  'ListFraudsterRegistrationJobs',
] as const;

/** Voice ID operations that exist in the API but that this Timbre version does not serve yet (none now). */
export const NOT_YET_AVAILABLE_OPERATIONS = [
] as const;

/** A control-plane operation Timbre serves. */
export type ServedOperation = (typeof SERVED_OPERATIONS)[number];

/** True when `name` is an operation Timbre serves. */
export function isServedOperation(name: string): name is ServedOperation {
  return (SERVED_OPERATIONS as readonly string[]).includes(name);
}

/** True when `name` is a Voice ID operation this version does not serve yet. */
export function isNotYetAvailableOperation(name: string): boolean {
  return (NOT_YET_AVAILABLE_OPERATIONS as readonly string[]).includes(name);
}
