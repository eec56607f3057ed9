/**
 * `timbre serve [--port PORT] [--data-dir DIR] [--model CARD]`: runs Timbre on this machine on its embedded AWS
 * services and serves the Voice ID API on 127.0.0.1 until Ctrl-C. Configuration is read here, once:
 * flags first, then TIMBRE_PORT / TIMBRE_DATA_DIR / TIMBRE_MODEL_CARD / TIMBRE_REGION / TIMBRE_QUOTAS /
 * TIMBRE_ACCESS_KEY_ID + TIMBRE_SECRET_ACCESS_KEY, then the defaults (8787, ./.timbre, the default card, us-east-1).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { LocalModeError, startLocalTimbre, type LocalTimbre } from '../../lambdas/local/index.js';
import { DEFAULT_MODEL_CARD_FILE } from '../../lambdas/voiceprint/index.js';
import { InferenceLayerError, speakerModelCardPath } from '../../lib/inference-layer-files.js';
import { ENV } from '../../lib/contract/env-names.js';
import { UsageError } from './cli-support.js';
import { resolveModelCardPath } from './model-option.js';

const USAGE = `usage: timbre serve [--port PORT] [--data-dir DIR] [--model CARD]

  --port PORT       port of the Voice ID API on 127.0.0.1 (default 8787, TIMBRE_PORT; 0 = any free port)
  --data-dir DIR    where tables, objects, KMS keys and credentials are kept (default ./.timbre, TIMBRE_DATA_DIR)
  --model CARD      speaker model card the functions run, a file in models/ as the deployed layer ships it
                    (default $${ENV.MODEL_CARD}, else ${DEFAULT_MODEL_CARD_FILE})

Environment: TIMBRE_REGION (default us-east-1), TIMBRE_QUOTAS (JSON quota overrides),
TIMBRE_ACCESS_KEY_ID and TIMBRE_SECRET_ACCESS_KEY (default: generated once, kept in the data dir).
`;

/** Where the secret key is: the banner never prints it, so it stays out of terminals, logs and CI output. */
function secretSource(local: LocalTimbre): { where: string; clientCredentials: string } {
  if (local.credentialsFile === undefined) {
    return {
      where: 'from TIMBRE_SECRET_ACCESS_KEY',
      clientCredentials: '{ accessKeyId: process.env.TIMBRE_ACCESS_KEY_ID, secretAccessKey: process.env.TIMBRE_SECRET_ACCESS_KEY }',
    };
  }
  return {
    where: `in ${local.credentialsFile} (readable by you only)`,
    clientCredentials: `JSON.parse(readFileSync('${local.credentialsFile}', 'utf8'))`,
  };
}

function banner(local: LocalTimbre, startMs: number): string {
  const { endpoint, region, credentials } = local;
  const secret = secretSource(local);
  return [
    `Timbre is serving the Voice ID API (started in ${(startMs / 1000).toFixed(1)} s)`,
    '',
    `  endpoint           ${endpoint}`,
    `  region             ${region}`,
    `  access key id      ${credentials.accessKeyId}`,
    `  secret access key  ${secret.where}`,
    '',
    'Try it with the official client:',
    '',
    `  const client = new VoiceIDClient({ endpoint: '${endpoint}', region: '${region}', credentials: ${secret.clientCredentials} });`,
    '  await client.send(new ListDomainsCommand({ MaxResults: 10 }));',
    '',
    `Local AWS services (SigV4 with access key ${local.serviceCredentials.accessKeyId}, see lambdas/local/README.md):`,
    `  ${Object.entries(local.endpoints).map(([name, url]) => `${name} ${url}`).join('   ')}`,
    `  table ${local.resources.tableName}, audio bucket ${local.resources.audioBucket}, batch bucket ${local.resources.batchBucket}`,
    `  every endpoint     ${local.endpointsFile} (removed on stop)`,
    '',
    'The retention sweep (purging deleted domains, destroying expired biometrics) runs a minute after start, then daily.',
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function parsePort(text: string): number | undefined {
  const port = Number(text);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/** Runs the local server until SIGINT or SIGTERM; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  let values: { port?: string; 'data-dir'?: string; model?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, model: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const env = process.env;
  const port = parsePort(values.port ?? env.TIMBRE_PORT ?? '8787');
  if (port === undefined) {
    process.stderr.write(`--port must be an integer 0–65535\n${USAGE}`);
    return 2;
  }
  const keyId = env.TIMBRE_ACCESS_KEY_ID;
  const secret = env.TIMBRE_SECRET_ACCESS_KEY;
  if ((keyId === undefined) !== (secret === undefined)) {
    process.stderr.write('set both TIMBRE_ACCESS_KEY_ID and TIMBRE_SECRET_ACCESS_KEY, or neither\n');
    return 2;
  }
  let speakerModelCard: string;
  try {
    // Checked before anything starts; the same check as the deployed stack's, since the local functions read what its layer would ship.
    speakerModelCard = speakerModelCardPath({ speakerModelCard: resolveModelCardPath(values.model, env) });
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof InferenceLayerError)) throw error;
    process.stderr.write(`timbre serve: ${error.message}\n`);
    return 2;
  }
  const startedMs = Date.now();
  let local: LocalTimbre;
  try {
    local = await startLocalTimbre({
      port,
      dataDir: resolve(values['data-dir'] ?? env.TIMBRE_DATA_DIR ?? '.timbre'),
      region: env.TIMBRE_REGION ?? 'us-east-1',
      speakerModelCard,
      ...(env.TIMBRE_QUOTAS === undefined ? {} : { quotas: env.TIMBRE_QUOTAS }),
      ...(keyId === undefined || secret === undefined ? {} : { credentials: { accessKeyId: keyId, secretAccessKey: secret } }),
    });
  } catch (error) {
    if (!(error instanceof LocalModeError)) throw error;
    process.stderr.write(`timbre serve: ${error.message}\n`);
    return 1;
  }
  process.stdout.write(banner(local, Date.now() - startedMs));
  await new Promise<void>((done) => {
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) {
        // A second Ctrl-C: exit now; the exit hook still kills java and s3rver.
        process.exit(130);
      }
      stopping = true;
      process.stdout.write(`\n${signal}: stopping Timbre…\n`);
      void local.stop().finally(done);
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  });
  return 0;
}
