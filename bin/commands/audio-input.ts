import { readFile } from 'node:fs/promises';
import { AudioError, MAX_SAMPLE_RATE_HZ, MIN_SAMPLE_RATE_HZ, UnrecognisedAudioFormatError, type DecodeOptions } from '../../lambdas/audio/index.js';
import { SpeechError } from '../../lambdas/speech/index.js';
import { embedRecording, type EmbeddedRecording, type RecordingEmbedding } from '../../lambdas/voiceid/voiceprints.js';
import { VoiceprintError, type SpeakerModel } from '../../lambdas/voiceprint/index.js';
import { CommandError, intOption } from './cli-support.js';

/** Usage lines shared by every command that reads recordings. */
export const AUDIO_USAGE = `  --raw-rate HZ    read files without a header as 16-bit little-endian PCM at HZ (${MIN_SAMPLE_RATE_HZ}–${MAX_SAMPLE_RATE_HZ})`;

/** parseArgs options shared by every command that reads recordings. */
export const AUDIO_OPTIONS = {
  'raw-rate': { type: 'string' },
} as const;

/** The decode options AUDIO_OPTIONS name. */
export function decodeOptionsFromArgs(values: { 'raw-rate'?: string | undefined }): DecodeOptions {
  const rawPcmSampleRateHz = intOption('raw-rate', values['raw-rate'], MIN_SAMPLE_RATE_HZ, MAX_SAMPLE_RATE_HZ);
  return rawPcmSampleRateHz === undefined ? {} : { rawPcmSampleRateHz };
}

/** Reads an audio file named on the command line. */
export async function readAudioFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch {
    throw new CommandError(`cannot read ${path}`);
  }
}

/**
 * Reads and embeds one file; a refusal (bad audio, a model failure) names it as `shownAs`. The audio box's
 * message for a headerless file names its option key, so here it names the flag instead.
 */
export async function embedFile(model: SpeakerModel, path: string, decodeOptions: DecodeOptions, shownAs: string = path): Promise<RecordingEmbedding> {
  const bytes = await readAudioFile(path);
  try {
    return await embedRecording(model, bytes, decodeOptions);
  } catch (error) {
    if (error instanceof UnrecognisedAudioFormatError) {
      throw new CommandError(`${shownAs}: audio matches no supported format (WAV, FLAC, Ogg Vorbis); for headerless 16-bit PCM pass --raw-rate HZ`, { cause: error });
    }
    if (error instanceof AudioError || error instanceof VoiceprintError || error instanceof SpeechError) {
      throw new CommandError(`${shownAs}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** The embedded recording, or a CommandError naming the file when it has too little speech. */
export function requireSpeech(recording: RecordingEmbedding, shownAs: string): EmbeddedRecording {
  if (recording.outcome === 'insufficient-speech') throw new CommandError(`${shownAs}: ${recording.reason}`);
  return recording;
}
