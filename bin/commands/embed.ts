import { AUDIO_OPTIONS, AUDIO_USAGE, decodeOptionsFromArgs, embedFile, requireSpeech } from './audio-input.js';
import { UsageError, intOption, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { MODEL_OPTIONS, MODEL_USAGE, loadModelFromArgs } from './model-option.js';

const USAGE = `
usage: timbre embed FILE [--channel N] [--raw-rate HZ] [--json] [--model CARD]

Embeds the net speech of an audio file (WAV, FLAC, Ogg Vorbis, or headerless 16-bit PCM with --raw-rate) and
prints the embedding, the seconds of net speech and the model id.
  --channel N      channel of a multi-channel file, from 0 (default 0)
${AUDIO_USAGE}
  --json           print one JSON object
${MODEL_USAGE}
`;

/** `timbre embed`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('embed', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      channel: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...AUDIO_OPTIONS, ...MODEL_OPTIONS,
    }, true);
    if (printHelp(values.help, USAGE)) return 0;
    if (positionals.length !== 1) throw new UsageError('give exactly one audio FILE');
    const channel = intOption('channel', values.channel, 0, 255) ?? 0;
    const decodeOptions = { ...decodeOptionsFromArgs(values), channel };
    const model = await loadModelFromArgs(values);
    const path = positionals[0]!;
    const result = requireSpeech(await embedFile(model, path, decodeOptions), path);
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
