import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ALAW_TO_FLOAT, MULAW_TO_FLOAT, alawToLinear16, mulawToLinear16 } from '../../../lambdas/audio/index.js';

// wavefile's G.711 codecs are an independent implementation to check every one of the 256 codes against.
const { WaveFile } = createRequire(import.meta.url)('wavefile') as typeof import('wavefile');

function wavefileExpand(bitDepthCode: '8m' | '8a'): Int16Array {
  const codes = Array.from({ length: 256 }, (_, code) => code);
  const wav = new WaveFile();
  wav.fromScratch(1, 8000, bitDepthCode, codes);
  if (bitDepthCode === '8m') wav.fromMuLaw();
  else wav.fromALaw();
  return wav.getSamples(false, Int16Array) as unknown as Int16Array;
}

describe('G.711 tables', () => {
  it('expands every μ-law code as wavefile does', () => {
    const expected = wavefileExpand('8m');
    for (let code = 0; code < 256; code++) expect(mulawToLinear16(code), `code ${code}`).toBe(expected[code]);
  });

  it('expands every A-law code as wavefile does', () => {
    const expected = wavefileExpand('8a');
    for (let code = 0; code < 256; code++) expect(alawToLinear16(code), `code ${code}`).toBe(expected[code]);
  });

  it('keeps G.711 reference points: μ-law 0x00/0x80 are ∓32124, 0xFF is 0; A-law 0xD5 is +8', () => {
    expect([mulawToLinear16(0x00), mulawToLinear16(0x80), mulawToLinear16(0xff)]).toEqual([-32124, 32124, 0]);
    expect([alawToLinear16(0xd5), alawToLinear16(0x55), alawToLinear16(0xaa)]).toEqual([8, -8, 32256]);
  });

  it('scales the float tables by 1/32768 and keeps them odd-symmetric', () => {
    for (let code = 0; code < 128; code++) {
      expect(MULAW_TO_FLOAT[code]).toBe(mulawToLinear16(code) / 32768);
      expect(MULAW_TO_FLOAT[code]! + MULAW_TO_FLOAT[code | 0x80]!).toBe(0);
      expect(ALAW_TO_FLOAT[code]! + ALAW_TO_FLOAT[code | 0x80]!).toBe(0);
    }
  });
});
