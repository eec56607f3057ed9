import { describe, expect, it } from 'vitest';
import type { CallerAudio } from '../../../lambdas/connect/caller-audio.js';
import { feedCallAudio, type SessionAudioSink, type SessionProgress } from '../../../lambdas/connect/call-feeder.js';

/** `seconds` of caller audio in pieces of `pieceMs`, each sample numbered so blocks can be checked for order. */
async function* callAudio(seconds: number, pieceMs = 20): AsyncGenerator<CallerAudio> {
  const pieceSamples = (8000 * pieceMs) / 1000;
  let n = 0;
  for (let i = 0; i < (seconds * 1000) / pieceMs; i++) {
    const samples = new Int16Array(pieceSamples).map(() => n++ % 32768);
    yield { samples, fragmentNumber: String(1000 + Math.floor(i / 50)) };
  }
}

/** A sink that counts every sample as speech times `speechShare`, and records what it was sent. */
function recordingSink(speechShare: number, endAfterBlocks = Infinity): SessionAudioSink & { calls: { samples: Int16Array; endOfStream: boolean }[] } {
  const calls: { samples: Int16Array; endOfStream: boolean }[] = [];
  let speech = 0;
  return {
    calls,
    async append(samples, options): Promise<SessionProgress> {
      calls.push({ samples, endOfStream: options.endOfStream });
      speech += (samples.length / 8000) * speechShare;
      const ended = options.endOfStream || calls.length >= endAfterBlocks;
      return { streamingStatus: ended ? 'ENDED' : 'ONGOING', netSpeechSeconds: speech };
    },
  };
}

describe('feedCallAudio', () => {
  it('sends the whole call in order, in blocks, and ends the session with the stream', async () => {
    const sink = recordingSink(0.5);
    const result = await feedCallAudio(callAudio(10), sink, { blockSeconds: 4 });
    expect(sink.calls.map((c) => c.samples.length)).toEqual([32000, 32000, 16000]);
    expect(sink.calls.map((c) => c.endOfStream)).toEqual([false, false, true]);
    const all = Int16Array.from(sink.calls.flatMap((c) => [...c.samples]));
    expect(all.every((v, i) => v === i % 32768)).toBe(true);
    expect(result).toMatchObject({ reason: 'end-of-stream', audioSeconds: 10, netSpeechSeconds: 5, blocks: 3, lastFragmentNumber: '1009' });
  });

  it('stops reading once the session has enough speech, leaving it open', async () => {
    const sink = recordingSink(1);
    const result = await feedCallAudio(callAudio(120), sink, { blockSeconds: 4, enoughSpeechSeconds: 30 });
    expect(result.reason).toBe('enough-speech');
    expect(result.netSpeechSeconds).toBe(32);
    expect(result.audioSeconds).toBe(32);
    expect(sink.calls.some((c) => c.endOfStream)).toBe(false);
  });

  it('stops when the session ends while the call goes on', async () => {
    const sink = recordingSink(0.1, 2);
    const result = await feedCallAudio(callAudio(60), sink, { blockSeconds: 4 });
    expect(result).toMatchObject({ reason: 'session-ended', blocks: 2, audioSeconds: 8 });
  });

  it('sends one final empty block for a stream without audio, so the session still ends', async () => {
    const sink = recordingSink(1);
    const result = await feedCallAudio(callAudio(0), sink);
    expect(sink.calls).toHaveLength(1);
    expect(sink.calls[0]).toMatchObject({ endOfStream: true });
    expect(sink.calls[0]!.samples.length).toBe(0);
    expect(result.reason).toBe('end-of-stream');
  });
});
