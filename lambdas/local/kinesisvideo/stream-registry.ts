/**
 * The streams the local Kinesis Video endpoint serves: each is an MKV registered whole (a test, or `timbre
 * call-sim`), split into fragments, and read back by GetMedia from a start selector. The registry also counts the
 * GetMedia responses still open on each stream, so a test can see that a reader which stopped let go of it.
 */
import { splitFragments, type KvsFragment } from './fragments.js';

/** How GetMedia delivers a stream's fragments. */
export type StreamPace =
  /** Fragment by fragment at the audio's timecodes, as a live call arrives. */
  | 'realtime'
  /** Everything at once, as archived media comes back. */
  | 'fast';

/** Options of {@link KvsStreamRegistry.putStream}. */
export interface PutStreamOptions {
  /** @default 'fast' */
  readonly pace?: StreamPace;
}

/** A registered stream. */
export interface LocalStream {
  readonly name: string;
  readonly arn: string;
  readonly pace: StreamPace;
  readonly fragments: readonly KvsFragment[];
  readonly createdAt: Date;
}

/** How GetMedia's StartSelector picks the first fragment. */
export type StartSelector =
  | { readonly type: 'EARLIEST' }
  | { readonly type: 'NOW' }
  | { readonly type: 'FRAGMENT_NUMBER'; readonly afterFragmentNumber: string };

/** Why a start selector found no fragment: KVS answers these with ResourceNotFoundException / InvalidArgumentException. */
export class StartSelectorError extends Error {
  constructor(readonly errorType: 'ResourceNotFoundException' | 'InvalidArgumentException', message: string) {
    super(message);
    this.name = 'StartSelectorError';
  }
}

/** The local streams by name and ARN. */
export class KvsStreamRegistry {
  private readonly byName = new Map<string, LocalStream>();
  private readonly openReads = new Map<string, number>();

  constructor(private readonly region: string, private readonly accountId: string) {}

  /**
   * Registers (or replaces) stream `name` with the fragments of `mkv`, which must come from
   * lambdas/audio/mkv-writer.ts or be laid out like it.
   * @returns the stream's ARN, shaped like Connect's (`…:stream/<name>/<creation ms>`)
   * @throws KvsMediaError when the bytes are not KVS fragments
   */
  putStream(name: string, mkv: Uint8Array, options: PutStreamOptions = {}): string {
    if (!/^[a-zA-Z0-9_.-]{1,256}$/.test(name)) throw new RangeError(`invalid stream name ${JSON.stringify(name)}`);
    const fragments = splitFragments(mkv);
    const createdAt = new Date();
    const arn = `arn:aws:kinesisvideo:${this.region}:${this.accountId}:stream/${name}/${createdAt.getTime()}`;
    this.byName.set(name, { name, arn, pace: options.pace ?? 'fast', fragments, createdAt });
    return arn;
  }

  /** By name or ARN; undefined when neither matches. */
  find(ref: { name?: string; arn?: string }): LocalStream | undefined {
    if (ref.arn !== undefined) {
      const stream = this.byName.get(/:stream\/([^/]+)\//.exec(ref.arn)?.[1] ?? '');
      return stream?.arn === ref.arn ? stream : undefined;
    }
    return ref.name === undefined ? undefined : this.byName.get(ref.name);
  }

  all(): LocalStream[] {
    return [...this.byName.values()];
  }

  /**
   * The fragments GetMedia returns for `selector`. FRAGMENT_NUMBER starts with the fragment *after* the named one,
   * as AWS documents StartSelectorType ("Start with the chunk after a specific fragment"); NOW starts with the
   * newest fragment, since a registered stream is complete.
   * @throws StartSelectorError for a fragment number the stream does not hold
   */
  select(stream: LocalStream, selector: StartSelector): readonly KvsFragment[] {
    if (selector.type === 'EARLIEST') return stream.fragments;
    if (selector.type === 'NOW') return stream.fragments.slice(-1);
    if (!/^\d{1,128}$/.test(selector.afterFragmentNumber)) {
      throw new StartSelectorError('InvalidArgumentException', 'AfterFragmentNumber must be a string of digits');
    }
    const index = stream.fragments.findIndex((f) => BigInt(f.number) === BigInt(selector.afterFragmentNumber));
    if (index < 0) throw new StartSelectorError('ResourceNotFoundException', `Fragment ${selector.afterFragmentNumber} not found in stream ${stream.name}`);
    return stream.fragments.slice(index + 1);
  }

  /** GetMedia responses on `name` not yet finished or abandoned by their reader. */
  openReadCount(name: string): number {
    return this.openReads.get(name) ?? 0;
  }

  /** Counts a read open until the returned function is called (once). */
  trackRead(name: string): () => void {
    this.openReads.set(name, this.openReadCount(name) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.openReads.set(name, this.openReadCount(name) - 1);
    };
  }
}
