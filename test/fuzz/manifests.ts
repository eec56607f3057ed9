/**
 * Batch-job input manifests (spec §5.6: speaker enrolment and fraudster registration), well-formed and mutated,
 * for the Start*Job operations once they are served.
 */
import type { Rng } from './prng.js';

/** Which job a manifest is for. */
export type ManifestKind = 'enrollment' | 'registration';

const MANIFEST_MUTATIONS = {
  valid: 3,
  invalidJson: 2,
  wrongVersion: 1,
  missingRequests: 1,
  requestsNotAList: 1,
  duplicateRequestIds: 1,
  tooManyAudioFiles: 1,
  badChannel: 1,
  badS3Uri: 1,
  generatedSpeakerId: 1,
  hugeRequestList: 1,
  wrongTypes: 1,
  empty: 1,
} as const;

/** The name of a manifest mutation. */
export type ManifestMutation = keyof typeof MANIFEST_MUTATIONS;

function audioSpec(bucket: string, rng: Rng, index: number): Record<string, unknown> {
  return { S3Uri: `s3://${bucket}/fuzz/audio-${index}.wav`, ChannelId: rng.int(0, 1) };
}

function request(kind: ManifestKind, bucket: string, rng: Rng, index: number, audioFiles: number): Record<string, unknown> {
  const audio = Array.from({ length: audioFiles }, (_, i) => audioSpec(bucket, rng, index * 10 + i));
  return kind === 'enrollment'
    ? { RequestId: `req-${index}`, SpeakerId: `cust-${index}`, AudioSpecifications: audio }
    : { RequestId: `fr-${index}`, AudioSpecifications: audio };
}

/** A manifest's text for a job of `kind` reading audio from `bucket`, made one of the ways above. */
export function mutatedManifest(rng: Rng, kind: ManifestKind, bucket: string): { mutation: ManifestMutation; text: string } {
  const mutation = rng.weighted(MANIFEST_MUTATIONS);
  const listName = kind === 'enrollment' ? 'SpeakerEnrollmentRequests' : 'FraudsterRegistrationRequests';
  const requests = Array.from({ length: rng.int(1, 5) }, (_, i) => request(kind, bucket, rng, i, rng.int(1, 3)));
  const manifest: Record<string, unknown> = { Version: '1.0', [listName]: requests };
  switch (mutation) {
    case 'valid':
      break;
    case 'invalidJson':
      return { mutation, text: JSON.stringify(manifest).slice(0, rng.int(1, 40)) };
    case 'wrongVersion':
      manifest.Version = rng.pick(['2.0', '', 1, null]);
      break;
    case 'missingRequests':
      delete manifest[listName];
      break;
    case 'requestsNotAList':
      manifest[listName] = rng.pick([{}, 'x', 7, null]);
      break;
    case 'duplicateRequestIds':
      manifest[listName] = [request(kind, bucket, rng, 1, 1), request(kind, bucket, rng, 1, 1)];
      break;
    case 'tooManyAudioFiles':
      manifest[listName] = [request(kind, bucket, rng, 0, 11)];
      break;
    case 'badChannel':
      (requests[0]!.AudioSpecifications as Record<string, unknown>[])[0]!.ChannelId = rng.pick([2, -1, 'zero', 1.5]);
      break;
    case 'badS3Uri':
      (requests[0]!.AudioSpecifications as Record<string, unknown>[])[0]!.S3Uri = rng.pick(['', 'http://x/y', 's3://', 's3://other-bucket/a.wav', `s3://${bucket}/../../etc/passwd`]);
      break;
    case 'generatedSpeakerId':
      requests[0]!.SpeakerId = `id#${'a'.repeat(22)}`;
      break;
    case 'hugeRequestList':
      manifest[listName] = Array.from({ length: 10_001 }, (_, i) => request(kind, bucket, rng, i, 1));
      break;
    case 'wrongTypes':
      requests[0]!.AudioSpecifications = rng.pick(['s3://x', 5, [1, 2], null]);
      break;
    case 'empty':
      return { mutation, text: '' };
  }
  return { mutation, text: JSON.stringify(manifest) };
}
