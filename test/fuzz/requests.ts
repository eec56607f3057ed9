/**
 * Builds fuzz requests from an operation's request shape: a valid body, then one mutation of a member (boundary
 * values, wrong types, over-long or malformed strings, huge lists, missing required or unknown members, deep
 * nesting) or of the whole request (invalid JSON, duplicate keys, non-UTF-8, wrong content type, wrong target,
 * no or a bad signature). Audio members get base64 of mutated audio, manifest URIs point at mutated manifests.
 */
import type { ListShape, Shape, StringShape, StructureShape } from '../../lambdas/api/index.js';
import { mutatedAudio } from './audio.js';
import type { FuzzOperation } from './operations.js';
import type { Rng } from './prng.js';

/** Real resources the fuzzer can name, so some requests get past "not found" into the operations. */
export interface FuzzContext {
  readonly domainIds: readonly string[];
  readonly watchlistIds: readonly string[];
  readonly resourceArns: readonly string[];
  readonly kmsKeyIds: readonly string[];
  /** `s3://` URIs of uploaded (mutated) job manifests. */
  readonly manifestUris: readonly string[];
  /** An `s3://` folder jobs may write their output to. */
  readonly outputUri: string;
}

/** How a request is signed. */
export type Signing = 'valid' | 'unsigned' | 'wrongSecret' | 'tamperedBody' | 'staleDate';

/** One request to send. */
export interface FuzzRequest {
  /** The operation it was built for. */
  readonly operation: string;
  /** What was done to it, e.g. `member:overLong` or `raw:duplicateKeys`. */
  readonly mutation: string;
  /** The X-Amz-Target header; undefined sends none. */
  readonly target: string | undefined;
  /** The Content-Type header; undefined sends none. */
  readonly contentType: string | undefined;
  readonly body: Buffer;
  readonly signing: Signing;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

const MEMBER_MUTATIONS = {
  boundary: 3,
  wrongType: 3,
  overLong: 2,
  badPattern: 3,
  hugeList: 1,
  missingRequired: 3,
  unknownMembers: 2,
  deepNesting: 1,
  nullValue: 1,
} as const;

const RAW_MUTATIONS = {
  invalidJson: 3,
  notAnObject: 2,
  duplicateKeys: 2,
  nonUtf8: 2,
  emptyBody: 1,
  wrongContentType: 2,
  wrongTarget: 2,
  hugeBody: 0.2,
  deepBody: 1,
} as const;

const REQUEST_KINDS = { valid: 3, member: 5, raw: 2 } as const;
const SIGNINGS = { valid: 90, unsigned: 3, wrongSecret: 3, tamperedBody: 2, staleDate: 2 } as const;

const BAD_STRINGS = [
  '', ' ', ';', "' OR '1'='1", '../../etc/passwd', '\u0000', '\u202e', '\ud83d\ude00', '\ud800', '%00', '${jndi:ldap://x}',
  '<script>', '#', 'id#', 'DOMAIN#x', '\n', 'a'.repeat(23), 'arn:aws:voiceid:us-east-1:000000000000:domain/', '\\', '"',
];

/** Builds requests for `operations` from `rng`, naming the resources in `context`. */
export class RequestFactory {
  constructor(
    private readonly rng: Rng,
    private readonly operations: readonly FuzzOperation[],
    private readonly context: FuzzContext,
  ) {}

  /** The next request. */
  next(): FuzzRequest {
    const op = this.rng.pick(this.operations);
    const kind = this.rng.weighted(REQUEST_KINDS);
    const signing = this.rng.weighted(SIGNINGS);
    const body = this.validStructure(op.shape, '');
    const base = { operation: op.name, target: `VoiceID.${op.name}`, contentType: CONTENT_TYPE, signing };
    if (kind === 'valid') return { ...base, mutation: 'valid', body: Buffer.from(JSON.stringify(body)) };
    if (kind === 'member') return this.memberMutation(base, op.shape, body);
    return this.rawMutation(base, body);
  }

