import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEFAULT_CM_CARD_FILE,
  DEFAULT_SPOOF_THRESHOLD,
  SpoofListError,
  loadSpoofModel,
  readSpoofList,
  scoreSpoofSpeech,
  spoofMetrics,
  type SpoofTrial,
} from '../../lambdas/antispoof/index.js';
import { AudioError } from '../../lambdas/audio/index.js';
import { speechOfAudio } from '../../lambdas/voiceprint/index.js';
import { ENV } from '../../lib/contract/env-names.js';
import { readAudioFile } from './audio-input.js';
import { CommandError, UsageError, intOption, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { resolveCmCardPath } from './model-option.js';

const USAGE = `
usage: timbre eval-spoof --list LIST.tsv --root DIR [--model CARD] [--json] [--scores OUT.tsv] [--threads N]

Scores every file of a labelled list with the countermeasure exactly as the product does (decode, resample, VAD,
fbank, windows, model, mean logit, calibrated 0–100 risk) and prints the EER, BPCER at the default fraud threshold
${DEFAULT_SPOOF_THRESHOLD} (bona fide flagged; also per named bona fide source), APCER at ${DEFAULT_SPOOF_THRESHOLD} per attack (spoofs missed) and counts.
  LIST.tsv    path<TAB>bonafide|spoof<TAB>attack-name   (bona fide: the source or -)
  --root DIR       folder the listed paths are relative to
  --model CARD     countermeasure card (default: $${ENV.CM_MODEL_CARD}, else ${DEFAULT_CM_CARD_FILE})
  --json           print one JSON object: {eer, bpcer, apcer: {attack: rate}, counts: {bonafide, spoof},
                   bonafideSources: {source: {count, bpcer}}, skipped, model} (fractions)
  --scores FILE    also write path<TAB>label<TAB>attack<TAB>pooledLogit per scored file (the raw mean logit, before
                   calibration: what a calibration is fitted on)
  --threads N      onnxruntime intra-op threads (default 1)
Files with less speech than the card's windowing.minSeconds get no score: they are counted in "skipped", not in the rates.
A bad list line exits 2 and names the line.
`;

/** `timbre eval-spoof`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('eval-spoof', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      list: { type: 'string' }, root: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' }, scores: { type: 'string' }, threads: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    }, true);
    if (printHelp(values.help, USAGE)) return 0;
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (values.list === undefined) throw new UsageError('--list LIST.tsv is required');
    if (values.root === undefined) throw new UsageError('--root DIR is required');
    const intraOpThreads = intOption('threads', values.threads, 1, 64) ?? 1;
    let entries;
    try {
      entries = readSpoofList(values.list);
    } catch (error) {
      if (error instanceof SpoofListError) throw new UsageError(error.message);
      throw error;
    }
    const model = await loadSpoofModel(resolveCmCardPath(values.model, '--model'), { intraOpThreads });
    const trials: SpoofTrial[] = [];
    const scoreLines: string[] = [];
    let skipped = 0;
    for (const entry of entries) {
      const path = resolve(values.root, entry.path);
      const bytes = await readAudioFile(path);
      let score;
      try {
        const { speech } = await speechOfAudio(bytes, model.card.sampleRateHz);
        score = speech.samples.length === 0 ? undefined : await scoreSpoofSpeech(model, speech);
      } catch (error) {
        if (error instanceof AudioError) throw new CommandError(`${values.list}:${entry.line}: ${path}: ${error.message}`, { cause: error });
        throw error;
      }
      if (score === undefined) skipped += 1;
      else {
        trials.push({ label: entry.label, attack: entry.attack, pooledLogit: score.pooledLogit, risk: score.risk });
        scoreLines.push(`${entry.path}\t${entry.label}\t${entry.attack}\t${score.pooledLogit}\n`);
      }
    }
    if (values.scores !== undefined) {
      try {
        writeFileSync(values.scores, scoreLines.join(''));
      } catch (error) {
        throw new CommandError(`cannot write ${values.scores}: ${(error as Error).message}`, { cause: error });
      }
    }
    let metrics;
    try {
      metrics = spoofMetrics(trials);
    } catch (error) {
      throw new CommandError(`${values.list}: ${(error as Error).message}`, { cause: error });
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ ...metrics, skipped, model: model.card.id })}\n`);
      return 0;
    }
    const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
    const width = Math.max(...Object.keys(metrics.apcer).map((a) => a.length));
    const perAttack = (attack: string): number => trials.filter((t) => t.label === 'spoof' && t.attack === attack).length;
    process.stdout.write(
      [
        `countermeasure ${model.card.id} on ${values.list}: ${metrics.counts.bonafide} bona fide, ${metrics.counts.spoof} spoof` +
          (skipped > 0 ? ` (${skipped} file(s) skipped: too little speech)` : ''),
        `EER            ${pct(metrics.eer)}`,
        `BPCER at ${DEFAULT_SPOOF_THRESHOLD}    ${pct(metrics.bpcer)}   (bona fide flagged)`,
        ...Object.entries(metrics.bonafideSources).map(([source, { count, bpcer }]) => `  ${source}  ${pct(bpcer)}   (${count} files)`),
        `APCER at ${DEFAULT_SPOOF_THRESHOLD} per attack (spoofs missed):`,
        ...Object.entries(metrics.apcer).map(([attack, rate]) => `  ${attack.padEnd(width)}  ${pct(rate).padStart(8)}   (${perAttack(attack)} files)`),
        '',
      ].join('\n'),
    );
    return 0;
  });
}
