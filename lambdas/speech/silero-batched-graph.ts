import {
  ONNX_FLOAT,
  OnnxGraphError,
  constantTensor,
  cutGraph,
  decodeOnnxModel,
  encodeOnnxModel,
  batchAsRows,
  convOnRows,
  int64TensorValues,
  producersIn,
  reshapeNodes,
  rowsAsBatch,
  type OnnxGraph,
  type OnnxNode,
  type OnnxProducer,
} from '../onnx/index.js';

/** Samples per window and context samples carried over from the previous window, by rate. */
export const SILERO_FRAMING: Readonly<Record<8000 | 16000, { readonly windowSamples: number; readonly contextSamples: number }>> = {
  8000: { windowSamples: 256, contextSamples: 32 },
  16000: { windowSamples: 512, contextSamples: 64 },
};

/** Width of Silero's LSTM state (h and c each). */
export const SILERO_HIDDEN_SIZE = 128;

/** Names of the batched graph's inputs and outputs. */
export const BATCHED_SILERO_IO = {
  /** [windows, context + window samples]: each window with the samples before it prepended. */
  frames: 'frames',
  /** [1, 1, 128] LSTM state before the first window (zeros at the start of a stream). */
  h: 'h0',
  c: 'c0',
  /** [windows] speech probability of each window. */
  probabilities: 'probabilities',
  /** [1, 1, 128] LSTM state after the last window, to carry into the next run. */
  hOut: 'hN',
  cOut: 'cN',
} as const;

/**
 * Re-cuts Silero VAD v6.2 (`silero_vad.onnx`) into a graph that runs many consecutive windows of one
 * stream in one call, at one rate.
 *
 * The model runs one window per call: an If on `sr` picks the 8 or 16 kHz branch, which does a
 * reflect-padded STFT (a Conv), four Conv+ReLU encoder layers, one LSTM step from `state`, and a
 * 1×1 Conv + sigmoid decoder. Everything but the LSTM step works on each window alone, so the new
 * graph takes that branch's nodes and feeds them all windows at once `[N, L]`, its Convs run on the
 * windows as the rows of one image (one large product instead of N small ones); the encoder's
 * `[N, 128, 1]` output becomes one LSTM sequence of N steps (batch 1) from (`h0`, `c0`), and its N
 * hidden states go through the decoder as a batch. The result is the recurrence the per-window
 * calls compute, with the same weights, in one onnxruntime call.
 *
 * @param modelBytes the v6.2 file (the caller has checked its sha256).
 * @returns a serialised ModelProto with the inputs and outputs of {@link BATCHED_SILERO_IO}.
 * @throws {OnnxGraphError} when the graph is not shaped like Silero v6.2's.
 */
export function batchedSileroGraph(modelBytes: Uint8Array, sampleRateHz: 8000 | 16000): Uint8Array {
  const model = decodeOnnxModel(modelBytes);
  const branch = rateBranch(model.graph, sampleRateHz);
  const producers = producersIn(branch);
  const io = BATCHED_SILERO_IO;

  const encoderOut = valueEndingWith(producers, '/encoder/3/activation/Relu_output_0');
  const decoderIn = nodeWithOutputEndingWith(producers, '/decoder/decoder/1/Relu_output_0').inputs[0]!;
  const decoderOut = valueEndingWith(producers, '/decoder/decoder/3/Sigmoid_output_0');
  // The branch holds two LSTM nodes on the same weights (given state, zero state): either serves.
  const lstm = branch.nodes.flatMap(function lstmsIn(node): OnnxNode[] {
    return node.opType === 'LSTM' ? [node] : node.attributes.flatMap((a) => a.graphs.flatMap((g) => g.nodes.flatMap(lstmsIn)));
  })[0];
  if (lstm === undefined) throw new OnnxGraphError('the branch has no LSTM');
  const [, weights, recurrence, bias] = lstm.inputs;

  const { windowSamples, contextSamples } = SILERO_FRAMING[sampleRateHz];
  const perWindow = cutGraph(producers, [encoderOut], new Map([['input', io.frames]]));
  const encoder = asRows(perWindow.nodes, encoderOut);
  const lstmWeights = cutGraph(producers, [weights!, recurrence!, bias!], new Map());
  const decoder = cutGraph(producers, [decoderOut], new Map([[decoderIn, 'lstm_hidden']]));
  // The encoder's [N, 128, 1] is one LSTM sequence [N steps, batch 1, 128]; its hidden states
  // [N, 1, 1, 128] are the decoder's batch [N, 128, 1]; the decoder's [N, 1, 1] is [N].
  const nodes: OnnxNode[] = [
    ...encoder,
    ...reshapeNodes('encoder_windows', 'lstm_sequence', [-1, 1, SILERO_HIDDEN_SIZE]),
    ...lstmWeights.nodes,
    { ...lstm, name: 'lstm', inputs: ['lstm_sequence', weights!, recurrence!, bias!, '', io.h, io.c], outputs: ['lstm_states', io.hOut, io.cOut] },
    ...reshapeNodes('lstm_states', 'lstm_hidden', [-1, SILERO_HIDDEN_SIZE, 1]),
    ...decoder.nodes,
    ...reshapeNodes(decoderOut, io.probabilities, [-1]),
  ];
  const state = [1, 1, SILERO_HIDDEN_SIZE];
  return encodeOnnxModel({
    irVersion: model.irVersion,
    opsetImports: model.opsetImports,
    graphName: `silero_vad_v6_2_batched_${sampleRateHz}`,
    nodes,
    initializers: [...perWindow.initializers, ...lstmWeights.initializers, ...decoder.initializers],
    inputs: [
      { name: io.frames, elemType: ONNX_FLOAT, dims: ['windows', contextSamples + windowSamples] },
      { name: io.h, elemType: ONNX_FLOAT, dims: state },
      { name: io.c, elemType: ONNX_FLOAT, dims: state },
    ],
    outputs: [
      { name: io.probabilities, elemType: ONNX_FLOAT, dims: ['windows'] },
      { name: io.hOut, elemType: ONNX_FLOAT, dims: state },
      { name: io.cOut, elemType: ONNX_FLOAT, dims: state },
    ],
  });
}

