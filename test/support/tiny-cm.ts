/**
 * A tiny countermeasure for unit tests, built here from the repository's own ONNX codec (nothing downloaded, no
 * binary committed): logits = mean over frames and bins of the raw log-mel frames − `bias`. Louder, brighter speech
 * scores higher, so its logits change with the audio and windows can be told apart, which is all the windowing,
 * pooling and state tests need. Its card copies the shipped speaker card's features object as it is, as the contract asks.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ONNX_FLOAT, encodeOnnxModel, intsAttribute } from '../../lambdas/onnx/index.js';
import { ProtoWriter } from '../../lambdas/onnx/protobuf.js';

const SPEAKER_CARD = resolve(import.meta.dirname, '../../models/timbre-default.json');

/** The ONNX bytes of the tiny countermeasure. */
export function tinyCmOnnx(bias: number): Uint8Array {
  const raw = new Uint8Array(4);
  new DataView(raw.buffer).setFloat32(0, bias, true);
  const biasTensor = new ProtoWriter().varint(2, ONNX_FLOAT).text(8, 'bias').bytes(9, raw).finish();
  const keepdims = new ProtoWriter().text(1, 'keepdims').varint(3, 0).varint(20, 2 /* INT */).finish();
  const opset = new ProtoWriter().text(1, '').varint(2, 13).finish();
  return encodeOnnxModel({
    irVersion: 7,
    opsetImports: [opset],
    graphName: 'tiny-cm',
    nodes: [
      { opType: 'ReduceMean', name: 'mean', domain: '', inputs: ['feats'], outputs: ['level'], attributes: [intsAttribute('axes', [1, 2]), { name: 'keepdims', encoded: keepdims, graphs: [] }] },
      { opType: 'Sub', name: 'centre', domain: '', inputs: ['level', 'bias'], outputs: ['logits'], attributes: [] },
    ],
    initializers: [{ name: 'bias', encoded: biasTensor }],
    inputs: [{ name: 'feats', elemType: ONNX_FLOAT, dims: ['batch', 'frames', 80] }],
    outputs: [{ name: 'logits', elemType: ONNX_FLOAT, dims: ['batch'] }],
  });
}

/** A countermeasure card (as JSON) for an ONNX file of `sha256`, with the contract's windowing. */
export function tinyCmCardJson(sha256: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const features = (JSON.parse(readFileSync(SPEAKER_CARD, 'utf8')) as { features: Record<string, unknown> }).features;
  return {
    format: 'timbre-cm-card/1',
    id: 'tiny-cm-test',
    onnx: 'tiny-cm.onnx',
    sha256,
    sampleRateHz: 16000,
    features,
    io: { input: 'feats', output: 'logits' },
    windowing: { windowSeconds: 4.0, hopSeconds: 2.0, minSeconds: 1.0, pooling: 'mean' },
    calibration: { kind: 'logistic', a: 0.5, b: 0, fittedOn: 'not fitted: test model' },
    params: 1,
    ...overrides,
  };
}

/** Writes the tiny countermeasure and its card into a fresh temporary folder. @returns the card's path */
export function writeTinyCm(bias = 0, overrides: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-cm-'));
  const onnx = tinyCmOnnx(bias);
  writeFileSync(join(dir, 'tiny-cm.onnx'), onnx);
  const cardPath = join(dir, 'tiny-cm.json');
  writeFileSync(cardPath, JSON.stringify(tinyCmCardJson(createHash('sha256').update(onnx).digest('hex'), overrides)));
  return cardPath;
}
