/** Mono PCM audio: `samples` are floats in [-1, 1], one per sample period. */
export interface Pcm {
  readonly sampleRateHz: number;
  readonly samples: Float32Array;
}

/** What a decoder was asked for. */
export interface DecodeOptions {
  /** Which channel of a multi-channel file to keep (Voice ID's ChannelId); 0-based. @default 0 */
  readonly channel?: number;
  /** Refuse audio longer than this, in seconds. @default 1320 (Voice ID's largest batch file, 20 MiB of 8 kHz 16-bit mono, is 1310.7 s) */
  readonly maxSeconds?: number;
  /** Treat input without a container as raw 16-bit little-endian PCM at this rate (what Amazon Connect streams). */
  readonly rawPcmSampleRateHz?: number;
}
