/**
 * `timbre call-sim`: plays a recorded call as an Amazon Connect contact against a running `timbre serve`: the MKV goes
 * to the local Kinesis Video endpoint, the flow's start Lambda starts the session and its audio consumer, and the
 * evaluate Lambda is polled as the documented flow polls it, until the result is final.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FlowAttributes } from '../../lambdas/connect/contact-flow.js';
import { readEndpointsFile } from '../../lambdas/local/endpoints-file.js';
import { simulateContactFlow } from '../../lambdas/local/connect/contact-flow-simulator.js';
import { S3RVER_CREDENTIALS } from '../../lambdas/local/s3/s3rver-process.js';
import { CommandError, UsageError, intOption, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { DEFAULT_DATA_DIR } from './service-connection.js';

const USAGE = `
usage: timbre call-sim --domain ID --mkv FILE --customer-id ID [--watchlist ID] [--contact-id ID] [--fast] [--json]

Plays FILE (a call recorded as Connect streams it: Matroska with AUDIO_FROM_CUSTOMER and ContactId tags) through
the local Kinesis Video endpoint of a running \`timbre serve\`, invokes the flow's start Lambda with the event Connect
sends, then the evaluate Lambda every --poll-seconds while the result is Inconclusive and the stream goes on, and
prints the attributes the evaluate Lambda returned last (docs/connect.md lists them).
  --domain ID          the domain (22 characters)
  --mkv FILE           the recording
  --customer-id ID     $.CustomerId: the speaker the caller claims to be (leave out for an anonymous caller)
  --watchlist ID       the watchlist fraud detection uses (default: the domain's default watchlist)
  --contact-id ID      which contact of the recording to play (default: the first it names)
  --fast               serve the recording as fast as it is read, not in real time
  --poll-seconds N     seconds between evaluations (default 5; 1 with --fast)
  --data-dir DIR       the running serve's data directory (default ${DEFAULT_DATA_DIR})
  --json               print the last attribute map as one JSON object
`;

function describeAttributes(attributes: FlowAttributes): string {
  const width = Math.max(...Object.keys(attributes).map((k) => k.length));
  return `${Object.entries(attributes).map(([key, value]) => `  ${key.padEnd(width)}  ${value}`).join('\n')}\n`;
}

/** `timbre call-sim`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('call-sim', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      domain: { type: 'string' }, mkv: { type: 'string' }, 'customer-id': { type: 'string' }, watchlist: { type: 'string' },
      'contact-id': { type: 'string' }, fast: { type: 'boolean' }, 'poll-seconds': { type: 'string' }, 'data-dir': { type: 'string' },
      json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    }, false);
    if (printHelp(values.help, USAGE)) return 0;
    void positionals;
    if (values.domain === undefined) throw new UsageError('--domain ID is required');
    if (values.mkv === undefined) throw new UsageError('--mkv FILE is required');
    const pollSeconds = intOption('poll-seconds', values['poll-seconds'], 1, 60) ?? (values.fast ? 1 : 5);
    let mkv: Uint8Array;
    try {
      mkv = readFileSync(values.mkv);
    } catch {
      throw new UsageError(`cannot read ${values.mkv}`);
    }
    const dataDir = resolve(values['data-dir'] ?? DEFAULT_DATA_DIR);
    const endpoints = readEndpointsFile(dataDir);
    if (endpoints === undefined) throw new CommandError(`no timbre serve is running on ${dataDir} (no endpoints.json there): start one with npm start`);
    const kinesisVideo = endpoints.kinesisvideo;
    const lambda = endpoints.lambda;
    if (typeof kinesisVideo !== 'string' || typeof lambda !== 'string') throw new CommandError(`${dataDir}/endpoints.json names no kinesisvideo or lambda endpoint: restart timbre serve`);

    const run = await simulateContactFlow(
      {
        mkv,
        ...(values['contact-id'] !== undefined && { contactId: values['contact-id'] }),
        ...(values['customer-id'] !== undefined && { customerId: values['customer-id'] }),
        parameters: { domainId: values.domain, ...(values.watchlist !== undefined && { watchlistId: values.watchlist }) },
        pace: values.fast ? 'fast' : 'realtime',
      },
      {
        region: endpoints.region,
        credentials: S3RVER_CREDENTIALS,
        kinesisVideoEndpoint: kinesisVideo,
        lambdaEndpoint: lambda,
        functions: endpoints.functions,
        pollIntervalMs: pollSeconds * 1000,
        onPoll: (attributes, poll) => {
          process.stderr.write(`poll ${poll}: ${attributes.streamingStatus ?? '?'}, authentication ${attributes.authenticationResult ?? '?'}, fraud ${attributes.fraudResult ?? '?'}\n`);
        },
      },
    );
    if (values.json) process.stdout.write(`${JSON.stringify(run.last)}\n`);
    else process.stdout.write(`contact ${run.contactId}, ${run.evaluations.length} evaluation(s)\n${describeAttributes(run.last)}`);
    return 0;
  });
}
