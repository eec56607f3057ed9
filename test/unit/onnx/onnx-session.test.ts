import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  OnnxModelError,
  createOnnxSession,
  ProtobufError,
  decodeOnnxModel,
  encodeOnnxModel,
  openOnnxSession,
  processCache,
} from '../../../lambdas/onnx/index.js';
import { ProtoWriter, readFields, repeatedVarints } from '../../../lambdas/onnx/protobuf.js';

const TINY = resolve(import.meta.dirname, '../../fixtures/models/tiny-spk.onnx');
const TINY_SHA256 = createHash('sha256').update(readFileSync(TINY)).digest('hex');

describe('protobuf wire format', () => {
  it('reads back the varints, int64 negatives, strings and nested messages it writes', () => {
    const nested = new ProtoWriter().text(1, 'stft').finish();
    const bytes = new ProtoWriter().varint(1, 300).varint(2, -1).text(3, 'naïve').bytes(4, nested).finish();
    const [a, b, c, d] = readFields(bytes);
    expect(a).toMatchObject({ number: 1, wireType: 0, varint: 300n });
    expect(BigInt.asIntN(64, b!.varint)).toBe(-1n);
    expect(new TextDecoder().decode(c!.bytes)).toBe('naïve');
    expect(readFields(d!.bytes)[0]).toMatchObject({ number: 1, wireType: 2 });
  });

  it('reads repeated varints written packed or one by one', () => {
    const packed = new ProtoWriter().bytes(8, Uint8Array.of(1, 0xac, 0x02, 3)).finish();
    const unpacked = new ProtoWriter().varint(8, 1).varint(8, 300).varint(8, 3).finish();
    expect(repeatedVarints(readFields(packed), 8)).toEqual([1n, 300n, 3n]);
    expect(repeatedVarints(readFields(unpacked), 8)).toEqual([1n, 300n, 3n]);
  });

  it('refuses a field that runs past the end', () => {
    expect(() => readFields(Uint8Array.of(0x0a, 5, 1, 2))).toThrow(ProtobufError);
  });
});

describe('decodeOnnxModel / encodeOnnxModel', () => {
  it('re-encodes a model that onnxruntime opens and runs like the original', async () => {
    const model = decodeOnnxModel(readFileSync(TINY));
    expect(model.graph.inputNames).toEqual(['feats']);
    const copy = encodeOnnxModel({
      irVersion: model.irVersion,
      opsetImports: model.opsetImports,
      graphName: 'copy',
      nodes: model.graph.nodes,
      initializers: model.graph.initializers,
      inputs: [{ name: 'feats', elemType: 1, dims: ['batch', 'frames', 80] }],
      outputs: [{ name: 'embs', elemType: 1, dims: ['batch', 16] }],
    });
    const [original, recut] = await Promise.all([createOnnxSession(readFileSync(TINY)), createOnnxSession(copy)]);
    const feats = new Tensor('float32', Float32Array.from({ length: 100 * 80 }, (_, i) => Math.sin(i)), [1, 100, 80]);
    const [a, b] = await Promise.all([original.run({ feats }), recut.run({ feats })]);
    expect(Array.from(b.embs!.data as Float32Array)).toEqual(Array.from(a.embs!.data as Float32Array));
  });
});

describe('openOnnxSession', () => {
  it('opens a file once per process for the same checksum and threads', async () => {
    const first = openOnnxSession({ path: TINY, sha256: TINY_SHA256 });
    expect(openOnnxSession({ path: TINY, sha256: TINY_SHA256 })).toBe(first);
    expect(openOnnxSession({ path: TINY, sha256: TINY_SHA256 }, { intraOpThreads: 2 })).not.toBe(first);
    expect((await first).inputNames).toEqual(['feats']);
  });

  it('says which step failed: unreadable file, checksum (with the actual sha256), options', async () => {
    const missing = await openOnnxSession({ path: join(tmpdir(), 'no-such-model.onnx') }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'OnnxModelError', reason: 'unreadable' });
    const wrong = await openOnnxSession({ path: TINY, sha256: '0'.repeat(64) }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OnnxModelError);
    expect(wrong).toMatchObject({ reason: 'checksum', actualSha256: TINY_SHA256 });
    await expect(openOnnxSession({ path: TINY }, { intraOpThreads: 0 })).rejects.toMatchObject({ reason: 'options' });
  });

  it('refuses bytes onnxruntime cannot load, and a derived graph that cannot be made', async () => {
    const notOnnx = resolve(import.meta.dirname, '../../fixtures/models/tiny-spk.json');
    await expect(openOnnxSession({ path: notOnnx })).rejects.toMatchObject({ reason: 'session' });
    const derive = { name: 'broken', graph: (): Uint8Array => { throw new Error('no LSTM'); } };
    await expect(openOnnxSession({ path: TINY, derive })).rejects.toThrow(/cannot make the broken graph from .*tiny-spk\.onnx: no LSTM/);
  });

  it('tries again after a failure, once the file is there', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'timbre-onnx-')), 'model.onnx');
    await expect(openOnnxSession({ path })).rejects.toMatchObject({ reason: 'unreadable' });
    copyFileSync(TINY, path);
    expect((await openOnnxSession({ path })).outputNames).toEqual(['embs']);
  });
});

describe('processCache', () => {
  it('makes each key once and forgets a failure', async () => {
    const cache = processCache<number>();
    let made = 0;
    const make = async (): Promise<number> => ++made;
    expect(await cache('a', make)).toBe(1);
    expect(await cache('a', make)).toBe(1);
    await expect(cache('b', () => Promise.reject(new Error('not yet')))).rejects.toThrow('not yet');
    expect(await cache('b', make)).toBe(2);
  });
});
