/**
 * `timbre/client` as a user's project sees it: a project with Timbre in its node_modules imports the typed
 * client by the package subpath, type-checks against its types and runs with tsx.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('the timbre/client package subpath', () => {
  const project = mkdtempSync(join(tmpdir(), 'timbre-user-'));
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(REPO, join(project, 'node_modules', 'timbre'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user', private: true, type: 'module' }));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(REPO, 'node_modules/@types')] },
    files: ['user.ts'],
  }));
  const program = (sessionName: string): string => `
import { AudioTooLargeError, TimbreSessionClient, type Session } from 'timbre/client';
const client = new TimbreSessionClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const session: Session | undefined = undefined;
await client.startSession({ DomainId: 'd', SessionName: ${sessionName} }).catch(() => undefined);
const refused = await client.putSessionAudio({ DomainId: 'd', SessionNameOrId: 's', Audio: new Uint8Array(5 * 1024 * 1024) }).catch((e: unknown) => e);
console.log(refused instanceof AudioTooLargeError ? 'refused' : 'sent', session);
`;

  it('type-checks a correct use and runs it', { timeout: 60_000 }, async () => {
    writeFileSync(join(project, 'user.ts'), program(`'call-1'`));
    await run(join(REPO, 'node_modules/.bin/tsc'), ['-p', project], { cwd: project });
    const { stdout } = await run(join(REPO, 'node_modules/.bin/tsx'), ['user.ts'], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' } });
    expect(stdout.trim()).toBe('refused undefined');
  });

  it('carries the input types: a wrong member type fails the user\'s type check', { timeout: 60_000 }, async () => {
    writeFileSync(join(project, 'user.ts'), program('42'));
    const failure = await run(join(REPO, 'node_modules/.bin/tsc'), ['-p', project], { cwd: project }).then(() => '', (e: { stdout: string }) => e.stdout);
    expect(failure).toMatch(/user\.ts\(5,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });
});
