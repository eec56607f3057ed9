import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AntispoofError } from '../../lambdas/antispoof/index.js';
import { AudioError } from '../../lambdas/audio/index.js';
import { ScoringError } from '../../lambdas/scoring/index.js';
import { SpeechError } from '../../lambdas/speech/index.js';
import { VoiceprintError } from '../../lambdas/voiceprint/index.js';

/** A mistake in how the command was called: one line on stderr and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can fix (unreadable file, bad audio in a list): one stderr line and exit code 1. */
export class CommandError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CommandError';
  }
}

/** Errors whose messages are meant for the user as they are (bad file, bad card, too little speech...). */
function isUserFacing(error: Error): boolean {
  return [CommandError, AudioError, SpeechError, VoiceprintError, ScoringError, AntispoofError].some((kind) => error instanceof kind);
}

/**
 * Runs a command body, turning errors into one stderr line and an exit code: 2 for usage errors, 1 otherwise.
 * A stack trace is printed only for unexpected errors and only with TIMBRE_DEBUG=1.
 */
export async function runCommand(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    const prefix = `timbre ${name}: `;
    if (err instanceof UsageError) {
      process.stderr.write(`${prefix}${err.message} (see timbre ${name} --help)\n`);
      return 2;
    }
    process.stderr.write(`${prefix}${isUserFacing(err) ? '' : `${err.name}: `}${err.message}\n`);
    if (process.env['TIMBRE_DEBUG'] === '1') process.stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
}

/** node:util parseArgs in strict mode, with its errors turned into UsageError. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals: boolean) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** A whole number option within [min, max]; undefined when absent. */
export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  return n;
}

/** Prints usage to stdout when --help was given; returns true if it did. */
export function printHelp(wanted: boolean | undefined, usage: string): boolean {
  if (wanted) process.stdout.write(`${usage.trim()}\n`);
  return wanted === true;
}
