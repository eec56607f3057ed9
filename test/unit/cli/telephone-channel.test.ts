import { describe, expect, it } from 'vitest';
import { decodeAudio, mulawToLinear16 } from '../../../lambdas/audio/index.js';
import { linear16ToMulaw, mulawTelephoneWav } from '../../../bin/commands/telephone-channel.js';

describe('the telephone channel of eval-watchlist', () => {
  it('codes every G.711 mu-law level back to its own code', () => {
    // Act: 0x7F is G.711's "negative zero", which expands to 0 like 0xFF
    const codes = Array.from({ length: 256 }, (_, c) => c).filter((c) => c !== 0x7f);

    // Assess
    for (const code of codes) expect(linear16ToMulaw(mulawToLinear16(code))).toBe(code);
    expect(linear16ToMulaw(40000)).toBe(linear16ToMulaw(32767));
  });

  it('makes an 8 kHz mu-law WAV that the audio box decodes to the same tone at half the samples', async () => {
    // Prepare: one second of a 440 Hz tone at 16 kHz
    const samples = Float32Array.from({ length: 16000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));

    // Act
    const pcm = await decodeAudio(mulawTelephoneWav({ sampleRateHz: 16000, samples }));

    // Assess
    expect(pcm.sampleRateHz).toBe(8000);
    expect(pcm.samples).toHaveLength(8000);
    let error = 0;
    for (let i = 100; i < 7900; i++) error = Math.max(error, Math.abs(pcm.samples[i]! - 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    expect(error).toBeLessThan(0.02);
  });
});
