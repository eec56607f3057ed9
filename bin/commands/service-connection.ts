/**
 * How the commands that call a Timbre API (enrol, verify) find it and sign for it. One set of settings
 * reaches both the official Voice ID client (EvaluateSession's neighbours: DescribeSpeaker, …) and the typed
 * session client:
 * - endpoint: `--endpoint`, else the `api` of `<data dir>/endpoints.json` (a running `timbre serve`), else
 *   http://127.0.0.1:8787;
 * - a loopback endpoint is a local Timbre: credentials from TIMBRE_ACCESS_KEY_ID / TIMBRE_SECRET_ACCESS_KEY,
 *   else the data directory's credentials file; signing name `voiceid`;
 * - any other endpoint is a deployed stack behind API Gateway: the standard AWS credential chain, signing
 *   name `execute-api`;
 * - `--signing-name` overrides either; `--region`, else (local) endpoints.json / TIMBRE_REGION, else
 *   AWS_REGION / AWS_DEFAULT_REGION, else us-east-1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VoiceIDClient, type VoiceIDClientConfig } from '@aws-sdk/client-voice-id';
import { TimbreSessionClient, type TimbreCredentials } from '../../lambdas/client/index.js';
import { readEndpointsFile } from '../../lambdas/local/endpoints-file.js';
import { credentialsFilePath } from '../../lambdas/local/gateway/credentials.js';
import { CommandError, UsageError } from './cli-support.js';

/** The local API's address when nothing else names one. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8787';
/** The data directory `timbre serve` uses by default. */
export const DEFAULT_DATA_DIR = '.timbre';

/** Usage lines shared by every command that calls the API. */
export const SERVICE_USAGE = `  --endpoint URL        the Timbre API (default: the api of DIR/endpoints.json while timbre serve runs, else ${DEFAULT_ENDPOINT})
  --data-dir DIR        a local Timbre's data directory, for its endpoints and credentials (default ${DEFAULT_DATA_DIR})
  --region REGION       signing region (default: the local server's, or AWS_REGION, else us-east-1)
  --signing-name NAME   SigV4 service name (default voiceid for a loopback endpoint, execute-api otherwise)
  --json                print one JSON object on stdout

A loopback endpoint signs with TIMBRE_ACCESS_KEY_ID / TIMBRE_SECRET_ACCESS_KEY, else DIR/credentials.json;
any other endpoint with the standard AWS credential chain (environment, profile, SSO, instance role).`;

