import { ProtoWriter, fieldText, readFields, repeatedVarints, type ProtoField } from './protobuf.js';

/**
 * The part of ONNX's ModelProto that re-cutting a graph needs (field numbers from onnx/onnx.proto3).
 * Nodes keep their attributes as the bytes they were read from, so whatever they hold (tensors,
 * nested graphs, types) is written back unchanged; only the nested graphs are decoded, to reach
 * the nodes inside If branches.
 */

/** ONNX TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

export interface OnnxAttribute {
  readonly name: string;
  /** The AttributeProto as read, written back as is. */
  readonly encoded: Uint8Array;
  /** The graphs it holds (an If's then_branch / else_branch, a Loop's body). */
  readonly graphs: readonly OnnxGraph[];
}

export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly OnnxAttribute[];
}

/** A named constant of a graph (a TensorProto, kept as read). */
export interface OnnxInitializer {
  readonly name: string;
  readonly encoded: Uint8Array;
}

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

export interface OnnxModel {
  readonly irVersion: number;
  /** OperatorSetIdProto messages, as read. */
  readonly opsetImports: readonly Uint8Array[];
  readonly graph: OnnxGraph;
}

/** A graph input or output: a tensor of `elemType` whose dimensions are sizes or symbolic names. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: number;
  readonly dims: readonly (number | string)[];
}

/** What encodeOnnxModel writes: one graph and the opsets it uses. */
export interface OnnxModelSpec {
  readonly irVersion: number;
  readonly opsetImports: readonly Uint8Array[];
  readonly graphName: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

/** Reads a serialised ModelProto. @throws ProtobufError for bytes that are not protobuf */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  const fields = readFields(bytes);
  const graph = fields.find((f) => f.number === 7);
  return {
    irVersion: Number(fields.find((f) => f.number === 1)?.varint ?? 0n),
    opsetImports: fields.filter((f) => f.number === 8).map((f) => f.bytes),
    graph: decodeGraph(graph?.bytes ?? new Uint8Array(0)),
  };
}

function decodeGraph(bytes: Uint8Array): OnnxGraph {
  const fields = readFields(bytes);
  const names = (number: number): string[] => fields.filter((f) => f.number === number).map((f) => firstText(readFields(f.bytes), 1));
  return {
    nodes: fields.filter((f) => f.number === 1).map((f) => decodeNode(f.bytes)),
    initializers: fields.filter((f) => f.number === 5).map((f) => ({ name: firstText(readFields(f.bytes), 8), encoded: f.bytes })),
    inputNames: names(11),
    outputNames: names(12),
  };
}

function decodeNode(bytes: Uint8Array): OnnxNode {
  const fields = readFields(bytes);
  return {
    inputs: texts(fields, 1),
    outputs: texts(fields, 2),
    name: firstText(fields, 3),
    opType: firstText(fields, 4),
    domain: firstText(fields, 7),
    attributes: fields.filter((f) => f.number === 5).map((f) => {
      const attribute = readFields(f.bytes);
      const graphs = attribute.filter((a) => a.number === 6 || a.number === 11).map((a) => decodeGraph(a.bytes));
      return { name: firstText(attribute, 1), encoded: f.bytes, graphs };
    }),
  };
}

/** The int64 values of a TensorProto (raw_data or int64_data). @returns undefined for another element type */
export function int64TensorValues(tensor: Uint8Array): bigint[] | undefined {
  const fields = readFields(tensor);
  if (Number(fields.find((f) => f.number === 2)?.varint ?? 0n) !== ONNX_INT64) return undefined;
  const raw = fields.find((f) => f.number === 9);
  if (raw === undefined) return repeatedVarints(fields, 7).map((v) => BigInt.asIntN(64, v));
  const view = new DataView(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength);
  return Array.from({ length: raw.bytes.byteLength / 8 }, (_, i) => view.getBigInt64(i * 8, true));
}

/** The tensor a Constant node holds in its `value` attribute, as a TensorProto. */
export function constantTensor(node: OnnxNode): Uint8Array | undefined {
  if (node.opType !== 'Constant') return undefined;
  const value = node.attributes.find((a) => a.name === 'value');
  return value && readFields(value.encoded).find((f) => f.number === 5)?.bytes;
}

/** The values of a node's `ints` attribute (kernel_shape, pads, strides …). @returns undefined when the node has none of that name */
export function attributeInts(node: OnnxNode, name: string): number[] | undefined {
  const attribute = node.attributes.find((a) => a.name === name);
  return attribute && repeatedVarints(readFields(attribute.encoded), 8).map((v) => Number(BigInt.asIntN(64, v)));
}

/** An `ints` attribute (AttributeProto type INTS). */
export function intsAttribute(name: string, values: readonly number[]): OnnxAttribute {
  const out = new ProtoWriter().text(1, name);
  for (const value of values) out.varint(8, value);
  return { name, encoded: out.varint(20, 7 /* INTS */).finish(), graphs: [] };
}

/** A Constant node giving the int64 tensor `values` (of shape [values.length]) as `output`. */
export function int64ConstantNode(output: string, values: readonly number[]): OnnxNode {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  const tensor = new ProtoWriter().varint(1, values.length).varint(2, ONNX_INT64).bytes(9, raw).finish();
  const attribute = new ProtoWriter().text(1, 'value').bytes(5, tensor).varint(20, 4 /* TENSOR */).finish();
  return { opType: 'Constant', name: output, domain: '', inputs: [], outputs: [output], attributes: [{ name: 'value', encoded: attribute, graphs: [] }] };
}

/** Serialises a model of one graph. */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const graph = new ProtoWriter();
  for (const node of spec.nodes) graph.bytes(1, encodeNode(node));
  graph.text(2, spec.graphName);
  for (const initializer of spec.initializers) graph.bytes(5, initializer.encoded);
  for (const input of spec.inputs) graph.bytes(11, encodeValueInfo(input));
  for (const output of spec.outputs) graph.bytes(12, encodeValueInfo(output));
  const model = new ProtoWriter().varint(1, spec.irVersion);
  for (const opset of spec.opsetImports) model.bytes(8, opset);
  return model.bytes(7, graph.finish()).finish();
}

function encodeNode(node: OnnxNode): Uint8Array {
  const out = new ProtoWriter();
  for (const input of node.inputs) out.text(1, input);
  for (const output of node.outputs) out.text(2, output);
  out.text(3, node.name).text(4, node.opType);
  for (const attribute of node.attributes) out.bytes(5, attribute.encoded);
  if (node.domain !== '') out.text(7, node.domain);
  return out.finish();
}

function encodeValueInfo(info: OnnxValueInfo): Uint8Array {
  const shape = new ProtoWriter();
  for (const dim of info.dims) {
    shape.bytes(1, typeof dim === 'number' ? new ProtoWriter().varint(1, dim).finish() : new ProtoWriter().text(2, dim).finish());
  }
  const tensorType = new ProtoWriter().varint(1, info.elemType).bytes(2, shape.finish()).finish();
  const type = new ProtoWriter().bytes(1, tensorType).finish();
  return new ProtoWriter().text(1, info.name).bytes(2, type).finish();
}

function texts(fields: readonly ProtoField[], number: number): string[] {
  return fields.filter((f) => f.number === number).map(fieldText);
}

function firstText(fields: readonly ProtoField[], number: number): string {
  const field = fields.find((f) => f.number === number);
  return field === undefined ? '' : fieldText(field);
}
