/**
 * One fuzz run against a local Timbre: creates a few real resources to name, uploads mutated manifests and audio
 * for the batch jobs, sends the seeded requests, and checks at the end that a valid DescribeDomain still answers.
 */
import { CreateDomainCommand, CreateWatchlistCommand, DescribeDomainCommand, VoiceIDClient } from '@aws-sdk/client-voice-id';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { LocalTimbre } from '../../lambdas/local/index.js';
import { mutatedAudio } from './audio.js';
import { mutatedManifest, type ManifestKind } from './manifests.js';
import { fuzzOperations } from './operations.js';
import { Rng } from './prng.js';
import type { FuzzSummary } from './report.js';
import { RequestFactory, type FuzzContext } from './requests.js';
import { FuzzRunner } from './runner.js';

/** The parts of a local Timbre a run needs. */
export type FuzzTarget = Pick<LocalTimbre, 'endpoint' | 'region' | 'credentials' | 'serviceCredentials' | 'endpoints' | 'resources'>;

/** How much to send. */
export interface FuzzOptions {
  readonly seed: number;
  readonly requests: number;
  /** @default 8 */
  readonly concurrency?: number;
  /** @default 30000 */
  readonly timeoutMs?: number;
}

/** Default seed of `npm run fuzz`. */
export const DEFAULT_SEED = 20261202;

const MANIFESTS = 12;
const AUDIO_FILES = 12;

async function uploadInputs(target: FuzzTarget, rng: Rng): Promise<string[]> {
  const s3 = new S3Client({ endpoint: target.endpoints.s3, region: target.region, credentials: target.serviceCredentials, forcePathStyle: true });
  const bucket = target.resources.batchBucket;
  try {
    for (let i = 0; i < AUDIO_FILES; i++) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `fuzz/audio-${i}.wav`, Body: mutatedAudio(rng).bytes }));
    }
    const uris: string[] = [];
    for (let i = 0; i < MANIFESTS; i++) {
      const kind: ManifestKind = i % 2 === 0 ? 'enrollment' : 'registration';
      const key = `fuzz/manifest-${i}.json`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: mutatedManifest(rng, kind, bucket).text }));
      uris.push(`s3://${bucket}/${key}`);
    }
    return uris;
  } finally {
    s3.destroy();
  }
}

async function createResources(client: VoiceIDClient, target: FuzzTarget, count: number): Promise<{ domainIds: string[]; watchlistIds: string[] }> {
  const domainIds: string[] = [];
  const watchlistIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { Domain } = await client.send(new CreateDomainCommand({ Name: `fuzz-${i}`, ServerSideEncryptionConfiguration: { KmsKeyId: target.resources.kmsKeyArn } }));
    domainIds.push(Domain!.DomainId!);
    if (Domain!.WatchlistDetails?.DefaultWatchlistId !== undefined) watchlistIds.push(Domain!.WatchlistDetails.DefaultWatchlistId);
    const { Watchlist } = await client.send(new CreateWatchlistCommand({ DomainId: Domain!.DomainId!, Name: `fuzz-${i}` }));
    watchlistIds.push(Watchlist!.WatchlistId!);
  }
  return { domainIds, watchlistIds };
}

/** Runs the fuzzer against `target` and returns what it saw; failures are in the summary, never thrown. */
export async function fuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzSummary> {
  const rng = new Rng(options.seed);
  const client = new VoiceIDClient({ endpoint: target.endpoint, region: target.region, credentials: target.credentials, maxAttempts: 3 });
  try {
    // A domain the fuzzed requests never name, so the last check does not depend on what they deleted.
    const sentinel = await createResources(client, target, 1);
    const named = await createResources(client, target, 2);
    const account = await accountIdOf(target, named.domainIds[0]!, client);
    const context: FuzzContext = {
      ...named,
      resourceArns: named.domainIds.map((id) => `arn:aws:voiceid:${target.region}:${account}:domain/${id}`),
      kmsKeyIds: [target.resources.kmsKeyArn, target.resources.kmsKeyAlias, target.resources.localKeyAlias, 'alias/no-such-key', 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000'],
      manifestUris: await uploadInputs(target, rng),
      outputUri: `s3://${target.resources.batchBucket}/fuzz-output`,
    };
    const factory = new RequestFactory(rng, fuzzOperations(), context);
    const runner = new FuzzRunner({ endpoint: target.endpoint, region: target.region, credentials: target.credentials, concurrency: options.concurrency ?? 8, timeoutMs: options.timeoutMs ?? 30_000 });
    const report = await runner.run(options.requests, () => factory.next());
    const sentinelId = sentinel.domainIds[0]!;
    const still = await client.send(new DescribeDomainCommand({ DomainId: sentinelId })).then(
      (out) => (out.Domain?.DomainId === sentinelId ? undefined : 'wrong domain'),
      (error: Error) => `${error.name}: ${error.message}`,
    );
    if (still !== undefined) {
      const body = Buffer.from(JSON.stringify({ DomainId: sentinelId }));
      report.fail('a valid DescribeDomain still answers at the end', still, { operation: 'DescribeDomain', mutation: 'final', target: 'VoiceID.DescribeDomain', contentType: 'application/x-amz-json-1.0', body, signing: 'valid' });
    }
    return report.result();
  } finally {
    client.destroy();
  }
}

async function accountIdOf(target: FuzzTarget, domainId: string, client: VoiceIDClient): Promise<string> {
  const { Domain } = await client.send(new DescribeDomainCommand({ DomainId: domainId }));
  return /:(\d{12}):/.exec(Domain?.Arn ?? '')?.[1] ?? target.region;
}
