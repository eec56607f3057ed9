#!/usr/bin/env -S npx tsx
/**
 * The `timbre` command-line tool. Each subcommand lives in bin/commands/<name>.ts and exports
 * `run(argv: string[]): Promise<number>` (the exit code); it is loaded only when asked for.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  serve: { summary: 'run Timbre locally on its embedded AWS services', load: () => import('./commands/serve.js') },
  embed: { summary: 'print the speaker embedding of an audio file', load: () => import('./commands/embed.js') },
  compare: { summary: 'score a probe recording against enrolment recordings', load: () => import('./commands/compare.js') },
  eval: { summary: 'EER, minDCF and FAR/FRR of a model on a trial list', load: () => import('./commands/eval.js') },
  calibrate: { summary: "fit a model card's score calibration on a trial list", load: () => import('./commands/calibrate.js') },
  'eval-spoof': { summary: 'EER, BPCER and APCER per attack of the spoofing countermeasure on a labelled list', load: () => import('./commands/eval-spoof.js') },
  'eval-watchlist': { summary: 'known-fraudster false alarms and catches by watchlist size', load: () => import('./commands/eval-watchlist.js') },
  enrol: { summary: "enrol a speaker of a Timbre API's domain from recordings, through a session", load: () => import('./commands/enrol.js') },
  'batch-enrol': { summary: 'enrol the speakers of a manifest in one batch job (uploads local audio, waits for it)', load: () => import('./commands/batch-enrol.js') },
  'register-fraudsters': { summary: 'register the fraudsters of a manifest in one batch job (uploads local audio, waits for it)', load: () => import('./commands/register-fraudsters.js') },
  'call-sim': { summary: 'play a recorded call through the Connect flow Lambdas of a running timbre serve', load: () => import('./commands/call-sim.js') },
  verify: { summary: 'authenticate a recording against a speaker and screen it for known fraudsters', load: () => import('./commands/verify.js') },
  bench: { summary: 'CPU cost per stage of the voice pipeline', load: () => import('./commands/bench.js') },
};

// The SDK warns on every client that versions published from 2027 need Node 22; Timbre pins its SDK versions, and the
// warning would bury the output of every command that calls AWS (README: requirements).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HELP = new Set(['help', '-h', '--help']);
const VERSION = new Set(['version', '--version']);

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const list = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`).join('\n');
  return `usage: timbre <command> [options]\n\n${list}\n\ntimbre help <command> (or timbre <command> --help) describes one command; timbre --version prints the version.\n`;
}

/** The version in package.json (this file is bin/timbre.ts). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(usage());
    return 0;
  }
  if (VERSION.has(name)) {
    process.stdout.write(`timbre ${packageVersion()}\n`);
    return 0;
  }
  if (HELP.has(name) && rest[0] === undefined) {
    process.stdout.write(usage());
    return 0;
  }
  // `timbre help <command>` is `timbre <command> --help`.
  const [commandName, commandArgs] = HELP.has(name) ? [rest[0]!, ['--help']] : [name, rest];
  const command = COMMANDS[commandName];
  if (command === undefined) {
    process.stderr.write(`unknown command: ${commandName}\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(commandArgs);
}

process.exitCode = await main(process.argv.slice(2));
