/**
 * The audio consumer's loop: the caller's samples of one contact, as the Kinesis Video reader yields them, fed to
 * the session in blocks of a few seconds (so each block is one voice-activity pass and one store write, and no
 * block is ever re-processed), until the session has the speech every check needs, the session ends, or the
 * stream does.
 */
import type { CallerAudio } from './caller-audio.js';

/** What the session says after each block. */
export interface SessionProgress {
  readonly streamingStatus: string;
  readonly netSpeechSeconds: number;
}

/** Where the consumer sends audio: the session service, in-process. */
export interface SessionAudioSink {
  /** Appends caller samples (8 kHz PCM-16, in stream order); `endOfStream` ends the session's streaming. */
  append(samples: Int16Array, options: { readonly endOfStream: boolean; readonly fragmentNumber?: string }): Promise<SessionProgress>;
}

/** How the feeder batches and when it stops. */
export interface CallFeedOptions {
  /** Samples per second of the caller track. @default 8000 */
  readonly sampleRateHz?: number;
  /** Seconds of audio per block sent to the session. @default 4 */
  readonly blockSeconds?: number;
  /** Net speech after which nothing more is needed (enrolment's 30 s covers authentication and fraud checks). @default 30 */
  readonly enoughSpeechSeconds?: number;
}

/** Why feeding stopped, and how far it got. */
export interface CallFeedResult {
  readonly reason: 'enough-speech' | 'session-ended' | 'end-of-stream';
  readonly audioSeconds: number;
  readonly netSpeechSeconds: number;
  readonly blocks: number;
  /** The last fragment whose audio reached the session. */
  readonly lastFragmentNumber?: string;
}

/**
 * Feeds `audio` to `sink` block by block. The last block is sent with `endOfStream` when the stream ended, so the
 * session ends with the call; stopping for enough speech leaves the session open for evaluation.
 */
export async function feedCallAudio(audio: AsyncIterable<CallerAudio>, sink: SessionAudioSink, options: CallFeedOptions = {}): Promise<CallFeedResult> {
  const sampleRateHz = options.sampleRateHz ?? 8000;
  const blockSamples = Math.round((options.blockSeconds ?? 4) * sampleRateHz);
  const enough = options.enoughSpeechSeconds ?? 30;
  let pending: Int16Array[] = [];
  let pendingSamples = 0;
  let totalSamples = 0;
  let blocks = 0;
  let fragmentNumber: string | undefined;
  let progress: SessionProgress = { streamingStatus: 'PENDING_CONFIGURATION', netSpeechSeconds: 0 };

  const flush = async (endOfStream: boolean): Promise<void> => {
    const block = new Int16Array(pendingSamples);
    let offset = 0;
    for (const piece of pending) {
      block.set(piece, offset);
      offset += piece.length;
    }
    pending = [];
    pendingSamples = 0;
    progress = await sink.append(block, { endOfStream, ...(fragmentNumber !== undefined && { fragmentNumber }) });
    blocks += 1;
  };
  const result = (reason: CallFeedResult['reason']): CallFeedResult => ({
    reason,
    audioSeconds: totalSamples / sampleRateHz,
    netSpeechSeconds: progress.netSpeechSeconds,
    blocks,
    ...(fragmentNumber !== undefined && { lastFragmentNumber: fragmentNumber }),
  });

  for await (const piece of audio) {
    pending.push(piece.samples);
    pendingSamples += piece.samples.length;
    totalSamples += piece.samples.length;
    if (piece.fragmentNumber !== undefined) fragmentNumber = piece.fragmentNumber;
    if (pendingSamples < blockSamples) continue;
    await flush(false);
    if (progress.streamingStatus === 'ENDED') return result('session-ended');
    if (progress.netSpeechSeconds >= enough) return result('enough-speech');
  }
  await flush(true);
  return result('end-of-stream');
}
