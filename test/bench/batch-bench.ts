/**
 * Batch enrolment throughput on the local stack, end to end: one local Timbre (DynamoDB Local, s3rver, KMS, Step
 * Functions), N records of one 30 s 8 kHz PCM-16 recording each, one StartSpeakerEnrollmentJob through the official
 * client, timed from Start to the job's end. Reports records per minute, CPU per record of this process (the
 * handlers and the model; DynamoDB Local's java and s3rver's child are not counted) and peak RSS.
 * Run: npm run bench:batch -- [records] [--json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateDomainCommand, DescribeSpeakerEnrollmentJobCommand, StartSpeakerEnrollmentJobCommand, VoiceIDClient } from '@aws-sdk/client-voice-id';
import { startLocalTimbre } from '../../lambdas/local/index.js';

const args = process.argv.slice(2);
const records = Number(args.find((a) => /^\d+$/.test(a)) ?? 60);
const json = args.includes('--json');
const BUCKET = 'bench-calls';
const TEXT =
  'The quick brown fox jumps over the lazy dog while the careful banker counts every coin in the old wooden drawer. ' +
  'Yesterday we travelled along the river to the market, where farmers sold apples, pears, bread and cheese to families from the nearby villages. ' +
  'My account number is not something I share on the telephone, but I am happy to confirm my address and the date of my last payment. ' +
  'Please remember that the meeting starts at nine o clock on Thursday morning in the large room on the second floor.';

function thirtySecondsOfSpeech(dir: string): Uint8Array {
  execFileSync('espeak-ng', ['-v', 'en+m3', '-s', '150', '-w', join(dir, 'raw.wav'), TEXT]);
  execFileSync('sox', ['-q', join(dir, 'raw.wav'), '-r', '8000', '-b', '16', '-e', 'signed-integer', '-c', '1', join(dir, 'call.wav'), 'trim', '0', '30']);
  return readFileSync(join(dir, 'call.wav'));
}

// A 30 s recording holds ~25 s of net speech, under Voice ID's 30 s minimum: the bench measures enrolments, so it
// lowers the minimum (the functions run in this process and read it from here; the template does not set it).
process.env.TIMBRE_BATCH_MIN_SPEECH_SECONDS = '20';
const dataDir = mkdtempSync(join(tmpdir(), 'timbre-batch-bench-'));
const local = await startLocalTimbre({
  port: 0, dataDir, schedules: false, batchRoleBuckets: [BUCKET], onError: () => undefined,
  quotas: JSON.stringify({ domainsPerRegion: 100, requestsPerSecond: { '*': 1_000_000 } }),
});
try {
  const s3 = new S3Client({ endpoint: local.endpoints.s3, region: local.region, credentials: local.serviceCredentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const audio = thirtySecondsOfSpeech(dataDir);
  const requests = [];
  for (let i = 0; i < records; i++) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `calls/${i}.wav`, Body: audio }));
    requests.push({ RequestId: `r${i}`, SpeakerId: `caller-${i}`, AudioSpecifications: [{ S3Uri: `s3://${BUCKET}/calls/${i}.wav`, ChannelId: 0 }] });
  }
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'manifest.json', Body: JSON.stringify({ Version: '1.0', SpeakerEnrollmentRequests: requests }) }));
  const client = new VoiceIDClient({ endpoint: local.endpoint, region: local.region, credentials: local.credentials });
  const { Domain } = await client.send(new CreateDomainCommand({ Name: 'bench', ServerSideEncryptionConfiguration: { KmsKeyId: local.resources.kmsKeyArn } }));
  // The callers are espeak-ng voices, which the countermeasure rightly flags: with the default FAIL every record would
  // fail its fraud check, so the bench turns the check off and measures enrolments (the CM's cost is in `timbre bench`).
  const start = {
    DataAccessRoleArn: 'arn:aws:iam::000000000000:role/bench', InputDataConfig: { S3Uri: `s3://${BUCKET}/manifest.json` }, OutputDataConfig: { S3Uri: `s3://${BUCKET}/out` },
    EnrollmentConfig: { FraudDetectionConfig: { FraudDetectionAction: 'IGNORE' as const } },
  };

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpuBefore = process.cpuUsage();
  const startedMs = performance.now();
  const { Job } = await client.send(new StartSpeakerEnrollmentJobCommand({ DomainId: Domain!.DomainId!, ...start }));
  let status = Job!.JobStatus;
  while (status !== 'COMPLETED' && status !== 'COMPLETED_WITH_ERRORS' && status !== 'FAILED') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = (await client.send(new DescribeSpeakerEnrollmentJobCommand({ DomainId: Domain!.DomainId!, JobId: Job!.JobId! }))).Job!.JobStatus;
  }
  const wallMs = performance.now() - startedMs;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const result = {
    records,
    status,
    recordsPerMinute: Math.round((records / wallMs) * 60_000),
    cpuMsPerRecord: Math.round((cpu.user + cpu.system) / 1000 / records),
    wallMsPerRecord: Math.round(wallMs / records),
    peakRssMiB: Math.round(peakRss / 2 ** 20),
    fraudCheck: 'IGNORE',
  };
  if (json) console.log(JSON.stringify(result));
  else {
    console.log(`batch enrolment, ${records} records of 30 s 8 kHz PCM-16 each, local stack, fraud check IGNORE (synthetic callers): ${status}`);
    console.log(`  ${result.recordsPerMinute} records/min  ${result.wallMsPerRecord} ms wall/record  ${result.cpuMsPerRecord} ms CPU/record (this process)  peak RSS ${result.peakRssMiB} MiB`);
  }
} finally {
  await local.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
