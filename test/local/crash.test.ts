/**
 * Kill -9 under concurrent writes: `timbre serve` runs as a child on its own data dir, writers record every write
 * answered 200, the server is SIGKILLed mid-stream and started again on the same dir, and then every acknowledged
 * write must be there and every counter the store keeps must equal the items it counts. Two rounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import {
  CreateDomainCommand,
  CreateWatchlistCommand,
  DescribeDomainCommand,
  DescribeSpeakerCommand,
  DescribeWatchlistCommand,
  ListTagsForResourceCommand,
  OptOutSpeakerCommand,
  TagResourceCommand,
  VoiceIDClient,
} from '@aws-sdk/client-voice-id';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_KEY_ALIAS, S3RVER_CREDENTIALS } from '../../lambdas/local/index.js';
import { pidsMentioning, startServe, waitFor, type ServeProcess } from './support/serve-process.js';

const CREDENTIALS = { accessKeyId: 'AKIACRASHTEST0000000', secretAccessKey: 'crash-test-secret-key-00000000000000000000' };
const ENV = {
  TIMBRE_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  TIMBRE_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  TIMBRE_QUOTAS: JSON.stringify({ domainsPerRegion: 100_000, watchlistsPerDomain: 10_000, requestsPerSecond: { '*': 1_000_000 } }),
};
/** Writes acknowledged (of every kind together) before the kill; the writers keep going while it lands. */
const ACKS_BEFORE_KILL = 60;

/** Every write answered 200. */
interface Acknowledged {
  domains: { domainId: string; arn: string }[];
  watchlists: { domainId: string; watchlistId: string }[];
  tags: { arn: string; key: string; value: string }[];
  optOuts: { domainId: string; speakerId: string }[];
}

interface Running {
  serve: ServeProcess;
  client: VoiceIDClient;
  dynamodb: string;
  table: string;
}

/** Every serve started here, so a failed assertion does not leave one running. */
const started: ServeProcess[] = [];

async function start(dataDir: string): Promise<Running> {
  const serve = startServe(dataDir, ENV);
  started.push(serve);
  await waitFor(() => serve.output().includes('Press Ctrl-C') || serve.child.exitCode !== null, 200_000);
  const out = serve.output();
  expect(out).toContain('Press Ctrl-C');
  const endpoint = /endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
  const client = new VoiceIDClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  return { serve, client, dynamodb: /dynamodb (http:\/\/\S+)/.exec(out)![1]!, table: /table (\S+),/.exec(out)![1]! };
}

/** Runs writers of every kind until `stop` resolves; every 200 goes into `acked`. */
/** A short wait, so a writer with nothing to write yet does not spin on resolved promises and starve the event loop. */
const pause = () => new Promise<void>((r) => setTimeout(r, 20));

/** The last message of each error the writers got (they are expected once the kill lands). */
const errors = new Map<string, string>();

async function write(client: VoiceIDClient, acked: Acknowledged, stop: Promise<void>, kmsKeyId: string, round: number): Promise<void> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  let n = 0;
  const pick = <T>(items: T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
  const writers: (() => Promise<void>)[] = [
    async () => {
      const { Domain } = await client.send(new CreateDomainCommand({ Name: `crash-${round}-${n++}`, ServerSideEncryptionConfiguration: { KmsKeyId: kmsKeyId } }));
      acked.domains.push({ domainId: Domain!.DomainId!, arn: Domain!.Arn! });
    },
    async () => {
      const domain = pick(acked.domains);
      if (domain === undefined) return pause();
      const { Watchlist } = await client.send(new CreateWatchlistCommand({ DomainId: domain.domainId, Name: `crash-${round}-${n++}` }));
      acked.watchlists.push({ domainId: domain.domainId, watchlistId: Watchlist!.WatchlistId! });
    },
    async () => {
      const domain = pick(acked.domains);
      if (domain === undefined) return pause();
      const tag = { arn: domain.arn, key: `k-${round}-${n++}`, value: `v${n}` };
      await client.send(new TagResourceCommand({ ResourceArn: tag.arn, Tags: [{ Key: tag.key, Value: tag.value }] }));
      acked.tags.push(tag);
    },
    async () => {
      const domain = pick(acked.domains);
      if (domain === undefined) return pause();
      const optOut = { domainId: domain.domainId, speakerId: `cust-${round}-${n++}` };
      await client.send(new OptOutSpeakerCommand({ DomainId: optOut.domainId, SpeakerId: optOut.speakerId }));
      acked.optOuts.push(optOut);
    },
  ];
  // Two loops per kind, so writes of every kind are in flight when the kill lands.
  const loops = [...writers, ...writers].map(async (writeOnce) => {
    while (!stopped) {
      await writeOnce().catch(async (error: Error) => {
        errors.set(error.name, error.message);
        await pause();
      });
    }
  });
  await Promise.all(loops);
}

function ackCount(acked: Acknowledged): number {
  return acked.domains.length + acked.watchlists.length + acked.tags.length + acked.optOuts.length;
}

