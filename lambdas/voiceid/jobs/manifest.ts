/**
 * Voice ID's batch manifests (spec §5.6): `{"Version": "1.0", "SpeakerEnrollmentRequests" | "FraudsterRegistrationRequests": [...]}`.
 * What makes the whole job fail (not JSON, wrong Version, duplicate RequestIds, too many records) is a ManifestError;
 * a record that is malformed on its own fails alone, with its reason, so the rest of the job goes on.
 */
import type { AudioSpecification, JobType, ManifestRecord } from './types.js';

/** The manifest Version Voice ID accepts. */
export const MANIFEST_VERSION = '1.0';
/** Records one job may hold: 10,000 speakers per enrolment job, 500 fraudsters per registration job. */
export const MAX_RECORDS: Readonly<Record<JobType, number>> = { ENROLLMENT: 10_000, REGISTRATION: 500 };
/** Audio files one record may name. */
export const MAX_AUDIO_FILES = 10;
/** The manifest's list member for each job type. */
export const REQUESTS_MEMBER: Readonly<Record<JobType, string>> = {
  ENROLLMENT: 'SpeakerEnrollmentRequests',
  REGISTRATION: 'FraudsterRegistrationRequests',
};

const CUSTOMER_SPEAKER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

/** The manifest as a whole is unusable: the job fails with FailureDetails 400 and this message. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** A record of the manifest, or the reason it cannot be processed. */
export type ParsedRecord = ManifestRecord & { readonly invalid?: string };

/**
 * Parses a manifest's text.
 * @throws ManifestError when the whole job must fail
 * @example parseManifest('{"Version":"1.0","SpeakerEnrollmentRequests":[]}', 'ENROLLMENT') // []
 */
export function parseManifest(text: string, type: JobType): ParsedRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ManifestError('The input manifest file is not valid JSON');
  }
  if (!isObject(parsed)) throw new ManifestError('The input manifest file must be a JSON object');
  if (parsed.Version !== MANIFEST_VERSION) {
    throw new ManifestError(`The input manifest file has Version ${JSON.stringify(parsed.Version)}; the supported Version is "${MANIFEST_VERSION}"`);
  }
  const member = REQUESTS_MEMBER[type];
  const requests = parsed[member];
  if (!Array.isArray(requests)) throw new ManifestError(`The input manifest file has no ${member} list`);
  if (requests.length > MAX_RECORDS[type]) {
    throw new ManifestError(`The input manifest file has ${requests.length} requests; a job takes at most ${MAX_RECORDS[type]}`);
  }
  const seen = new Set<string>();
  return requests.map((request: unknown, index) => {
    const requestId = isObject(request) ? request.RequestId : undefined;
    if (typeof requestId !== 'string' || requestId.length === 0) {
      throw new ManifestError(`Request ${index} of ${member} has no RequestId`);
    }
    if (seen.has(requestId)) throw new ManifestError(`RequestId ${JSON.stringify(requestId)} appears more than once; RequestIds must be unique`);
    seen.add(requestId);
    return parseRecord(request as Record<string, unknown>, index, requestId, type);
  });
}

function parseRecord(request: Record<string, unknown>, index: number, requestId: string, type: JobType): ParsedRecord {
  const invalid = (reason: string): ParsedRecord => ({ index, requestId, audio: [], invalid: reason });
  let speakerId: string | undefined;
  if (type === 'ENROLLMENT') {
    const id = request.SpeakerId;
    if (typeof id !== 'string' || id.length === 0 || id.length > 256 || !CUSTOMER_SPEAKER_ID.test(id)) {
      return invalid('SpeakerId must be a CustomerSpeakerId of 1 to 256 characters of [a-zA-Z0-9_-], starting with a letter or digit');
    }
    speakerId = id;
  }
  const specs = request.AudioSpecifications;
  if (!Array.isArray(specs) || specs.length === 0) return invalid('AudioSpecifications must list 1 to 10 audio files');
  if (specs.length > MAX_AUDIO_FILES) return invalid(`AudioSpecifications lists ${specs.length} audio files; a request takes at most ${MAX_AUDIO_FILES}`);
  const audio: AudioSpecification[] = [];
  for (const spec of specs as unknown[]) {
    // The doc's prose says S3URI, its schema S3Uri: both are accepted.
    const uri = isObject(spec) ? (spec.S3Uri ?? spec.S3URI) : undefined;
    const channel = isObject(spec) ? spec.ChannelId : undefined;
    if (typeof uri !== 'string') return invalid('Each audio specification needs an S3Uri');
    if (channel !== 0 && channel !== 1) return invalid(`ChannelId must be 0 or 1 (got ${JSON.stringify(channel)})`);
    audio.push({ s3Uri: uri, channelId: channel });
  }
  return { index, requestId, ...(speakerId === undefined ? {} : { speakerId }), audio };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
