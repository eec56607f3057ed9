import { describe, expect, it } from 'vitest';
import { SpoofListError, SpoofMetricsError, parseSpoofList, spoofMetrics, type SpoofTrial } from '../../../lambdas/antispoof/index.js';

const trial = (label: 'bonafide' | 'spoof', attack: string, pooledLogit: number): SpoofTrial => ({ label, attack, pooledLogit, risk: 100 / (1 + Math.exp(-pooledLogit)) });

describe('spoofMetrics', () => {
  it('gives EER on the logits, BPCER and APCER per attack at the rounded risk 50', () => {
    const trials = [
      trial('bonafide', '-', -3),
      trial('bonafide', 'libri', -1),
      trial('bonafide', '-', 0.5), // risk 62: flagged
      trial('bonafide', '-', -0.01), // risk 49.75 rounds to 50: flagged, as a session would
      trial('spoof', 'espeak', 2),
      trial('spoof', 'espeak', -2), // missed
      trial('spoof', 'flite', 4),
      trial('spoof', 'flite', 1),
    ];
    const m = spoofMetrics(trials);
    expect(m.bpcer).toBe(0.5);
    expect(m.apcer).toEqual({ espeak: 0.5, flite: 0 });
    expect(m.counts).toEqual({ bonafide: 4, spoof: 4 });
    expect(m.bonafideSources).toEqual({ libri: { count: 1, bpcer: 0 } });
    // Spoofs 4, 2, 1, −2 against bona fide 0.5, −0.01, −1, −3: the ROC hull runs from (pFa 0, pMiss ¼) to (¾, 0)
    // and crosses pFa = pMiss at 3/16 (the ROCCH-EER of lambdas/scoring; the steppy curve's crossing is ¼).
    expect(m.eer).toBeCloseTo(3 / 16, 10);
  });

  it('is 0 everywhere for scores that separate', () => {
    const m = spoofMetrics([trial('bonafide', '-', -5), trial('spoof', 'x', 5)]);
    expect(m).toEqual({ eer: 0, bpcer: 0, apcer: { x: 0 }, counts: { bonafide: 1, spoof: 1 }, bonafideSources: {} });
  });

  it('gives each named bona fide source its own BPCER', () => {
    const m = spoofMetrics([
      trial('bonafide', 'real-8k-fsdd', 1), // flagged
      trial('bonafide', 'real-8k-fsdd', -4),
      trial('bonafide', 'librispeech', -4),
      trial('bonafide', '-', 3), // flagged, in no source
      trial('spoof', 'x', 5),
    ]);
    expect(m.bpcer).toBe(0.5);
    expect(m.bonafideSources).toEqual({ librispeech: { count: 1, bpcer: 0 }, 'real-8k-fsdd': { count: 2, bpcer: 0.5 } });
  });

  it('refuses lists without both labels', () => {
    expect(() => spoofMetrics([trial('spoof', 'x', 1)])).toThrow(SpoofMetricsError);
  });
});

describe('parseSpoofList', () => {
  it('reads path, label and attack, skipping blank lines', () => {
    expect(parseSpoofList('a.wav\tbonafide\t-\n\nsub/b.wav\tspoof\tespeak-ng\r\n', 'l.tsv')).toEqual([
      { path: 'a.wav', label: 'bonafide', attack: '-', line: 1 },
      { path: 'sub/b.wav', label: 'spoof', attack: 'espeak-ng', line: 3 },
    ]);
  });

  it('names the line of a bad entry', () => {
    const bad = (text: string): SpoofListError => {
      try {
        parseSpoofList(text, 'l.tsv');
      } catch (error) {
        return error as SpoofListError;
      }
      throw new Error('expected the list to be refused');
    };
    expect(bad('a.wav\tbonafide\t-\nb.wav spoof x')).toMatchObject({ line: 2, message: expect.stringMatching(/^l.tsv:2: has 1 tab-separated column/) });
    expect(bad('a.wav\tfake\tx').message).toMatch(/l.tsv:1: the label is "fake"; use bonafide or spoof/);
    expect(bad('a.wav\tspoof\t ').message).toMatch(/needs its attack name/);
    expect(bad('\n\n').message).toMatch(/no entries/);
  });
});