  private memberMutation(base: Omit<FuzzRequest, 'mutation' | 'body'>, shape: StructureShape, body: Record<string, unknown>): FuzzRequest {
    const mutation = this.rng.weighted(MEMBER_MUTATIONS);
    const members = Object.keys(shape.members);
    const name = members.length === 0 ? 'Anything' : this.rng.pick(members);
    const member: Shape | undefined = shape.members[name];
    let raw: string | undefined;
    switch (mutation) {
      case 'boundary':
        body[name] = member === undefined ? 0 : this.boundary(member);
        break;
      case 'wrongType':
        body[name] = this.rng.pick<unknown>([123, -1, 1.5, true, false, [], {}, 'x', [1, 'a'], { a: { b: 1 } }, 1e308]);
        break;
      case 'overLong':
        body[name] = this.rng.string(this.rng.pick([(member?.kind === 'string' ? (member.max ?? 256) : 256) + 1, 100_000]), ALNUM);
        break;
      case 'badPattern':
        body[name] = this.rng.pick(BAD_STRINGS) + (member?.kind === 'string' && this.rng.chance(0.5) ? String(this.validString(member, name, '')) : '');
        break;
      case 'hugeList':
        body[name] = Array.from({ length: this.rng.pick([201, 10_000]) }, () => (member?.kind === 'list' ? this.validValue(member.member, name, '') : 'x'));
        break;
      case 'missingRequired':
        for (const required of shape.required) if (this.rng.chance(0.6)) delete body[required];
        break;
      case 'unknownMembers':
        for (let i = 0; i < this.rng.int(1, 50); i++) body[this.rng.pick(['__proto__', 'constructor', 'prototype', 'toString', this.rng.string(8, ALNUM)])] = this.rng.string(4, ALNUM);
        break;
      case 'deepNesting':
        body[name] = '\u0000DEEP\u0000';
        raw = JSON.stringify(body).replace('"\\u0000DEEP\\u0000"', this.nested(this.rng.pick([100, 10_000, 200_000])));
        break;
      case 'nullValue':
        body[name] = null;
        break;
    }
    return { ...base, mutation: `member:${mutation}`, body: Buffer.from(raw ?? JSON.stringify(body)) };
  }

