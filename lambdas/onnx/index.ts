export { createOnnxSession, openOnnxSession } from './session.js';
export type { OnnxRunOptions, OnnxSource } from './session.js';
export { processCache } from './process-cache.js';
export { OnnxGraphError, OnnxModelError } from './errors.js';
export type { OnnxModelFailure } from './errors.js';
export {
  ONNX_FLOAT,
  ONNX_INT64,
  attributeInts,
  constantTensor,
  decodeOnnxModel,
  encodeOnnxModel,
  int64ConstantNode,
  int64TensorValues,
  intsAttribute,
} from './onnx-model.js';
export type { OnnxAttribute, OnnxGraph, OnnxInitializer, OnnxModel, OnnxModelSpec, OnnxNode, OnnxValueInfo } from './onnx-model.js';
export { cutGraph, producersIn } from './graph-cut.js';
export type { GraphCut, OnnxProducer } from './graph-cut.js';
export { ProtobufError } from './protobuf.js';
export { batchAsRows, convOnRows, reshapeNodes, rowsAsBatch } from './conv-rows.js';
