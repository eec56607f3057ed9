import { describe, expect, it } from 'vitest';
import { ModelCardError } from '../../../lambdas/voiceprint/index.js';
import { loadCmCard, parseCmCard } from '../../../lambdas/antispoof/index.js';
import { tinyCmCardJson, writeTinyCm } from '../../support/tiny-cm.js';

const CARD_PATH = '/cards/tiny-cm.json';
const SHA = 'ab'.repeat(32);

/** The ModelCardError `card` is refused with. */
function errorOf(card: unknown): ModelCardError {
  try {
    parseCmCard(card, CARD_PATH);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelCardError);
    return error as ModelCardError;
  }
  throw new Error('expected the card to be refused');
}

describe('parseCmCard', () => {
  it('reads the contract card: paths resolved, features as the speaker card, extra keys kept', () => {
    const card = parseCmCard({ ...tinyCmCardJson(SHA), heldOut: { engines: ['flite'] } }, CARD_PATH);
    expect(card.onnxPath).toBe('/cards/tiny-cm.onnx');
    expect(card.features).toMatchObject({ kind: 'kaldi-fbank', numMelBins: 80, window: 'hamming', sampleScale: 32768, meanNormalisation: 'utterance' });
    expect(card.windowing).toEqual({ windowSeconds: 4, hopSeconds: 2, minSeconds: 1, pooling: 'mean' });
    expect(card.calibration).toEqual({ kind: 'logistic', a: 0.5, b: 0, fittedOn: 'not fitted: test model' });
    expect(card.extra).toEqual({ heldOut: { engines: ['flite'] } });
  });

  it('takes the speaker card’s features object exactly as it is (its meanNormalisation is the speaker model’s)', () => {
    const raw = tinyCmCardJson(SHA);
    (raw['features'] as Record<string, unknown>)['meanNormalisation'] = 'utterance';
    expect(parseCmCard(raw, CARD_PATH).features.meanNormalisation).toBe('utterance');
  });

  it('loads a card file and refuses a missing one', () => {
    expect(loadCmCard(writeTinyCm()).id).toBe('tiny-cm-test');
    expect(() => loadCmCard('/no/such/card.json')).toThrow(/cannot be read/);
  });

  it('names the key and the fix for each kind of mistake', () => {
    expect(errorOf({ ...tinyCmCardJson(SHA), format: 'timbre-model-card/1' }).message).toMatch(/format is "timbre-model-card\/1"; a countermeasure card is "timbre-cm-card\/1"/);
    expect(errorOf({ ...tinyCmCardJson(SHA), sha256: 'xyz' }).key).toBe('sha256');
    const typo = tinyCmCardJson(SHA);
    (typo['features'] as Record<string, unknown>)['numMelBin'] = 80;
    expect(errorOf(typo).key).toBe('features.numMelBin');
    expect(errorOf({ ...tinyCmCardJson(SHA), io: { input: 'feats' } }).key).toBe('io.output');
    expect(errorOf({ ...tinyCmCardJson(SHA), windowing: { windowSeconds: 4, hopSeconds: 5, minSeconds: 1 } }).message).toMatch(/hopSeconds \(5\) must not exceed windowSeconds/);
    expect(errorOf({ ...tinyCmCardJson(SHA), windowing: { windowSeconds: 4, hopSeconds: 2, minSeconds: 1, step: 1 } }).key).toBe('windowing.step');
    expect(errorOf({ ...tinyCmCardJson(SHA), calibration: { kind: 'logistic', a: -1, b: 0 } }).key).toBe('calibration.a');
    expect(errorOf({ ...tinyCmCardJson(SHA), calibration: { kind: 'platt', a: 1, b: 0 } }).message).toMatch(/use one of "logistic"/);
    expect(errorOf({ ...tinyCmCardJson(SHA), params: 2_000_000 }).message).toMatch(/params must be at most 1000000/);
    const noParams = tinyCmCardJson(SHA);
    delete noParams['params'];
    expect(errorOf(noParams).key).toBe('params');
    expect(errorOf([]).message).toMatch(/the card must be a JSON object/);
  });
});
