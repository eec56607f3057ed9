/**
 * The protobuf wire format, as much of it as reading and writing ONNX graphs needs: varints and
 * length-delimited fields (wire types 0 and 2), with fixed-width fields (1, 5) read and kept as bytes.
 * Groups (3, 4) do not occur in ONNX and are refused.
 */

/** One field of a message as it lies in the bytes. */
export interface ProtoField {
  readonly number: number;
  readonly wireType: 0 | 1 | 2 | 5;
  /** The value of a varint field (wire type 0). */
  readonly varint: bigint;
  /** The payload of a length-delimited (2) or fixed-width (1, 5) field; empty for a varint. */
  readonly bytes: Uint8Array;
}

/** A message that is not valid protobuf. */
export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** The fields of one message, in the order they are written. */
export function readFields(message: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let at = 0;
  const varint = (): bigint => {
    const { value, next } = readVarint(message, at);
    at = next;
    return value;
  };
  const take = (length: number): Uint8Array => {
    if (at + length > message.length) throw new ProtobufError(`field of ${length} bytes runs past the end of the message`);
    const bytes = message.subarray(at, at + length);
    at += length;
    return bytes;
  };
  while (at < message.length) {
    const tag = varint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (wireType === 0) fields.push({ number, wireType, varint: varint(), bytes: EMPTY });
    else if (wireType === 2) fields.push({ number, wireType, varint: 0n, bytes: take(Number(varint())) });
    else if (wireType === 1 || wireType === 5) fields.push({ number, wireType, varint: 0n, bytes: take(wireType === 1 ? 8 : 4) });
    else throw new ProtobufError(`unsupported wire type ${wireType} (field ${number})`);
  }
  return fields;
}

function readVarint(bytes: Uint8Array, from: number): { value: bigint; next: number } {
  let value = 0n;
  let at = from;
  for (let shift = 0n; ; shift += 7n) {
    if (at >= bytes.length) throw new ProtobufError('truncated varint');
    if (shift > 63n) throw new ProtobufError('varint longer than 10 bytes');
    const byte = bytes[at++]!;
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return { value, next: at };
  }
}

/** The UTF-8 text of a length-delimited field. */
export function fieldText(field: ProtoField): string {
  return utf8.decode(field.bytes);
}

/** The values of a repeated varint field, whether written packed (one length-delimited field) or one by one. */
export function repeatedVarints(fields: readonly ProtoField[], number: number): bigint[] {
  const values: bigint[] = [];
  for (const field of fields) {
    if (field.number !== number) continue;
    if (field.wireType === 0) values.push(field.varint);
    else if (field.wireType === 2) {
      // A packed run: bare varints back to back.
      for (let at = 0; at < field.bytes.length; ) {
        const { value, next } = readVarint(field.bytes, at);
        values.push(value);
        at = next;
      }
    }
  }
  return values;
}

/** Builds one message field by field. */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  /** A varint field; negative numbers are written as 64-bit two's complement, as int64 requires. */
  varint(number: number, value: number | bigint): this {
    this.tag(number, 0);
    this.push(encodeVarint(BigInt.asUintN(64, BigInt(value))));
    return this;
  }

  /** A length-delimited field: a nested message, bytes or packed values. */
  bytes(number: number, value: Uint8Array): this {
    this.tag(number, 2);
    this.push(encodeVarint(BigInt(value.length)));
    this.push(value);
    return this;
  }

  /** A string field, UTF-8. */
  text(number: number, value: string): this {
    return this.bytes(number, utf8Encoder.encode(value));
  }

  /** The message written so far. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  private tag(number: number, wireType: 0 | 2): void {
    this.push(encodeVarint((BigInt(number) << 3n) | BigInt(wireType)));
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
}

function encodeVarint(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Uint8Array.from(bytes);
}
