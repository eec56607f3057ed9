import { relative, resolve } from 'node:path';
import type { DecodeOptions } from '../../lambdas/audio/index.js';
import { createScorer, type ScoringConfig, type TrialScore } from '../../lambdas/scoring/index.js';
import { enrolVoiceprint, scoreProbe, type EnrolledVoiceprint, type RecordingEmbedding } from '../../lambdas/voiceid/voiceprints.js';
import type { SpeakerModel } from '../../lambdas/voiceprint/index.js';
import { decodeOptionsFromArgs, embedFile } from './audio-input.js';
import { UsageError } from './cli-support.js';
import { loadModelFromArgs } from './model-option.js';
import { readEnrolmentList, readTrialList, type EnrolmentEntry, type Trial } from './trial-lists.js';

/** A trial with its scores and the net speech on each side. */
export interface ScoredTrial extends Trial, TrialScore {
  /** Net speech of the enrolment's recordings used, summed. */
  readonly enrolSeconds: number;
  /** Net speech of the probe. */
  readonly probeSeconds: number;
}

/** Everything eval and calibrate need from a trial list. */
export interface TrialRun {
  readonly scored: ScoredTrial[];
  /** Trials that could not be scored (probe or every enrolment file without enough speech), with the reason. */
  readonly skipped: { trial: Trial; reason: string }[];
  readonly distinctFiles: number;
}

/** Draws a progress bar on stderr, only when stderr is a terminal. */
function progress(total: number): { tick(): void; done(): void } {
  if (!process.stderr.isTTY || total === 0) return { tick() {}, done() {} };
  let count = 0;
  const draw = (): void => {
    const width = 30;
    const filled = Math.round((count / total) * width);
    process.stderr.write(`\rembedding [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}`);
  };
  draw();
  return {
    tick() {
      count++;
      if (count === total || count % 5 === 0) draw();
    },
    done() {
      process.stderr.write('\n');
    },
  };
}

/** The options of eval and calibrate that name the trial lists and the model, as parsed. */
export interface TrialListArgs {
  enrol?: string | undefined;
  trials?: string | undefined;
  root?: string | undefined;
  model?: string | undefined;
  threads?: string | undefined;
  'raw-rate'?: string | undefined;
}

/**
 * What eval and calibrate both do first: read the enrolment and trial lists (`--enrol`, `--trials`, `--root`, all
 * required), load the model (unless `loaded` is given: calibrate scores several lists with one) and score every
 * trial with the card's scoring (files decoded as `--raw-rate` says).
 */
export async function scoreTrialListsFromArgs(
  values: TrialListArgs,
  loaded?: SpeakerModel,
): Promise<{ root: string; trialList: string; enrolments: EnrolmentEntry[]; model: SpeakerModel; trialRun: TrialRun }> {
  if (values.enrol === undefined || values.trials === undefined || values.root === undefined) throw new UsageError('--enrol, --trials and --root are required');
  const root = resolve(values.root);
  const enrolments = readEnrolmentList(values.enrol, root);
  const trials = readTrialList(values.trials, root, new Set(enrolments.map((e) => e.speakerId)));
  const decodeOptions = decodeOptionsFromArgs(values);
  const model = loaded ?? (await loadModelFromArgs(values));
  const trialRun = await scoreTrials(model, enrolments, trials, model.card.scoring, root, decodeOptions);
  return { root, trialList: values.trials, enrolments, model, trialRun };
}

/**
 * Embeds every distinct file once (enrolments aggregated, weighted by net speech) and scores every trial with
 * `scoring` (the card's, or one with another calibration). Files without enough speech make their trials skipped.
 */
export async function scoreTrials(
  model: SpeakerModel,
  enrolments: readonly EnrolmentEntry[],
  trials: readonly Trial[],
  scoring: ScoringConfig,
  root: string,
  decodeOptions: DecodeOptions,
): Promise<TrialRun> {
  const files = [...new Set([...enrolments.flatMap((e) => e.files), ...trials.map((t) => t.file)])];
  const recordings = new Map<string, RecordingEmbedding>();
  const bar = progress(files.length);
  for (const file of files) {
    recordings.set(file, await embedFile(model, file, decodeOptions, relative(root, file)));
    bar.tick();
  }
  bar.done();

  const voiceprints = new Map<string, EnrolledVoiceprint | string>();
  for (const { speakerId, files: enrolFiles } of enrolments) {
    const enrolment = enrolVoiceprint(enrolFiles.map((f) => recordings.get(f)!));
    voiceprints.set(speakerId, enrolment.outcome === 'enrolled' ? enrolment.voiceprint : `speaker ${speakerId}: no enrolment file has enough speech`);
  }

  const scorer = createScorer(scoring);
  const scored: ScoredTrial[] = [];
  const skipped: { trial: Trial; reason: string }[] = [];
  for (const trial of trials) {
    const voiceprint = voiceprints.get(trial.speakerId)!;
    const probe = recordings.get(trial.file)!;
    if (typeof voiceprint === 'string') skipped.push({ trial, reason: voiceprint });
    else if (probe.outcome === 'insufficient-speech') skipped.push({ trial, reason: `${relative(root, trial.file)}: ${probe.reason}` });
    else scored.push({ ...trial, ...scoreProbe(scorer, voiceprint, probe), enrolSeconds: voiceprint.netSpeechSeconds, probeSeconds: probe.netSpeechSeconds });
  }
  return { scored, skipped, distinctFiles: files.length };
}
