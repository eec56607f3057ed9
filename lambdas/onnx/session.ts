import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { OnnxModelError } from './errors.js';
import { processCache } from './process-cache.js';

/** How every Timbre model runs. */
export interface OnnxRunOptions {
  /** onnxruntime intra-op threads. @default 1 (one Lambda vCPU; throughput comes from more processes) */
  readonly intraOpThreads?: number;
}

/** An ONNX file to open, how to check it, and what to make of it. */
export interface OnnxSource {
  readonly path: string;
  /** The file's expected sha256 (hex): a file that differs is refused, so a swapped model cannot change results silently. */
  readonly sha256?: string;
  /** Opens a graph made from the file's bytes instead of the file itself; `name` tells such variants apart. */
  readonly derive?: { readonly name: string; readonly graph: (fileBytes: Uint8Array) => Uint8Array };
}

/**
 * An onnxruntime session on serialised model bytes with Timbre's session options: `intraOpThreads`
 * threads, one inter-op thread, sequential execution, all graph optimisations. Not cached.
 * @throws whatever onnxruntime throws for bytes it cannot load
 */
export function createOnnxSession(bytes: Uint8Array, options: OnnxRunOptions = {}): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: options.intraOpThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

const sessions = processCache<ort.InferenceSession>();

/**
 * The process-wide session for `source`, opened on first use and shared by every later call with the same
 * file, checksum, variant and options: reads the file, checks its sha256, derives the graph when asked, and
 * opens it with {@link createOnnxSession}. A failure is not cached.
 * @throws {OnnxModelError} whose `reason` says which step failed
 * @example const session = await openOnnxSession({ path: 'models/x.onnx', sha256: card.sha256 }, { intraOpThreads: 1 });
 */
export function openOnnxSession(source: OnnxSource, options: OnnxRunOptions = {}): Promise<ort.InferenceSession> {
  const threads = options.intraOpThreads ?? 1;
  const key = [resolve(source.path), source.sha256 ?? '', source.derive?.name ?? '', threads].join('\u0000');
  return sessions(key, () => openSession(source, threads));
}

async function openSession({ path, sha256, derive }: OnnxSource, intraOpThreads: number): Promise<ort.InferenceSession> {
  if (!Number.isInteger(intraOpThreads) || intraOpThreads < 1) {
    throw new OnnxModelError('options', path, `intraOpThreads must be a whole number ≥ 1, not ${intraOpThreads}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new OnnxModelError('unreadable', path, `cannot read ${path}`, undefined, { cause: error });
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== undefined && actual !== sha256) {
    throw new OnnxModelError('checksum', path, `${path} has sha256 ${actual}, expected ${sha256}`, actual);
  }
  if (derive !== undefined) {
    try {
      bytes = derive.graph(bytes);
    } catch (error) {
      throw new OnnxModelError('derive', path, `cannot make the ${derive.name} graph from ${path}: ${(error as Error).message}`, undefined, { cause: error });
    }
  }
  try {
    return await createOnnxSession(bytes, { intraOpThreads });
  } catch (error) {
    throw new OnnxModelError('session', path, `onnxruntime cannot load ${path}: ${(error as Error).message}`, undefined, { cause: error });
  }
}
