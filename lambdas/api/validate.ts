import { SerializationException, ValidationException } from './errors.js';
import type { Infer, IntegerShape, ListShape, Shape, StringShape, StructureShape } from './shapes.js';

/** One broken constraint, in the words Voice ID's validation messages use. */
interface Violation {
  readonly path: string;
  readonly value: string | undefined;
  readonly constraint: string;
}

/** How many violations a message spells out; the rest are counted, so the answer stays small whatever the body. */
const REPORTED_VIOLATIONS = 10;
/** Echoed values longer than this are cut, so a huge value is not repeated once per broken constraint. */
const SHOWN_VALUE_LENGTH = 64;

/** Keeps the first violations and counts all of them. */
class Violations {
  readonly kept: Violation[] = [];
  count = 0;

  push(violation: Violation): void {
    this.count += 1;
    if (this.kept.length < REPORTED_VIOLATIONS) this.kept.push(violation);
  }
}

/**
 * Checks a parsed JSON body against an operation's request shape and returns it typed.
 * Wrong JSON types (a number where a string belongs) → `SerializationException`; broken constraints
 * (length, pattern, range, enum, missing required member) → one `ValidationException` that counts them all
 * and spells out the first ten. A list over its maximum is one violation; its members are not checked.
 * Unknown members are ignored, as AWS JSON services do.
 * @example const input = validateRequest(body, DESCRIBE_DOMAIN); input.DomainId // string
 */
export function validateRequest<S extends StructureShape<any, any>>(body: unknown, shape: S): Infer<S> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const violations = new Violations();
  check(body, shape, '', violations);
  if (violations.count > 0) {
    const count = violations.count === 1 ? '1 validation error detected' : `${violations.count} validation errors detected`;
    const unreported = violations.count - violations.kept.length;
    const more = unreported > 0 ? `; and ${unreported} more` : '';
    throw new ValidationException(`${count}: ${violations.kept.map(describe).join('; ')}${more}`);
  }
  return body as Infer<S>;
}

function describe(v: Violation): string {
  const value = v.value === undefined ? 'Value' : `Value ${v.value}`;
  return `${value} at '${v.path}' failed to satisfy constraint: ${v.constraint}`;
}

function shorten(value: string): string {
  return value.length > SHOWN_VALUE_LENGTH ? `${value.slice(0, SHOWN_VALUE_LENGTH)}...` : value;
}

/** Voice ID's messages name members in lower camel case: `ServerSideEncryptionConfiguration.KmsKeyId` → `serverSideEncryptionConfiguration.kmsKeyId`. */
function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent === '' ? name : `${parent}.${name}`;
}

function check(value: unknown, shape: Shape, path: string, out: Violations): void {
  switch (shape.kind) {
    case 'string':
      return checkString(value, shape, path, out);
    case 'integer':
      return checkInteger(value, shape, path, out);
    case 'boolean':
      if (typeof value !== 'boolean') throw wrongType(path, 'a boolean');
      return;
    case 'list':
      return checkList(value, shape, path, out);
    case 'structure':
      return checkStructure(value, shape, path, out);
    default: {
      const never: never = shape;
      throw new Error(`Unknown shape ${JSON.stringify(never)}`);
    }
  }
}

function wrongType(path: string, expected: string): SerializationException {
  return new SerializationException(`Expected ${expected} at '${path || 'body'}'`);
}

function checkString(value: unknown, shape: StringShape, path: string, out: Violations): void {
  if (typeof value !== 'string') throw wrongType(path, 'a string');
  const shown = shape.sensitive ? undefined : `'${shorten(value)}'`;
  if (shape.min !== undefined && value.length < shape.min) {
    out.push({ path, value: shown, constraint: `Member must have length greater than or equal to ${shape.min}` });
  }
  if (shape.max !== undefined && value.length > shape.max) {
    out.push({ path, value: shown, constraint: `Member must have length less than or equal to ${shape.max}` });
  }
  if (shape.pattern !== undefined && !shape.pattern.test(value)) {
    out.push({ path, value: shown, constraint: `Member must satisfy regular expression pattern: ${shape.pattern.source}` });
  }
  if (shape.enumValues !== undefined && !shape.enumValues.includes(value)) {
    out.push({ path, value: shown, constraint: `Member must satisfy enum value set: [${shape.enumValues.join(', ')}]` });
  }
}

function checkInteger(value: unknown, shape: IntegerShape, path: string, out: Violations): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(path, 'an integer');
  if (shape.min !== undefined && value < shape.min) {
    out.push({ path, value: `'${value}'`, constraint: `Member must have value greater than or equal to ${shape.min}` });
  }
  if (shape.max !== undefined && value > shape.max) {
    out.push({ path, value: `'${value}'`, constraint: `Member must have value less than or equal to ${shape.max}` });
  }
}

function checkList(value: unknown, shape: ListShape, path: string, out: Violations): void {
  if (!Array.isArray(value)) throw wrongType(path, 'a list');
  if (shape.max !== undefined && value.length > shape.max) {
    // Checking every member of an oversized list would make the work and the answer grow with the attacker's body.
    out.push({ path, value: `with ${value.length} members`, constraint: `Member must have length less than or equal to ${shape.max}` });
    return;
  }
  if (shape.min !== undefined && value.length < shape.min) {
    out.push({ path, value: undefined, constraint: `Member must have length greater than or equal to ${shape.min}` });
  }
  value.forEach((item, index) => check(item, shape.member, `${path}.${index + 1}.member`, out));
}

function checkStructure(value: unknown, shape: StructureShape, path: string, out: Violations): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw wrongType(path, 'a structure');
  const record = value as Record<string, unknown>;
  for (const [name, memberShape] of Object.entries(shape.members)) {
    const memberValue = record[name];
    const childPath = memberPath(path, name);
    if (memberValue === undefined || memberValue === null) {
      delete record[name]; // JSON null means "not set"
      if (shape.required.includes(name)) out.push({ path: childPath, value: 'null', constraint: 'Member must not be null' });
      continue;
    }
    check(memberValue, memberShape as Shape, childPath, out);
  }
}
