/**
 * `timbre batch-enrol`: enrols the speakers of a manifest in one StartSpeakerEnrollmentJob, uploading the manifest and
 * the local audio files it names, and waits for the job to end.
 */
import { DescribeSpeakerEnrollmentJobCommand, StartSpeakerEnrollmentJobCommand } from '@aws-sdk/client-voice-id';
import { UsageError, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { BATCH_OPTIONS, BATCH_USAGE, choiceOption, numberOption, planUpload, resolveBatchTarget, runBatchJob } from './batch-job.js';
import { SERVICE_OPTIONS, SERVICE_USAGE, connect, resolveServiceSettings } from './service-connection.js';

const USAGE = `
usage: timbre batch-enrol --domain ID MANIFEST.json [--output S3URI] [--role ARN] [--kms-key ID]
                          [--existing SKIP|OVERWRITE] [--fraud-action FAIL|IGNORE] [--risk-threshold N] [--json]

MANIFEST.json is Voice ID's enrolment manifest ({"Version": "1.0", "SpeakerEnrollmentRequests": [...]}); an
AudioSpecifications S3Uri that is not an s3:// URI is a WAV file relative to the manifest's folder, uploaded first.
  --domain ID           the domain (22 characters)
  --existing ACTION     EnrollmentConfig.ExistingEnrollmentAction (default SKIP)
  --fraud-action ACTION FraudDetectionConfig.FraudDetectionAction (default FAIL)
  --risk-threshold N    FraudDetectionConfig.RiskThreshold, 0 to 100 (default 50)
  --watchlist ID        FraudDetectionConfig.WatchlistIds (default: the domain's default watchlist)
${BATCH_USAGE}
${SERVICE_USAGE}

Writes a progress line on stderr while the job runs and prints the output file's summary; --json prints
{"job": <DescribeSpeakerEnrollmentJob's Job>, "output": <the output file>}. Exit 0 when the job ran (its records may
have failed: see the summary), 1 when it FAILED or on an error, 2 for bad usage.
`;

/** `timbre batch-enrol`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('batch-enrol', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      domain: { type: 'string' }, existing: { type: 'string' }, 'fraud-action': { type: 'string' }, 'risk-threshold': { type: 'string' },
      watchlist: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...BATCH_OPTIONS, ...SERVICE_OPTIONS,
    }, true);
    if (printHelp(values.help, USAGE)) return 0;
    if (values.domain === undefined) throw new UsageError('--domain ID is required');
    if (positionals.length !== 1) throw new UsageError('give exactly one MANIFEST.json');
    const existing = choiceOption('existing', values.existing, ['SKIP', 'OVERWRITE'] as const);
    const fraudAction = choiceOption('fraud-action', values['fraud-action'], ['FAIL', 'IGNORE'] as const);
    const riskThreshold = numberOption('risk-threshold', values['risk-threshold'], 0, 100);
    const settings = resolveServiceSettings(values);
    const target = resolveBatchTarget(settings, values);
    const plan = planUpload(positionals[0]!, 'SpeakerEnrollmentRequests', target.bucket);
    const { voiceId } = connect(settings);
    const DomainId = values.domain;
    const fraud = {
      ...(fraudAction === undefined ? {} : { FraudDetectionAction: fraudAction }),
      ...(riskThreshold === undefined ? {} : { RiskThreshold: riskThreshold }),
      ...(values.watchlist === undefined ? {} : { WatchlistIds: [values.watchlist] }),
    };
    return runBatchJob({
      target, plan, values, successMember: 'SuccessfulEnrollments',
      start: async ({ inputS3Uri, outputS3Uri, roleArn, jobName }) => {
        const { Job } = await voiceId.send(new StartSpeakerEnrollmentJobCommand({
          DomainId, ...(jobName === undefined ? {} : { JobName: jobName }), DataAccessRoleArn: roleArn,
          InputDataConfig: { S3Uri: inputS3Uri },
          OutputDataConfig: { S3Uri: outputS3Uri, ...(values['kms-key'] === undefined ? {} : { KmsKeyId: values['kms-key'] }) },
          EnrollmentConfig: {
            ...(existing === undefined ? {} : { ExistingEnrollmentAction: existing }),
            ...(Object.keys(fraud).length === 0 ? {} : { FraudDetectionConfig: fraud }),
          },
        }));
        return Job!.JobId!;
      },
      describe: async (JobId) => (await voiceId.send(new DescribeSpeakerEnrollmentJobCommand({ DomainId, JobId }))).Job!,
    });
  });
}
