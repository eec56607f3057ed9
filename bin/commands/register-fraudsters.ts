/**
 * `timbre register-fraudsters`: registers the fraudsters of a manifest in one StartFraudsterRegistrationJob, uploading
 * the manifest and the local audio files it names, and waits for the job to end.
 */
import { DescribeFraudsterRegistrationJobCommand, StartFraudsterRegistrationJobCommand } from '@aws-sdk/client-voice-id';
import { UsageError, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { BATCH_OPTIONS, BATCH_USAGE, choiceOption, numberOption, planUpload, resolveBatchTarget, runBatchJob } from './batch-job.js';
import { SERVICE_OPTIONS, SERVICE_USAGE, connect, resolveServiceSettings } from './service-connection.js';

const USAGE = `
usage: timbre register-fraudsters --domain ID [--watchlist ID] [--duplicates SKIP|REGISTER_AS_NEW]
                                  [--similarity-threshold N] MANIFEST.json [--json]

MANIFEST.json is Voice ID's registration manifest ({"Version": "1.0", "FraudsterRegistrationRequests": [...]}); an
AudioSpecifications S3Uri that is not an s3:// URI is a WAV file relative to the manifest's folder, uploaded first.
  --domain ID               the domain (22 characters)
  --watchlist ID            RegistrationConfig.WatchlistIds (default: the domain's default watchlist)
  --duplicates ACTION       RegistrationConfig.DuplicateRegistrationAction (default SKIP)
  --similarity-threshold N  RegistrationConfig.FraudsterSimilarityThreshold, 0 to 100 (default 50)
${BATCH_USAGE}
${SERVICE_USAGE}

Writes a progress line on stderr while the job runs and prints the output file's summary; --json prints
{"job": <DescribeFraudsterRegistrationJob's Job>, "output": <the output file>}. Exit 0 when the job ran (its records
may have failed: see the summary), 1 when it FAILED or on an error, 2 for bad usage.
`;

/** `timbre register-fraudsters`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('register-fraudsters', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      domain: { type: 'string' }, watchlist: { type: 'string' }, duplicates: { type: 'string' }, 'similarity-threshold': { type: 'string' },
      help: { type: 'boolean', short: 'h' }, ...BATCH_OPTIONS, ...SERVICE_OPTIONS,
    }, true);
    if (printHelp(values.help, USAGE)) return 0;
    if (values.domain === undefined) throw new UsageError('--domain ID is required');
    if (positionals.length !== 1) throw new UsageError('give exactly one MANIFEST.json');
    const duplicates = choiceOption('duplicates', values.duplicates, ['SKIP', 'REGISTER_AS_NEW'] as const);
    const similarity = numberOption('similarity-threshold', values['similarity-threshold'], 0, 100);
    const settings = resolveServiceSettings(values);
    const target = resolveBatchTarget(settings, values);
    const plan = planUpload(positionals[0]!, 'FraudsterRegistrationRequests', target.bucket);
    const { voiceId } = connect(settings);
    const DomainId = values.domain;
    return runBatchJob({
      target, plan, values, successMember: 'SuccessfulRegistrations',
      start: async ({ inputS3Uri, outputS3Uri, roleArn, jobName }) => {
        const { Job } = await voiceId.send(new StartFraudsterRegistrationJobCommand({
          DomainId, ...(jobName === undefined ? {} : { JobName: jobName }), DataAccessRoleArn: roleArn,
          InputDataConfig: { S3Uri: inputS3Uri },
          OutputDataConfig: { S3Uri: outputS3Uri, ...(values['kms-key'] === undefined ? {} : { KmsKeyId: values['kms-key'] }) },
          RegistrationConfig: {
            ...(duplicates === undefined ? {} : { DuplicateRegistrationAction: duplicates }),
            ...(similarity === undefined ? {} : { FraudsterSimilarityThreshold: similarity }),
            ...(values.watchlist === undefined ? {} : { WatchlistIds: [values.watchlist] }),
          },
        }));
        return Job!.JobId!;
      },
      describe: async (JobId) => (await voiceId.send(new DescribeFraudsterRegistrationJobCommand({ DomainId, JobId }))).Job!,
    });
  });
}