/** Every acknowledged write that cannot be read back, by description. */
async function lostWrites(client: VoiceIDClient, acked: Acknowledged): Promise<string[]> {
  const lost: string[] = [];
  const missing = (what: string) => (error: Error): undefined => {
    lost.push(`${what}: ${error.name}`);
    return undefined;
  };
  for (const d of acked.domains) await client.send(new DescribeDomainCommand({ DomainId: d.domainId })).catch(missing(`domain ${d.domainId}`));
  for (const w of acked.watchlists) {
    await client.send(new DescribeWatchlistCommand({ DomainId: w.domainId, WatchlistId: w.watchlistId })).catch(missing(`watchlist ${w.watchlistId}`));
  }
  const tagsByArn = new Map<string, Map<string, string>>();
  for (const t of acked.tags) {
    if (!tagsByArn.has(t.arn)) {
      const { Tags = [] } = await client.send(new ListTagsForResourceCommand({ ResourceArn: t.arn }));
      tagsByArn.set(t.arn, new Map(Tags.map((tag) => [tag.Key!, tag.Value!])));
    }
    if (tagsByArn.get(t.arn)!.get(t.key) !== t.value) lost.push(`tag ${t.key} on ${t.arn}`);
  }
  for (const o of acked.optOuts) {
    const speaker = await client.send(new DescribeSpeakerCommand({ DomainId: o.domainId, SpeakerId: o.speakerId })).catch(missing(`opt-out ${o.speakerId}`));
    if (speaker !== undefined && speaker.Speaker?.Status !== 'OPTED_OUT') lost.push(`opt-out ${o.speakerId}: ${speaker.Speaker?.Status}`);
  }
  return lost;
}

/** Every counter the store keeps compared with the items it counts; returns the mismatches and how many were checked. */
async function counterMismatches(running: Running): Promise<{ checked: number; mismatches: string[] }> {
  const raw = new DynamoDBClient({ endpoint: running.dynamodb, region: 'us-east-1', credentials: S3RVER_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(raw);
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: doc }, { TableName: running.table, ConsistentRead: true })) items.push(...(page.Items ?? []));
  raw.destroy();
  const pk = (i: Record<string, unknown>) => String(i.pk ?? i.PK);
  const sk = (i: Record<string, unknown>) => String(i.sk ?? i.SK);
  const domains = items.filter((i) => pk(i).startsWith('DOMAIN#') && sk(i) === '#DOMAIN');
  const mismatches: string[] = [];
  let checked = 0;
  const expectCount = (what: string, counter: unknown, actual: number) => {
    checked += 1;
    if ((counter ?? 0) !== actual) mismatches.push(`${what}: counter ${String(counter)} but ${actual} items`);
  };
  const account = items.find((i) => pk(i) === 'ACCOUNT' && sk(i) === '#COUNTERS');
  expectCount('domains of the account', account?.domainCount, domains.filter((d) => d.deletedAtMs === undefined).length);
  for (const domain of domains) {
    const under = items.filter((i) => pk(i) === pk(domain));
    expectCount(`watchlists of ${pk(domain)}`, domain.watchlistCount, under.filter((i) => sk(i).startsWith('WATCHLIST#')).length);
    expectCount(`speakers of ${pk(domain)}`, domain.speakerCount, under.filter((i) => sk(i).startsWith('SPEAKER#')).length);
    const fraudsters = under.filter((i) => sk(i).startsWith('FRAUDSTER#'));
    for (const watchlist of under.filter((i) => sk(i).startsWith('WATCHLIST#'))) {
      const members = fraudsters.filter((f) => f.watchlistIds instanceof Set && f.watchlistIds.has(watchlist.watchlistId)).length;
      expectCount(`fraudsters of ${sk(watchlist)}`, watchlist.fraudsterCount, members);
    }
  }
  return { checked, mismatches };
}

async function kill(running: Running, dataDir: string): Promise<void> {
  running.serve.child.kill('SIGKILL');
  await running.serve.exited;
  running.client.destroy();
  // Its parent guard takes java and s3rver down with it; the next start needs the data dir free.
  expect(await waitFor(() => pidsMentioning(dataDir).length === 0, 30_000)).toBe(true);
}

describe('a kill -9 under concurrent writes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'timbre-crash-'));
  afterAll(async () => {
    for (const serve of started.filter((s) => s.child.exitCode === null && s.child.signalCode === null)) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
    await waitFor(() => pidsMentioning(dataDir).length === 0, 30_000);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged write and leaves every counter equal to its items, over two kills', { timeout: 600_000 }, async () => {
    const acked: Acknowledged = { domains: [], watchlists: [], tags: [], optOuts: [] };
    let running = await start(dataDir);
    for (const round of [1, 2]) {
      // Act: write concurrently and kill -9 once enough writes were acknowledged, with more in flight.
      const target = ackCount(acked) + ACKS_BEFORE_KILL;
      let killed!: () => void;
      const stop = new Promise<void>((r) => (killed = r));
      const writing = write(running.client, acked, stop, LOCAL_KEY_ALIAS, round);
      const enough = await waitFor(() => ackCount(acked) >= target, 120_000);
      await kill(running, dataDir);
      killed();
      await writing;
      expect(enough, `writes acknowledged: ${ackCount(acked)}; errors: ${JSON.stringify([...errors])}`).toBe(true);
      running = await start(dataDir);

      // Assess
      expect(await lostWrites(running.client, acked), `round ${round}`).toEqual([]);
      const { checked, mismatches } = await counterMismatches(running);
      expect(mismatches, `round ${round}`).toEqual([]);
      expect(checked).toBeGreaterThan(acked.domains.length);
      console.log(`crash round ${round}: ${ackCount(acked)} writes acknowledged so far (${acked.domains.length} domains, ${acked.watchlists.length} watchlists, ${acked.tags.length} tags, ${acked.optOuts.length} opt-outs), 0 lost, ${checked} counters checked`);
    }
    running.serve.child.kill('SIGINT');
    await running.serve.exited;
    running.client.destroy();
  });
});
