import { writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { decodeAudio, resample, type Pcm } from '../../lambdas/audio/index.js';
import { IDENTITY_WATCHLIST_CALIBRATION, createScorer, fitCalibration, type WatchlistCalibration } from '../../lambdas/scoring/index.js';
import { embedRecording, enrolVoiceprint, type RecordingEmbedding } from '../../lambdas/voiceid/voiceprints.js';
import type { SpeakerModel } from '../../lambdas/voiceprint/index.js';
import { readAudioFile } from './audio-input.js';
import { writeCardScoringKey } from './calibrated-card.js';
import { CommandError, UsageError, intOption, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { pct } from './eval.js';
import { MODEL_OPTIONS, MODEL_USAGE, loadModelFromArgs } from './model-option.js';
import { mulawTelephoneWav } from './telephone-channel.js';
import { drawWatchlists, planRecordings, watchlistRow, watchlistTrials, type SpeakerRecordings, type WatchlistRow, type WatchlistTrials } from './watchlist-trials.js';
import { formatSplit, readCorpusIndex, readSplit, splitSpeakers, type IndexedClip, type WatchlistHalf } from './watchlist-split.js';

const DEFAULT_SPLIT = 'training/lists/common-voice-watchlist.tsv';
/** The repository root, where the default split lives (this file is bin/commands/eval-watchlist.ts). */
const REPO_ROOT = resolve(import.meta.dirname, '../..');

const USAGE = `
usage: timbre eval-watchlist --data DIR [--index FILE] [--split LIST] [--half calibration|evaluation] [--sizes 1,10,100]
         [--fraudster-trials M] [--min-clips K] [--threshold 50] [--seed S] [--fit --out CARD] [--json] [--model CARD]
       timbre eval-watchlist --data DIR --write-split LIST

Measures known-fraudster risk (knownFraudsterRisk: the posterior that the caller is one of the N fraudsters
compared) on one half of a speaker split, through an 8 kHz G.711 mu-law channel. Every speaker of the half is
enrolled as a fraudster from up to --enrol-seconds of its first clips and calls with about --probe-seconds of its
last clips (never more than half of them). For each size N, watchlists of N speakers are drawn with the seed
(ceil(M / N) lists, so about M fraudster calls per N); every listed speaker calls as a fraudster, every other as a
genuine caller. Prints, per N, the false-alarm rate (genuine calls with risk >= --threshold) and the catch rate,
with counts, the catch rate at the threshold that holds false alarms to 1 % (the best any recalibration can do), under identity calibration, under the card's scoring.watchlistCalibration if it has one, and for
comparison flagging on the best single comparison (max score).
  --data DIR            corpus root; the files the index names are relative to it
  --index FILE          clip index: speaker, file, seconds columns, first line their names (default DIR/index.tsv)
  --split LIST          speaker split (default ${DEFAULT_SPLIT})
  --half H              which half to run on (default evaluation)
  --sizes LIST          watchlist sizes, comma-separated (default 1,10,100; a size needs more speakers than it)
  --fraudster-trials M  fraudster calls per size (default 400)
  --enrol-seconds S     enrolment audio per fraudster, at most (default 30)
  --probe-seconds S     probe audio per call, about (default 10)
  --min-clips K         only speakers with at least K clips (default 2, the fewest that give an enrolment and a probe)
  --threshold T         HIGH_RISK threshold on the 0-100 risk (default 50)
  --seed S              watchlist draw seed (default 1)
  --fit                 fit scoring.watchlistCalibration (a, b) by logistic regression on these calls, pooled
                        over the sizes (equal genuine calls per size), and report with it; needs --out
  --out CARD            write the card with the fitted watchlistCalibration to CARD (may be the card itself)
  --write-split LIST    write the seeded speaker split of DIR's index.tsv to LIST and stop
  --json                print one JSON object (rates as fractions)
${MODEL_USAGE}
`;

/** A speaker's two recordings, embedded. */
interface EmbeddedSpeaker {
  readonly plan: SpeakerRecordings;
  readonly enrol: RecordingEmbedding;
  readonly probe: RecordingEmbedding;
}

/** What --json prints. */
export interface WatchlistReport {
  model: string;
  half: WatchlistHalf;
  speakers: number;
  skippedSpeakers: number;
  threshold: number;
  minEnrolSeconds: number;
  meanEnrolSeconds: number;
  meanProbeSeconds: number;
  identity: WatchlistRow[];
  calibrated?: { calibration: WatchlistCalibration & { fittedOn?: string }; rows: WatchlistRow[] };
  maxScore: WatchlistRow[];
}

/** Decodes clips, joins them at the model's rate and codes them through the telephone channel. */
async function telephoneRecording(root: string, clips: readonly IndexedClip[], rateHz: number): Promise<Uint8Array> {
  const parts: Float32Array[] = [];
  for (const clip of clips) {
    const path = join(root, clip.file);
    try {
      parts.push(resample(await decodeAudio(await readAudioFile(path)), rateHz).samples);
    } catch (error) {
      if (error instanceof CommandError) throw error;
      throw new CommandError(`${clip.file}: ${(error as Error).message}`, { cause: error });
    }
  }
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    samples.set(part, at);
    at += part.length;
  }
  const pcm: Pcm = { sampleRateHz: rateHz, samples };
  return mulawTelephoneWav(pcm);
}

/** Embeds every speaker's enrolment and probe once (the run's only model calls). */
async function embedSpeakers(model: SpeakerModel, root: string, plans: readonly SpeakerRecordings[]): Promise<EmbeddedSpeaker[]> {
  const out: EmbeddedSpeaker[] = [];
  for (const [i, plan] of plans.entries()) {
    const embed = async (clips: readonly IndexedClip[]): Promise<RecordingEmbedding> => {
      return embedRecording(model, await telephoneRecording(root, clips, model.card.sampleRateHz));
    };
    out.push({ plan, enrol: await embed(plan.enrol), probe: await embed(plan.probe) });
    if (process.stderr.isTTY) process.stderr.write(`\rembedding ${i + 1}/${plans.length}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  return out;
}

const sum = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0);

/** The fit's trials: every fraudster call, and the same number of genuine calls from each size (evenly spaced). */
function pooledForFit(all: readonly WatchlistTrials[]): { targets: number[]; nontargets: number[] } {
  const perSize = Math.min(...all.map((t) => t.genuine.length));
  const targets = all.flatMap((t) => t.fraudster);
  const nontargets = all.flatMap((t) => Array.from({ length: perSize }, (_, i) => t.genuine[Math.floor((i * t.genuine.length) / perSize)]!));
  return { targets, nontargets };
}

function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((s) => Number(s.trim()));
  if (sizes.length === 0 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) throw new UsageError(`--sizes must be whole numbers >= 1, comma-separated, not "${text}"`);
  return sizes;
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number > 0, not "${text}"`);
  return n;
}

function table(title: string, rows: readonly WatchlistRow[]): string[] {
  return [
    title,
    '  N     lists  false alarms (genuine)        caught (fraudsters)    caught at 1 % false alarms',
    ...rows.map((r) =>
      `  ${String(r.size).padEnd(5)} ${String(r.lists).padEnd(6)} ${pct(r.falseAlarm.rate).padStart(8)} (${r.falseAlarm.flagged}/${r.falseAlarm.trials})`.padEnd(46) +
      `${pct(r.caught.rate).padStart(8)} (${r.caught.flagged}/${r.caught.trials})`.padEnd(23) + pct(r.caughtAtFalseAlarm1).padStart(8),
    ),
  ];
}

/** `timbre eval-watchlist`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('eval-watchlist', async () => {
    const { values } = parseCommandArgs(argv, {
      data: { type: 'string' }, index: { type: 'string' }, split: { type: 'string' }, half: { type: 'string' }, sizes: { type: 'string' }, 'fraudster-trials': { type: 'string' },
      'enrol-seconds': { type: 'string' }, 'probe-seconds': { type: 'string' }, 'min-clips': { type: 'string' }, threshold: { type: 'string' }, seed: { type: 'string' },
      fit: { type: 'boolean' }, out: { type: 'string' }, 'write-split': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      ...MODEL_OPTIONS,
    }, false);
    if (printHelp(values.help, USAGE)) return 0;
    if (values.data === undefined) throw new UsageError('--data DIR is required');
    const root = resolve(values.data);
    const indexPath = values.index === undefined ? join(root, 'index.tsv') : resolve(values.index);
    const index = readCorpusIndex(indexPath);
    if (values['write-split'] !== undefined) {
      writeFileSync(values['write-split'], formatSplit(splitSpeakers(index)));
      process.stderr.write(`wrote the split of ${new Set(index.map((c) => c.speaker)).size} speakers to ${values['write-split']}\n`);
      return 0;
    }
    const half = (values.half ?? 'evaluation') as WatchlistHalf;
    if (half !== 'calibration' && half !== 'evaluation') throw new UsageError(`--half must be calibration or evaluation, not "${values.half}"`);
    if (values.fit && values.out === undefined) throw new UsageError('--fit needs --out CARD (the card itself to rewrite it)');
    if (!values.fit && values.out !== undefined) throw new UsageError('--out is only for --fit');
    const sizes = parseSizes(values.sizes ?? '1,10,100');
    const fraudsterTrials = intOption('fraudster-trials', values['fraudster-trials'], 1, 1_000_000) ?? 400;
    const threshold = intOption('threshold', values.threshold, 1, 100) ?? 50;
    const enrolSeconds = positive('enrol-seconds', values['enrol-seconds'], 30);
    const probeSeconds = positive('probe-seconds', values['probe-seconds'], 10);
    const seed = values.seed ?? '1';
    const minClips = intOption('min-clips', values['min-clips'], 2, 1000) ?? 2;

    const members = new Set(readSplit(values.split === undefined ? resolve(REPO_ROOT, DEFAULT_SPLIT) : resolve(values.split)).filter((s) => s.half === half).map((s) => s.speaker));
    const bySpeaker = new Map<string, IndexedClip[]>();
    for (const clip of index) if (members.has(clip.speaker)) bySpeaker.set(clip.speaker, [...(bySpeaker.get(clip.speaker) ?? []), clip]);
    for (const [speaker, clips] of bySpeaker) if (clips.length < minClips) bySpeaker.delete(speaker);
    if (bySpeaker.size === 0) throw new UsageError(`no speaker of the ${half} half is in ${indexPath}`);
    const plans = [...bySpeaker].sort(([x], [y]) => (x < y ? -1 : 1)).flatMap(([s, clips]) => planRecordings(s, clips, enrolSeconds, probeSeconds) ?? []);

    const model = await loadModelFromArgs(values);
    const embedded = await embedSpeakers(model, root, plans);
    // A speaker without enough speech in either recording can be neither a fraudster nor a caller.
    const speakers = embedded.flatMap((s) => {
      if (s.probe.outcome !== 'embedded') return [];
      const enrolment = enrolVoiceprint([s.enrol]);
      return enrolment.outcome === 'enrolled' ? [{ ...s, probe: s.probe, voiceprint: enrolment.voiceprint }] : [];
    });
    const scorer = createScorer(model.card.scoring);
    const llr = speakers.map((p) => speakers.map((e) => scorer.score(e.voiceprint.embedding, p.probe.embedding, p.probe.netSpeechSeconds).llr));

    const usable = sizes.filter((n) => n < speakers.length);
    for (const n of sizes.filter((m) => m >= speakers.length)) process.stderr.write(`timbre eval-watchlist: size ${n} left out: it needs more than ${n} speakers (have ${speakers.length})\n`);
    if (usable.length === 0) throw new UsageError(`no watchlist size fits ${speakers.length} speakers`);
    const trials = usable.map((n) => watchlistTrials(llr, drawWatchlists(speakers.length, n, Math.ceil(fraudsterTrials / n), `${seed}`), n));

    let calibration: (WatchlistCalibration & { fittedOn?: string }) | undefined = model.card.scoring.watchlistCalibration ?? undefined;
    if (values.fit) {
      const pooled = pooledForFit(trials);
      const fit = fitCalibration(pooled);
      if (!(fit.a > 0)) throw new CommandError(`the fitted slope is ${fit.a}: these calls do not separate fraudsters from genuine callers`);
      const fittedOn = `timbre eval-watchlist --fit on the ${half} half of ${basename(values.split ?? DEFAULT_SPLIT)} (${basename(root)}, ` +
        `${speakers.length} speakers, 8 kHz mu-law, sizes ${usable.join('/')}): ${pooled.targets.length} fraudster and ${pooled.nontargets.length} genuine calls, ` +
        `${new Date().toISOString().slice(0, 10)}`;
      calibration = { a: fit.a, b: fit.b, fittedOn };
      writeCardScoringKey(model.card.cardPath, resolve(values.out!), 'watchlistCalibration', calibration);
      process.stderr.write(`wrote scoring.watchlistCalibration a=${fit.a.toFixed(4)} b=${fit.b.toFixed(4)} to ${values.out}\n`);
    }

    const enrolled = speakers.map((s) => sum(s.plan.enrol.map((c) => c.seconds)));
    const report: WatchlistReport = {
      model: model.card.id,
      half,
      speakers: speakers.length,
      skippedSpeakers: bySpeaker.size - speakers.length,
      threshold,
      minEnrolSeconds: Math.min(...enrolled),
      meanEnrolSeconds: sum(enrolled) / enrolled.length,
      meanProbeSeconds: sum(speakers.map((s) => sum(s.plan.probe.map((c) => c.seconds)))) / speakers.length,
      identity: trials.map((t) => watchlistRow(t, IDENTITY_WATCHLIST_CALIBRATION, threshold)),
      ...(calibration ? { calibrated: { calibration, rows: trials.map((t) => watchlistRow(t, calibration, threshold)) } } : {}),
      maxScore: trials.map((t) => watchlistRow(t, IDENTITY_WATCHLIST_CALIBRATION, threshold, true)),
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    process.stdout.write(
      [
        `model        ${report.model}`,
        `speakers     ${report.speakers} of the ${half} half${report.skippedSpeakers ? ` (${report.skippedSpeakers} left out: too few clips or too little speech)` : ''}, 8 kHz mu-law`,
        `audio        enrolment ${report.meanEnrolSeconds.toFixed(1)} s mean (min ${report.minEnrolSeconds.toFixed(1)} s), probe ${report.meanProbeSeconds.toFixed(1)} s mean`,
        `threshold    risk >= ${threshold}`,
        ...table('identity calibration (mean of likelihood ratios)', report.identity),
        ...(report.calibrated
          ? table(`watchlistCalibration a=${report.calibrated.calibration.a.toFixed(4)} b=${report.calibrated.calibration.b.toFixed(4)}`, report.calibrated.rows)
          : []),
        ...table('for comparison: max score (best single comparison, per-trial calibration)', report.maxScore),
        '',
      ].join('\n'),
    );
    return 0;
  });
}
