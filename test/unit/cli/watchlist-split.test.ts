import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../support/shared-data.js';
import { formatSplit, readCorpusIndex, splitSpeakers, type IndexedClip } from '../../../bin/commands/watchlist-split.js';

const REPO = resolve(import.meta.dirname, '../../..');
const COMMON_VOICE = sharedDataDir('common-voice');

/** 400 made-up speakers with 2 to 6 clips each. */
function corpus(): IndexedClip[] {
  return Array.from({ length: 400 }, (_, s) => Array.from({ length: 2 + (s % 5) }, (_, c) => ({ speaker: `spk${s}`, file: `x/spk${s}/${c}.ogg`, seconds: 4 }))).flat();
}

describe('splitSpeakers', () => {
  it('gives the same split whatever the order of the index, and moves no speaker when another is added', () => {
    // Prepare
    const clips = corpus();
    const more = [...clips, { speaker: 'newcomer', file: 'x/newcomer/0.ogg', seconds: 3 }, { speaker: 'newcomer', file: 'x/newcomer/1.ogg', seconds: 3 }];

    // Act
    const split = splitSpeakers(clips, { seed: 's', v2HeldOut: 1000, v2MinClips: 3 });
    const reversed = splitSpeakers([...clips].reverse(), { seed: 's', v2HeldOut: 1000, v2MinClips: 3 });
    const grown = splitSpeakers(more, { seed: 's', v2HeldOut: 1000, v2MinClips: 3 });

    // Assess: v2HeldOut above the candidates, so the v2 marks cannot shift either
    expect(reversed).toEqual(split);
    expect(grown.filter((s) => s.speaker !== 'newcomer')).toEqual(split);
  });

  it('halves the speakers and marks the v2 held-out set only among evaluation speakers with enough clips', () => {
    // Act
    const split = splitSpeakers(corpus(), { seed: 'timbre', v2HeldOut: 50, v2MinClips: 3 });
    const other = splitSpeakers(corpus(), { seed: 'another seed', v2HeldOut: 50, v2MinClips: 3 });

    // Assess
    const calibration = split.filter((s) => s.half === 'calibration').length;
    expect(calibration).toBeGreaterThan(160);
    expect(calibration).toBeLessThan(240);
    const v2 = split.filter((s) => s.v2HeldOut);
    expect(v2).toHaveLength(50);
    expect(v2.every((s) => s.half === 'evaluation' && s.clips >= 3)).toBe(true);
    expect(other.map((s) => s.half)).not.toEqual(split.map((s) => s.half));
  });

  it.skipIf(COMMON_VOICE === undefined)('is the committed Common Voice list, regenerated from the corpus index', () => {
    // Act
    const regenerated = formatSplit(splitSpeakers(readCorpusIndex(resolve(COMMON_VOICE!, 'index.tsv'))));

    // Assess
    expect(regenerated).toBe(readFileSync(resolve(REPO, 'training/lists/common-voice-watchlist.tsv'), 'utf8'));
  });
});