  private rawMutation(base: Omit<FuzzRequest, 'mutation' | 'body'>, body: Record<string, unknown>): FuzzRequest {
    const mutation = this.rng.weighted(RAW_MUTATIONS);
    const text = JSON.stringify(body);
    const out = { ...base, mutation: `raw:${mutation}` };
    switch (mutation) {
      case 'invalidJson':
        return {
          ...out,
          body: this.rng.pick([
            () => Buffer.from(text.slice(0, this.rng.int(0, Math.max(0, text.length - 1)))),
            () => Buffer.from(text.replace(/"/, "'")),
            () => Buffer.from(`${text}}`),
            () => this.rng.bytes(this.rng.int(1, 256)),
            () => Buffer.from('{"a":NaN, "b": undefined}'),
            () => Buffer.from('{"DomainId": 1e999999}'),
          ])(),
        };
      case 'notAnObject':
        return { ...out, body: Buffer.from(this.rng.pick(['[]', '[{}]', '1', 'null', '"x"', 'true', ` ${text} ${text}`])) };
      case 'duplicateKeys': {
        const key = Object.keys(body)[0] ?? 'DomainId';
        return { ...out, body: Buffer.from(text.replace('{', `{${JSON.stringify(key)}:${this.rng.pick(['1', '"x"', '[]', '{}', 'null'])},`)) };
      }
      case 'nonUtf8': {
        const bytes = Buffer.from(text);
        const at = bytes.indexOf('"', 1) + 1;
        const bad = Buffer.from(this.rng.pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]));
        return { ...out, body: Buffer.concat([bytes.subarray(0, at), bad, bytes.subarray(at)]) };
      }
      case 'emptyBody':
        return { ...out, body: Buffer.alloc(0) };
      case 'wrongContentType':
        return {
          ...out,
          contentType: this.rng.pick([undefined, 'text/plain', 'application/json', 'application/x-amz-json-1.1', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']),
          body: Buffer.from(text),
        };
      case 'wrongTarget':
        return {
          ...out,
          target: this.rng.pick([undefined, '', 'VoiceID.', `voiceid.${base.operation}`, `VoiceId.${base.operation}`, `Kinesis.${base.operation}`, 'VoiceID.NoSuchOperation', `VoiceID.${base.operation} `, `VoiceID.${'A'.repeat(5000)}`]),
          body: Buffer.from(text),
        };
      case 'hugeBody':
        // Either side of the 10 MB payload limit.
        return { ...out, body: Buffer.from(JSON.stringify({ ...body, Padding: 'x'.repeat(this.rng.pick([2_000_000, 11_000_000])) })) };
      case 'deepBody':
        return { ...out, body: Buffer.from(this.nested(this.rng.pick([1000, 100_000]), true)) };
    }
  }

  /** `depth` levels of nested arrays or objects as JSON text. */
  private nested(depth: number, objectsOnly = false): string {
    return objectsOnly || this.rng.chance(0.5) ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
  }

  private boundary(shape: Shape): unknown {
    if (shape.kind === 'integer') {
      const { min = 0, max = 100 } = shape;
      return this.rng.pick([min, max, min - 1, max + 1, 0, -1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63)]);
    }
    if (shape.kind === 'string') {
      const { min = 0, max = 256 } = shape;
      return this.rng.string(this.rng.pick([min, max, Math.max(0, min - 1), max + 1]), ALNUM);
    }
    if (shape.kind === 'list') {
      const { min = 0, max = 10 } = shape;
      return Array.from({ length: this.rng.pick([min, max, Math.max(0, min - 1), max + 1]) }, () => this.validValue(shape.member, '', ''));
    }
    return {};
  }

  private validValue(shape: Shape, name: string, parent: string): unknown {
    switch (shape.kind) {
      case 'string':
        return this.validString(shape, name, parent);
      case 'integer':
        return this.rng.int(shape.min ?? 0, Math.min(shape.max ?? 100, (shape.min ?? 0) + 1000));
      case 'list':
        return this.validList(shape, name);
      case 'structure':
        return this.validStructure(shape, name);
    }
  }

  private validList(shape: ListShape, name: string): unknown[] {
    const length = this.rng.int(shape.min ?? 0, Math.min(shape.max ?? 3, 3));
    return Array.from({ length }, () => this.validValue(shape.member, name.replace(/s$/, ''), name));
  }

  private validStructure(shape: StructureShape, name: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [member, memberShape] of Object.entries(shape.members)) {
      if (shape.required.includes(member) || this.rng.chance(0.5)) out[member] = this.validValue(memberShape as Shape, member, name);
    }
    return out;
  }

  /** A value that satisfies the member's constraints, taken from real resources where the member names one. */
  private validString(shape: StringShape, name: string, parent: string): string {
    const { rng, context } = this;
    if (shape.enumValues !== undefined) return rng.pick(shape.enumValues);
    if (/audio/i.test(name)) return mutatedAudio(rng).bytes.toString('base64');
    if (name === 'DomainId' && rng.chance(0.8)) return rng.pick(context.domainIds);
    if (name === 'WatchlistId' && rng.chance(0.8)) return rng.pick(context.watchlistIds);
    if (name === 'ResourceArn' && rng.chance(0.8)) return rng.pick(context.resourceArns);
    if (name === 'KmsKeyId') return rng.pick(context.kmsKeyIds);
    if (name === 'S3Uri') return parent === 'InputDataConfig' && context.manifestUris.length > 0 ? rng.pick(context.manifestUris) : context.outputUri;
    if (name === 'DataAccessRoleArn') return 'arn:aws:iam::000000000000:role/timbre-fuzz';
    if (name === 'FraudsterId') return `id#${rng.string(22, ALNUM)}`;
    if (name === 'SpeakerId') return rng.chance(0.5) ? `id#${rng.string(22, ALNUM)}` : `cust-${rng.string(8, ALNUM)}`;
    if (name === 'ResourceArn') return `arn:aws:voiceid:us-east-1:000000000000:domain/${rng.string(22, ALNUM)}`;
    const min = Math.max(shape.min ?? 1, 1);
    const max = Math.max(min, Math.min(shape.max ?? 32, 32));
    return rng.string(1, 'abcdefghijklmnopqrstuvwxyz') + rng.string(rng.int(min, max) - 1, ALNUM);
  }
}
