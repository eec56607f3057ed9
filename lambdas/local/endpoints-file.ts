/**
 * `<data dir>/endpoints.json`: where a running local Timbre serves each of its services, so tools (the
 * `timbre` CLI, scripts, other SDK clients) find them from the data directory alone. Written owner-only while
 * `timbre serve` runs and removed when it stops. It names the credentials file; it never holds a secret.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DataDirError } from './shared/errors.js';

/** The file's name inside the data directory. */
export const ENDPOINTS_FILE = 'endpoints.json';

/** What endpoints.json holds. Service endpoints besides these appear under their own names. */
export interface EndpointsFile {
  /** The Voice ID API. */
  api: string;
  dynamodb: string;
  s3: string;
  kms: string;
  stepfunctions: string;
  [service: string]: unknown;
  region: string;
  buckets: { audio: string; batch: string };
  /** ARNs of the Lambdas a contact flow invokes (through the local Lambda Invoke API). */
  functions: { connectStart: string; connectEvaluate: string };
  /** Name of the credentials file beside it; absent when the credentials came from the environment. */
  credentialsFile?: string;
}

/** Names LocalServices uses that read better spelled out in the file. */
const SERVICE_NAMES: Readonly<Record<string, string>> = { sfn: 'stepfunctions' };

/** Where the endpoints file of `dataDir` is. */
export function endpointsFilePath(dataDir: string): string {
  return join(dataDir, ENDPOINTS_FILE);
}

/** The file's content for a running local Timbre; every service in `services` is named, so new ones appear by themselves. */
export function endpointsFileContent<Services extends { readonly [Name in keyof Services]: string }>(local: {
  api: string;
  region: string;
  services: Services;
  buckets: { audio: string; batch: string };
  functions: { connectStart: string; connectEvaluate: string };
  credentialsFile: string | undefined;
}): EndpointsFile {
  const services = Object.fromEntries(Object.entries<string>(local.services).map(([name, url]) => [SERVICE_NAMES[name] ?? name, url]));
  return {
    api: local.api,
    ...services,
    region: local.region,
    buckets: { ...local.buckets },
    functions: { ...local.functions },
    ...(local.credentialsFile === undefined ? {} : { credentialsFile: basename(local.credentialsFile) }),
  } as EndpointsFile;
}

/** Writes the file (mode 0600); returns its path. */
export function writeEndpointsFile(dataDir: string, content: EndpointsFile): string {
  const path = endpointsFilePath(dataDir);
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return path;
}

/** Removes the file; nothing happens when it is not there. */
export function removeEndpointsFile(dataDir: string): void {
  rmSync(endpointsFilePath(dataDir), { force: true });
}

/** The endpoints file of `dataDir`, or undefined when no local Timbre is serving from it. */
export function readEndpointsFile(dataDir: string): EndpointsFile | undefined {
  const path = endpointsFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DataDirError(path, 'is not valid JSON', { cause: error });
  }
  if (typeof (parsed as { api?: unknown } | null)?.api !== 'string') throw new DataDirError(path, 'names no "api" endpoint');
  return parsed as EndpointsFile;
}