/**
 * The per-window nodes (reflect pad, STFT Conv, magnitude, four encoder Convs) rewritten to hold the
 * windows as the rows of one image ({@link convOnRows}): the padded frames become rows, every Conv runs
 * once over all of them, and the encoder's output is gathered back as `encoder_windows` [N, 128, 1]. The
 * nodes between the Convs work per value or per channel (their slices along other axes take the whole
 * range), so they run on the image unchanged.
 */
function asRows(nodes: readonly OnnxNode[], encoderOut: string): OnnxNode[] {
  const stftInput = nodes.find((n) => n.opType === 'Conv')?.inputs[0];
  const unsqueeze = nodes.find((n) => n.outputs[0] === stftInput && n.opType === 'Unsqueeze');
  if (unsqueeze === undefined) throw new OnnxGraphError('the STFT Conv does not read the unsqueezed frames');
  const axes = unsqueeze.inputs[1];
  const rows = nodes.flatMap((node) => {
    if (node === unsqueeze) return batchAsRows(node.inputs[0]!, stftInput!);
    if (node.outputs[0] === axes) return []; // read by the Unsqueeze replaced above only
    return node.opType === 'Conv' ? convOnRows(node) : [node];
  });
  return [...rows, ...rowsAsBatch(encoderOut, 'encoder_windows')];
}

/** The branch of the model's `If (sr == K)` that runs at `sampleRateHz`: then_branch when it equals K. */
function rateBranch(graph: OnnxGraph, sampleRateHz: number): OnnxGraph {
  const ifNode = graph.nodes.find((n) => n.opType === 'If');
  const condition = graph.nodes.find((n) => n.opType === 'Equal' && n.outputs[0] === ifNode?.inputs[0]);
  const rateConstant = graph.nodes.find((n) => condition?.inputs.includes(n.outputs[0]!) && n.opType === 'Constant');
  const tensor = rateConstant && constantTensor(rateConstant);
  const rate = tensor && int64TensorValues(tensor)?.[0];
  if (ifNode === undefined || !condition?.inputs.includes('sr') || rate === undefined) throw new OnnxGraphError('no If (sr == rate) at the top of the graph');
  const branchName = Number(rate) === sampleRateHz ? 'then_branch' : 'else_branch';
  const branch = ifNode.attributes.find((a) => a.name === branchName)?.graphs[0];
  if (branch === undefined) throw new OnnxGraphError(`the If has no ${branchName}`);
  return branch;
}

function valueEndingWith(producers: ReadonlyMap<string, OnnxProducer>, suffix: string): string {
  const names = [...producers.keys()].filter((name) => name.endsWith(suffix));
  if (names.length !== 1) throw new OnnxGraphError(`expected one value named …${suffix}, found ${names.length}`);
  return names[0]!;
}

function nodeWithOutputEndingWith(producers: ReadonlyMap<string, OnnxProducer>, suffix: string): OnnxNode {
  const producer = producers.get(valueEndingWith(producers, suffix))!;
  if (!('node' in producer)) throw new OnnxGraphError(`…${suffix} is an initializer, not a node's output`);
  return producer.node;
}
