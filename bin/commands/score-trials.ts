import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { createScorer, type ScoringConfig, type TrialScore } from '../../lambdas/scoring/index.js';
import { InsufficientSpeechError, aggregateEmbeddings, embedAudio, type Embedding, type SpeakerModel } from '../../lambdas/voiceprint/index.js';
import { CommandError, UsageError } from './cli-support.js';
import { loadModelFromArgs } from './model-option.js';
import { readEnrolmentList, readTrialList, type EnrolmentEntry, type Trial } from './trial-lists.js';

/** A trial with its scores. */
export interface ScoredTrial extends Trial, TrialScore {}

/** Everything eval and calibrate need from a trial list. */
export interface TrialRun {
  readonly scored: ScoredTrial[];
  /** Trials that could not be scored (probe or every enrolment file without enough speech), with the reason. */
  readonly skipped: { trial: Trial; reason: string }[];
  readonly distinctFiles: number;
}

interface FileEmbedding {
  readonly embedding: Embedding;
  readonly netSpeechSeconds: number;
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
}

/**
 * What eval and calibrate both do first: read the enrolment and trial lists (`--enrol`, `--trials`, `--root`, all
 * required), load the model and score every trial with the card's scoring.
 */
export async function scoreTrialListsFromArgs(
  values: TrialListArgs,
): Promise<{ root: string; trialList: string; enrolments: EnrolmentEntry[]; model: SpeakerModel; trialRun: TrialRun }> {
  if (values.enrol === undefined || values.trials === undefined || values.root === undefined) throw new UsageError('--enrol, --trials and --root are required');
  const root = resolve(values.root);
  const enrolments = readEnrolmentList(values.enrol, root);
  const trials = readTrialList(values.trials, root, new Set(enrolments.map((e) => e.speakerId)));
  const model = await loadModelFromArgs(values);
  const trialRun = await scoreTrials(model, enrolments, trials, model.card.scoring, root);
  return { root, trialList: values.trials, enrolments, model, trialRun };
}

/**
 * Embeds every distinct file once (enrolments aggregated, weighted by net speech) and scores every trial with
 * `scoring` (the card's, or one with another calibration). Files without enough speech make their trials skipped.
 */
export async function scoreTrials(model: SpeakerModel, enrolments: readonly EnrolmentEntry[], trials: readonly Trial[], scoring: ScoringConfig, root: string): Promise<TrialRun> {
  const files = [...new Set([...enrolments.flatMap((e) => e.files), ...trials.map((t) => t.file)])];
  const embeddings = new Map<string, FileEmbedding | string>();
  const bar = progress(files.length);
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      throw new CommandError(`cannot read ${file}`);
    }
    try {
      const { embedding, netSpeechSeconds } = await embedAudio(model, bytes);
      embeddings.set(file, { embedding, netSpeechSeconds });
    } catch (error) {
      if (!(error instanceof InsufficientSpeechError)) throw new CommandError(`${relative(root, file)}: ${(error as Error).message}`, { cause: error });
      embeddings.set(file, `${relative(root, file)}: ${error.message}`);
    }
    bar.tick();
  }
  bar.done();

  const voiceprints = new Map<string, Embedding | string>();
  for (const { speakerId, files: enrolFiles } of enrolments) {
    const usable = enrolFiles.map((f) => embeddings.get(f)!).filter((e): e is FileEmbedding => typeof e !== 'string');
    voiceprints.set(
      speakerId,
      usable.length === 0 ? `speaker ${speakerId}: no enrolment file has enough speech` : aggregateEmbeddings(usable.map((u) => u.embedding), usable.map((u) => u.netSpeechSeconds)),
    );
  }

  const scorer = createScorer(scoring);
  const scored: ScoredTrial[] = [];
  const skipped: { trial: Trial; reason: string }[] = [];
  for (const trial of trials) {
    const voiceprint = voiceprints.get(trial.speakerId)!;
    const probe = embeddings.get(trial.file)!;
    if (typeof voiceprint === 'string') skipped.push({ trial, reason: voiceprint });
    else if (typeof probe === 'string') skipped.push({ trial, reason: probe });
    else scored.push({ ...trial, ...scorer.score(voiceprint, probe.embedding) });
  }
  return { scored, skipped, distinctFiles: files.length };
}