/** parseArgs options shared by every command that calls the API. */
export const SERVICE_OPTIONS = {
  endpoint: { type: 'string' },
  'data-dir': { type: 'string' },
  region: { type: 'string' },
  'signing-name': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The values SERVICE_OPTIONS parse into. */
export interface ServiceOptionValues {
  endpoint?: string | undefined;
  'data-dir'?: string | undefined;
  region?: string | undefined;
  'signing-name'?: string | undefined;
}

/** Where the credentials come from. */
export type CredentialSource =
  | { kind: 'static'; credentials: TimbreCredentials; from: string }
  | { kind: 'aws-chain' };

/** Everything needed to reach and sign for the API. */
export interface ServiceSettings {
  endpoint: string;
  region: string;
  signingName: string;
  /** True for 127.0.0.0/8, ::1 and localhost: a local Timbre. */
  loopback: boolean;
  credentials: CredentialSource;
}

/** True for an endpoint on this machine's loopback interface. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function parseEndpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint must be an http:// or https:// URL, not "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--endpoint must be an http:// or https:// URL, not "${text}"`);
  return url;
}

/** The key pair of a local Timbre: from the environment, else its data directory's credentials file. */
function localCredentials(dataDir: string, env: NodeJS.ProcessEnv): CredentialSource {
  const keyId = env.TIMBRE_ACCESS_KEY_ID;
  const secret = env.TIMBRE_SECRET_ACCESS_KEY;
  if ((keyId === undefined) !== (secret === undefined)) throw new UsageError('set both TIMBRE_ACCESS_KEY_ID and TIMBRE_SECRET_ACCESS_KEY, or neither');
  if (keyId !== undefined && secret !== undefined) return { kind: 'static', credentials: { accessKeyId: keyId, secretAccessKey: secret }, from: 'TIMBRE_ACCESS_KEY_ID' };
  const path = credentialsFilePath(dataDir);
  if (!existsSync(path)) {
    throw new CommandError(`no credentials for the local API: ${path} does not exist; point --data-dir at the data directory of the running timbre serve, or set TIMBRE_ACCESS_KEY_ID and TIMBRE_SECRET_ACCESS_KEY`);
  }
  let parsed: Partial<TimbreCredentials>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<TimbreCredentials>;
  } catch (error) {
    throw new CommandError(`cannot read credentials from ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed.accessKeyId !== 'string' || typeof parsed.secretAccessKey !== 'string') throw new CommandError(`${path} lacks accessKeyId / secretAccessKey`);
  return { kind: 'static', credentials: { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey }, from: path };
}

/**
 * Resolves the settings the options and the environment name (see the module comment for the order).
 * Reads the data directory's endpoints.json and credentials file; contacts nothing.
 */
export function resolveServiceSettings(values: ServiceOptionValues, env: NodeJS.ProcessEnv = process.env): ServiceSettings {
  const dataDir = resolve(values['data-dir'] ?? DEFAULT_DATA_DIR);
  const served = values.endpoint === undefined ? readServed(dataDir) : undefined;
  const url = parseEndpoint(values.endpoint ?? served?.api ?? DEFAULT_ENDPOINT);
  const loopback = isLoopback(url);
  const signingName = values['signing-name'] ?? (loopback ? 'voiceid' : 'execute-api');
  if (!/^[a-z0-9-]+$/.test(signingName)) throw new UsageError(`--signing-name must be a service name like voiceid or execute-api, not "${signingName}"`);
  const localRegion = loopback ? (served?.region ?? readServed(dataDir)?.region ?? env.TIMBRE_REGION) : undefined;
  const region = values.region ?? localRegion ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  if (!/^[a-z0-9-]+$/.test(region)) throw new UsageError(`--region must be a region name like us-east-1, not "${region}"`);
  const credentials = loopback ? localCredentials(dataDir, env) : { kind: 'aws-chain' as const };
  // The URL as given, so an API Gateway stage path (…/prod) is kept.
  return { endpoint: url.href.replace(/\/$/, ''), region, signingName, loopback, credentials };
}

function readServed(dataDir: string): { api: string; region: string | undefined } | undefined {
  try {
    const file = readEndpointsFile(dataDir);
    return file === undefined ? undefined : { api: file.api, region: typeof file.region === 'string' ? file.region : undefined };
  } catch (error) {
    throw new CommandError((error as Error).message, { cause: error });
  }
}

/** The two clients of one set of settings. */
export interface ServiceClients {
  voiceId: VoiceIDClient;
  sessions: TimbreSessionClient;
  settings: ServiceSettings;
}

/** Builds the official Voice ID client and the typed session client on the same endpoint, region, signing name and credentials. */
export function connect(settings: ServiceSettings): ServiceClients {
  // `signingName` is honoured by the SDK's SigV4 auth scheme but not declared in this client's config type.
  const config: VoiceIDClientConfig & { signingName: string } = {
    endpoint: settings.endpoint,
    region: settings.region,
    signingName: settings.signingName,
    ...(settings.credentials.kind === 'static' ? { credentials: settings.credentials.credentials } : {}),
  };
  const voiceId = new VoiceIDClient(config);
  // The official client's provider is the standard chain (or the static pair): the typed client shares it,
  // so both sign with the same identity and refresh it once.
  const credentials = settings.credentials.kind === 'static' ? settings.credentials.credentials : (voiceId.config.credentials as () => Promise<TimbreCredentials>);
  const sessions = new TimbreSessionClient({ endpoint: settings.endpoint, region: settings.region, signingName: settings.signingName, credentials });
  return { voiceId, sessions, settings };
}
