/**
 * The fbank's own cost, as its goal is stated: CPU ms per 10 s of 8 kHz audio resampled to 16 kHz, one thread,
 * WeSpeaker settings (the default card's). Run: npx tsx test/bench/fbank-bench.ts [repetitions]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeAudio, resample } from '../../lambdas/audio/index.js';
import { createFeatureExtractor, subtractMean, type KaldiFbankConfig } from '../../lambdas/voiceprint/index.js';

const WESPEAKER: KaldiFbankConfig = {
  kind: 'kaldi-fbank', numMelBins: 80, frameLengthMs: 25, frameShiftMs: 10, window: 'hamming', sampleScale: 32768,
  dither: 0, preemphasisCoefficient: 0.97, removeDcOffset: true, rawEnergy: true, lowFreqHz: 20, highFreqHz: 0,
  snipEdges: true, useLogFbank: true, usePower: true, energyFloor: 0, meanNormalisation: 'utterance',
};

const repetitions = Number(process.argv[2] ?? 200);
const bytes = readFileSync(resolve(import.meta.dirname, '../fixtures/fbank/bench-8k-10s.wav'));
const pcm = resample(await decodeAudio(bytes), 16000);
const seconds = pcm.samples.length / pcm.sampleRateHz;
const extractor = createFeatureExtractor(WESPEAKER, 16000);

const cpuMs = (fn: () => unknown): number => {
  for (let i = 0; i < 20; i++) fn();
  const before = process.cpuUsage();
  for (let i = 0; i < repetitions; i++) fn();
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / repetitions) * (10 / seconds);
};

const fbankMs = cpuMs(() => extractor.compute(pcm.samples));
const withCmnMs = cpuMs(() => subtractMean(extractor.compute(pcm.samples)));
process.stdout.write(`${JSON.stringify({ audioSeconds: seconds, repetitions, fbankMsPer10s: fbankMs, fbankWithMeanNormalisationMsPer10s: withCmnMs })}\n`);
