import { readFile } from 'node:fs/promises';
import { AudioError, type DecodeOptions } from '../../lambdas/audio/index.js';
import { SpeechError } from '../../lambdas/speech/index.js';
import { VoiceprintError, embedAudio, type AudioEmbedding, type SpeakerModel } from '../../lambdas/voiceprint/index.js';
import { CommandError, UsageError, intOption, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { MODEL_OPTIONS, MODEL_USAGE, loadModelFromArgs } from './model-option.js';

const USAGE = `
usage: timbre embed FILE [--channel N] [--json] [--model CARD]

Embeds the net speech of an audio file (WAV, FLAC, Ogg Vorbis) and prints the embedding, the seconds of net
speech and the model id.
  --channel N      channel of a multi-channel file, from 0 (default 0)
  --json           print one JSON object
${MODEL_USAGE}
`;

/** Reads an audio file named on the command line. */
export async function readAudioFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch {
    throw new CommandError(`cannot read ${path}`);
  }
}

/** embedAudio on a file named on the command line; a refusal (bad audio, too little speech) names the file. */
export async function embedFile(model: SpeakerModel, path: string, options: DecodeOptions = {}): Promise<AudioEmbedding> {
  const bytes = await readAudioFile(path);
  try {
    return await embedAudio(model, bytes, options);
  } catch (error) {
    if (error instanceof AudioError || error instanceof VoiceprintError || error instanceof SpeechError) {
      throw new CommandError(`${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** `timbre embed`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('embed', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      channel: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...MODEL_OPTIONS,
    }, true);
    if (printHelp(values.help, USAGE)) return 0;
    if (positionals.length !== 1) throw new UsageError('give exactly one audio FILE');
    const channel = intOption('channel', values.channel, 0, 255) ?? 0;
    const model = await loadModelFromArgs(values);
    const result = await embedFile(model, positionals[0]!, { channel });
    const embedding = Array.from(result.embedding, (v: number) => Number(v.toFixed(6)));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ model: model.card.id, netSpeechSeconds: result.netSpeechSeconds, totalSeconds: result.totalSeconds, dim: embedding.length, embedding })}\n`);
    } else {
      process.stdout.write(
        `model        ${model.card.id}\nnet speech   ${result.netSpeechSeconds.toFixed(2)} s of ${result.totalSeconds.toFixed(2)} s\n` +
          `embedding    ${embedding.length} values\n${embedding.map((v) => v.toFixed(6)).join(' ')}\n`,
      );
    }
    return 0;
  });
}
