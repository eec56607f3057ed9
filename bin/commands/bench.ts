import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSpoofModel, planSpoofWindows, scoreSpoofSpeech, windowFrames } from '../../lambdas/antispoof/index.js';
import { decodeAudio, resample, type Pcm } from '../../lambdas/audio/index.js';
import { detectSpeech, extractSpeech, sileroSession } from '../../lambdas/speech/index.js';
import { embedAndScreenRecording } from '../../lambdas/voiceid/voiceprints.js';
import { embedAudio, planWindows, subtractMean, vadRunsBeforeResampling, type Frames } from '../../lambdas/voiceprint/index.js';
import { UsageError, intOption, parseCommandArgs, printHelp, runCommand } from './cli-support.js';
import { MODEL_OPTIONS, MODEL_USAGE, loadModelFromArgs, resolveCmCardPath } from './model-option.js';

/** 10 s of 8 kHz 16-bit speech with pauses (espeak-ng, see test/fixtures/fbank/make-wavs.sh). */
const BENCH_AUDIO = resolve(import.meta.dirname, '../../test/fixtures/fbank/bench-8k-10s.wav');

const USAGE = `
usage: timbre bench [--json] [--repetitions N] [--audio FILE] [--model CARD] [--cm-model CARD]

CPU milliseconds per 10 s of input audio (default: 10 s of 8 kHz speech) for each stage of the voice pipeline
(decode, resample, VAD, fbank, speaker model), for the spoofing countermeasure on the same frames (the fbank is
shared, so its row is the model alone, goal ≤ 20 ms) and for the whole pipeline, measured with process.cpuUsage over
N repetitions after a warm-up, plus model-load and VAD-load time (reading, checking and re-cutting
Silero VAD) and peak RSS. onnxruntime runs on --threads (default 1).
  --json            print one JSON object (msPer10s: the whole pipeline; screenedMsPer10s: with the CM; decodeMs ...
                    modelMs, cmMs: per stage)
  --repetitions N   repetitions per stage (default 20)
  --audio FILE      another recording to measure on
  --cm-model CARD   countermeasure card (default: $TIMBRE_CM_MODEL_CARD, else models/timbre-cm.json)
${MODEL_USAGE}
`;

/** CPU ms (user + system, all threads) per call of `fn`, after two warm-up calls. */
async function cpuMsPerRun(repetitions: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < 2; i++) await fn();
  const before = process.cpuUsage();
  for (let i = 0; i < repetitions; i++) await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / repetitions;
}

