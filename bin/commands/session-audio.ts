/**
 * Sends recordings named on the command line to a session: each file as one PutSessionAudio call (at most
 * 4 MB: the service decodes it), or, with --raw-rate, headerless 16-bit PCM of any length as consecutive
 * PCM_S16LE pieces. Every file is checked before anything is sent, so a bad one changes nothing.
 */
import { statSync } from 'node:fs';
import { MAX_SAMPLE_RATE_HZ, MIN_SAMPLE_RATE_HZ } from '../../lambdas/audio/index.js';
import { MAX_SESSION_AUDIO_BYTES, type Session, type SessionRef, type TimbreSessionClient } from '../../lambdas/client/index.js';
import { readAudioFile } from './audio-input.js';
import { CommandError, intOption } from './cli-support.js';

/** Usage line of the option below. */
export const SESSION_AUDIO_USAGE = `  --raw-rate HZ         FILEs are headerless 16-bit little-endian mono PCM at HZ (${MIN_SAMPLE_RATE_HZ}–${MAX_SAMPLE_RATE_HZ}), sent in pieces, any length`;

/** parseArgs option of the raw PCM rate. */
export const SESSION_AUDIO_OPTIONS = { 'raw-rate': { type: 'string' } } as const;

/** How the files are sent: whole files, or raw PCM at a rate. */
export interface SessionAudioPlan {
  files: string[];
  rawPcmSampleRateHz: number | undefined;
}

/** Checks every file (readable, within one call's 4 MB unless raw PCM) before a session is started. */
export function planSessionAudio(files: string[], values: { 'raw-rate'?: string | undefined }): SessionAudioPlan {
  const rawPcmSampleRateHz = intOption('raw-rate', values['raw-rate'], MIN_SAMPLE_RATE_HZ, MAX_SAMPLE_RATE_HZ);
  for (const path of files) {
    let bytes: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new Error('not a file');
      bytes = stat.size;
    } catch {
      throw new CommandError(`cannot read ${path}`);
    }
    if (rawPcmSampleRateHz === undefined && bytes > MAX_SESSION_AUDIO_BYTES) {
      throw new CommandError(`${path} is ${(bytes / (1024 * 1024)).toFixed(1)} MB; one PutSessionAudio call takes a file of at most 4 MB: split it into shorter files (e.g. sox ${path} part.wav trim 0 120 : newfile : restart), or send headerless PCM with --raw-rate`);
    }
    if (rawPcmSampleRateHz !== undefined && bytes % 2 !== 0) throw new CommandError(`${path}: 16-bit PCM has an even number of bytes, not ${bytes}`);
  }
  return { files, rawPcmSampleRateHz };
}

/** Sends the planned files in order; `onFile` hears the session after each. Resolves to the last answer. */
export async function sendSessionAudio(
  client: TimbreSessionClient,
  ref: SessionRef,
  plan: SessionAudioPlan,
  options: { endOfStream: boolean; onFile: (session: Session, index: number) => void },
): Promise<Session> {
  let session: Session | undefined;
  for (const [index, path] of plan.files.entries()) {
    const audio = await readAudioFile(path);
    const last = index === plan.files.length - 1;
    const endOfStream = last && options.endOfStream;
    const output = plan.rawPcmSampleRateHz === undefined
      ? await client.putSessionAudio({ ...ref, Audio: audio, Encoding: 'FILE', ...(endOfStream ? { EndOfStream: true } : {}) })
      : await client.putPcm(ref, audio, { sampleRateHz: plan.rawPcmSampleRateHz, endOfStream });
    session = output.Session;
    options.onFile(session, index);
  }
  if (session === undefined) throw new CommandError('no audio FILE given');
  return session;
}

/** The progress line written to stderr after each file. */
export function progressLine(session: Session, index: number, total: number): string {
  return `sent ${index + 1}/${total} file${total === 1 ? '' : 's'}: ${(session.NetSpeechSeconds ?? 0).toFixed(1)} s of net speech so far\n`;
}

/** Ends a session even when a step failed, so it holds no slot of the domain's session quota; undefined when that fails too. */
export async function endSessionQuietly(client: TimbreSessionClient, ref: SessionRef): Promise<Session | undefined> {
  return client.endSession(ref).then((output) => output.Session, () => undefined);
}
