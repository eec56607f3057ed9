/**
 * A small schema language for Voice ID's request shapes (the model's lengths, patterns, ranges, enums
 * and required members), with TypeScript types inferred from each schema.
 */

/** A string member: length in UTF-16 code units, a pattern, an enum; sensitive values stay out of messages. */
export interface StringShape {
  readonly kind: 'string';
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
  readonly enumValues?: readonly string[];
  readonly sensitive?: boolean;
}

/** An integer member with an inclusive range. */
export interface IntegerShape {
  readonly kind: 'integer';
  readonly min?: number;
  readonly max?: number;
}

/** A boolean member. */
export interface BooleanShape {
  readonly kind: 'boolean';
}

/** A list member with an item shape and an item-count range. */
export interface ListShape<M extends Shape = Shape> {
  readonly kind: 'list';
  readonly member: M;
  readonly min?: number;
  readonly max?: number;
}

/** A structure: its members and which of them are required. */
export interface StructureShape<
  M extends Record<string, Shape> = Record<string, Shape>,
  R extends keyof M & string = keyof M & string,
> {
  readonly kind: 'structure';
  readonly members: M;
  readonly required: readonly R[];
}

/** Any shape. */
export type Shape = StringShape | IntegerShape | BooleanShape | ListShape<any> | StructureShape<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The TypeScript type a validated value of shape `S` has. */
export type Infer<S> = S extends StringShape
  ? string
  : S extends IntegerShape
    ? number
    : S extends BooleanShape
      ? boolean
      : S extends ListShape<infer M>
      ? Infer<M>[]
      : S extends StructureShape<infer M, infer R>
        ? { [K in R]: Infer<M[K]> } & { [K in Exclude<keyof M, R>]?: Infer<M[K]> }
        : never;

/** A string shape. */
export function str(options: Omit<StringShape, 'kind'> = {}): StringShape {
  return { kind: 'string', ...options };
}

/** An integer shape. */
export function int(options: Omit<IntegerShape, 'kind'> = {}): IntegerShape {
  return { kind: 'integer', ...options };
}

/** A boolean shape. */
export function bool(): BooleanShape {
  return { kind: 'boolean' };
}

/** A list shape. */
export function list<M extends Shape>(member: M, options: { min?: number; max?: number } = {}): ListShape<M> {
  return { kind: 'list', member, ...options };
}

/** A structure shape; `required` names the members that must be present. */
export function struct<const M extends Record<string, Shape>, const R extends keyof M & string = never>(
  members: M,
  required: readonly R[] = [],
): StructureShape<M, R> {
  return { kind: 'structure', members, required };
}