/** `timbre bench`: see USAGE. */
export function run(argv: string[]): Promise<number> {
  return runCommand('bench', async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      json: { type: 'boolean' }, repetitions: { type: 'string' }, audio: { type: 'string' }, 'cm-model': { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...MODEL_OPTIONS,
    }, true);
    if (printHelp(values.help, USAGE)) return 0;
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
    const repetitions = intOption('repetitions', values.repetitions, 1, 10_000) ?? 20;
    const audioPath = values.audio ?? BENCH_AUDIO;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(audioPath);
    } catch {
      throw new UsageError(`cannot read ${audioPath}`);
    }

    const model = await loadModelFromArgs(values);
    const { card } = model;
    const cm = await loadSpoofModel(resolveCmCardPath(values['cm-model'], '--cm-model'), { intraOpThreads: values.threads === undefined ? 1 : Number(values.threads) });
    const decoded = await decodeAudio(bytes);
    const inputSeconds = decoded.samples.length / decoded.sampleRateHz;
    const per10s = (ms: number): number => (ms * 10) / inputSeconds;
    // Stages in the order embedAudio runs them (VAD before resampling at 8 and 16 kHz, after it otherwise).
    const vadFirst = vadRunsBeforeResampling(decoded.sampleRateHz);
    const toModelRate = (pcm: Pcm): Pcm => (pcm.sampleRateHz === card.sampleRateHz ? pcm : resample(pcm, card.sampleRateHz));
    const vadInput = vadFirst ? decoded : toModelRate(decoded);
    const vadLoadStarted = performance.now();
    await sileroSession(vadInput.sampleRateHz === 8000 ? 8000 : 16000); // detectSpeech's rate for this input
    const vadLoadMs = performance.now() - vadLoadStarted;
    const detection = await detectSpeech(vadInput);
    const vadOutput = extractSpeech(vadInput, detection.segments);
    const speech = vadFirst ? toModelRate(vadOutput) : vadOutput;
    const resampleInput = vadFirst ? vadOutput : decoded;
    const makeWindows = (): Frames[] => {
      const frames = model.features.compute(speech.samples);
      const { starts, lengthFrames } = planWindows(frames.numFrames, card.features.frameShiftMs, card.windowing);
      return starts.map((s) => subtractMean(frames, s, lengthFrames));
    };
    const windows = makeWindows();
    const speechFrames = model.features.compute(speech.samples);
    const cmWindows = planSpoofWindows(speechFrames.numFrames, windowFrames(cm.card)).length;

    const stages = {
      decodeMs: per10s(await cpuMsPerRun(repetitions, () => decodeAudio(bytes))),
      resampleMs: per10s(await cpuMsPerRun(repetitions, () => toModelRate(resampleInput))),
      vadMs: per10s(await cpuMsPerRun(repetitions, async () => extractSpeech(vadInput, (await detectSpeech(vadInput)).segments))),
      fbankMs: per10s(await cpuMsPerRun(repetitions, makeWindows)),
      modelMs: per10s(await cpuMsPerRun(repetitions, async () => {
        for (let i = 0; i < windows.length; i += 16) await model.embedFrames(windows.slice(i, i + 16));
      })),
      // The countermeasure on the speaker model's frames: its windows, network and pooling, no fbank.
      cmMs: per10s(await cpuMsPerRun(repetitions, () => scoreSpoofSpeech(cm, speech, speechFrames))),
    };
    const msPer10s = per10s(await cpuMsPerRun(repetitions, () => embedAudio(model, bytes)));
    // What a screened call or batch record costs: one decode, VAD and fbank for both models.
    const screenedMsPer10s = per10s(await cpuMsPerRun(repetitions, () => embedAndScreenRecording(model, cm, bytes)));
    const report = {
      modelId: card.id,
      threads: values.threads === undefined ? 1 : Number(values.threads),
      audioSeconds: inputSeconds,
      audioSampleRateHz: decoded.sampleRateHz,
      netSpeechSeconds: detection.netSpeechSeconds,
      windows: windows.length,
      cmId: cm.card.id,
      cmWindows,
      repetitions,
      msPer10s,
      screenedMsPer10s,
      ...stages,
      modelLoadMs: model.loadMs,
      cmLoadMs: cm.loadMs,
      vadLoadMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      const row = (name: string, ms: number): string => `  ${name.padEnd(10)} ${ms.toFixed(2).padStart(9)} ms`;
      process.stdout.write(
        [
          `model ${card.id}, ${report.threads} thread(s); ${inputSeconds.toFixed(1)} s of ${decoded.sampleRateHz} Hz audio (VAD ${vadFirst ? 'before' : 'after'} resampling), ` +
            `${detection.netSpeechSeconds.toFixed(2)} s net speech, ${windows.length} window(s); ${repetitions} repetitions`,
          'CPU per 10 s of input audio:',
          row('decode', stages.decodeMs),
          row('resample', stages.resampleMs),
          row('VAD', stages.vadMs),
          row('fbank', stages.fbankMs),
          row('model', stages.modelMs),
          row('CM', stages.cmMs) + `   (${cm.card.id}, ${cmWindows} window(s), on the shared fbank; goal ≤ 20 ms)`,
          row('pipeline', msPer10s) + '   (embedAudio end to end)',
          row('+ CM', screenedMsPer10s) + '   (embedAndScreenRecording: the pipeline with the countermeasure on its frames)',
          `model load ${model.loadMs.toFixed(1)} ms; CM load ${cm.loadMs.toFixed(1)} ms; VAD load ${vadLoadMs.toFixed(1)} ms; peak RSS ${report.peakRssMb.toFixed(0)} MB`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  });
}
