import { createScorer } from '../../lambdas/scoring/index.js';
import { DEFAULT_ACCEPT_THRESHOLD, decide } from '../../lambdas/voiceid/index.js';
import { enrolVoiceprint, scoreProbe, type RecordingEmbedding } from '../../lambdas/voiceid/voiceprints.js';
import { AUDIO_OPTIONS, AUDIO_USAGE, decodeOptionsFromArgs, embedFile, requireSpeech } from './audio-input.js';
import { CommandError, UsageError, intOption, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { MODEL_OPTIONS, MODEL_USAGE, loadModelFromArgs } from './model-option.js';

const USAGE = `
usage: timbre compare ENROL_FILE... --probe FILE [--threshold 90] [--raw-rate HZ] [--json] [--model CARD]

Enrols the speaker of ENROL_FILE... (embeddings averaged, weighted by net speech; a file with too little speech
is left out with a warning, as timbre eval does), scores the probe against that voiceprint and prints the raw score, the 0–100 score and the decision (ACCEPT at or above the threshold).
  --probe FILE     the recording to verify
  --threshold N    0–100 acceptance threshold (default ${DEFAULT_ACCEPT_THRESHOLD}, as Voice ID)
${AUDIO_USAGE}
  --json           print one JSON object
${MODEL_USAGE}
`;

/** `timbre compare`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('compare', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      probe: { type: 'string' }, threshold: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...AUDIO_OPTIONS, ...MODEL_OPTIONS,
    }, true);
    if (printHelp(values.help, USAGE)) return 0;
    if (positionals.length === 0) throw new UsageError('give at least one ENROL_FILE');
    if (values.probe === undefined) throw new UsageError('--probe FILE is required');
    const threshold = intOption('threshold', values.threshold, 0, 100) ?? DEFAULT_ACCEPT_THRESHOLD;
    const decodeOptions = decodeOptionsFromArgs(values);
    const model = await loadModelFromArgs(values);
    const recordings: RecordingEmbedding[] = [];
    for (const path of positionals) recordings.push(await embedFile(model, path, decodeOptions));
    const enrolment = enrolVoiceprint(recordings);
    for (const { index, recording } of enrolment.leftOut) process.stderr.write(`timbre compare: leaving out ${positionals[index]}: ${recording.reason}\n`);
    if (enrolment.outcome === 'insufficient-speech') throw new CommandError('no enrolment file has enough speech');
    const { voiceprint } = enrolment;
    const probe = requireSpeech(await embedFile(model, values.probe, decodeOptions), values.probe);
    const trial = scoreProbe(createScorer(model.card.scoring), voiceprint, probe);
    const decision = decide(trial.score100, threshold);
    const enrolSeconds = voiceprint.netSpeechSeconds;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ model: model.card.id, ...trial, threshold, decision, enrolSpeechSeconds: enrolSeconds, probeSpeechSeconds: probe.netSpeechSeconds })}\n`);
    } else {
      const normalised = model.card.scoring.cohort === null ? '' : `   AS-norm ${trial.score.toFixed(4)}`;
      process.stdout.write(
        [
          `model        ${model.card.id}`,
          `speech       enrolment ${enrolSeconds.toFixed(2)} s (${voiceprint.used.length} file${voiceprint.used.length === 1 ? '' : 's'}), probe ${probe.netSpeechSeconds.toFixed(2)} s`,
          `raw score    cosine ${trial.cosine.toFixed(4)}${normalised}   llr ${trial.llr.toFixed(3)}`,
          `score        ${trial.score100} / 100 (threshold ${threshold})`,
          `decision     ${decision}`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  });
}
