import { OnnxGraphError } from './errors.js';
import { attributeInts, int64ConstantNode, intsAttribute, type OnnxNode } from './onnx-model.js';

/*
 * A batch of N short windows [N, C, T] held as one image [1, C, N, T], one window per row. onnxruntime
 * runs a 1-D Conv on [N, C, T] as N small matrix products, one per window; the same Conv as a 2-D Conv
 * whose kernel is one row high runs on the image as one large product (windows never mix: the kernel
 * does not span rows), which for windows of a few frames is several times cheaper.
 */

/** `from` reshaped to `shape` (0 keeps that dimension, -1 infers it) as `to`. */
export function reshapeNodes(from: string, to: string, shape: readonly number[]): OnnxNode[] {
  return [int64ConstantNode(`${to}_shape`, shape), plainNode('Reshape', [from, `${to}_shape`], to)];
}

/** A one-channel batch `[N, T]` as the image `[1, 1, N, T]`. */
export function batchAsRows(input: string, output: string): OnnxNode[] {
  return [int64ConstantNode(`${output}_axes`, [0, 1]), plainNode('Unsqueeze', [input, `${output}_axes`], output)];
}

/** The image `[1, C, N, T]` as the batch `[N, C, T]`. */
export function rowsAsBatch(input: string, output: string): OnnxNode[] {
  return [
    int64ConstantNode(`${output}_axes`, [0]),
    plainNode('Squeeze', [input, `${output}_axes`], `${output}_channels_first`),
    { ...plainNode('Transpose', [`${output}_channels_first`], output), attributes: [intsAttribute('perm', [1, 0, 2])] },
  ];
}

/**
 * The 1-D `conv` as a 2-D Conv on rows: the same weights (given a row axis), bias, stride, padding,
 * dilation and groups along each row, a kernel one row high. Input and output keep their names.
 * @throws {OnnxGraphError} for a Conv that is not 1-D
 */
export function convOnRows(conv: OnnxNode): OnnxNode[] {
  const kernel = attributeInts(conv, 'kernel_shape');
  if (kernel?.length !== 1) throw new OnnxGraphError(`${conv.name}: only 1-D convolutions run on rows`);
  const [stride = 1] = attributeInts(conv, 'strides') ?? [];
  const [dilation = 1] = attributeInts(conv, 'dilations') ?? [];
  const [padStart = 0, padEnd = 0] = attributeInts(conv, 'pads') ?? [];
  const [input, weights, ...bias] = conv.inputs;
  const rowWeights = `${weights}_rows`;
  const onRows = new Map([
    ['kernel_shape', intsAttribute('kernel_shape', [1, kernel[0]!])],
    ['strides', intsAttribute('strides', [1, stride])],
    ['dilations', intsAttribute('dilations', [1, dilation])],
    ['pads', intsAttribute('pads', [0, padStart, 0, padEnd])],
  ]);
  return [
    int64ConstantNode(`${rowWeights}_axes`, [2]),
    plainNode('Unsqueeze', [weights!, `${rowWeights}_axes`], rowWeights),
    {
      ...conv,
      inputs: [input!, rowWeights, ...bias],
      attributes: [...conv.attributes.filter((a) => !onRows.has(a.name)), ...onRows.values()],
    },
  ];
}

function plainNode(opType: string, inputs: string[], output: string): OnnxNode {
  return { opType, name: output, domain: '', inputs, outputs: [output], attributes: [] };
}
