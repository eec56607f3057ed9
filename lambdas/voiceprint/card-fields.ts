import { ModelCardError } from './errors.js';

/** A JSON object being read field by field; every error names the card, the dotted key and the fix. */
export class CardSection {
  private readonly seen = new Set<string>();

  constructor(
    readonly cardPath: string,
    readonly prefix: string,
    private readonly value: Readonly<Record<string, unknown>>,
  ) {}

  /** Wraps `raw` (the value at `prefix`), refusing anything but a JSON object. */
  static of(cardPath: string, prefix: string, raw: unknown): CardSection {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ModelCardError(cardPath, `${prefix || 'the card'} must be a JSON object`, prefix || undefined);
    }
    return new CardSection(cardPath, prefix, raw as Record<string, unknown>);
  }

  key(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  fail(name: string, message: string): never {
    throw new ModelCardError(this.cardPath, `${this.key(name)} ${message}`, this.key(name));
  }

  /** The raw value, or undefined when absent (null counts as present). */
  raw(name: string): unknown {
    this.seen.add(name);
    return this.value[name];
  }

  has(name: string): boolean {
    this.seen.add(name);
    return this.value[name] !== undefined;
  }

  section(name: string, required: boolean): CardSection {
    const v = this.raw(name);
    if (v === undefined) {
      if (required) this.fail(name, 'is required');
      return new CardSection(this.cardPath, this.key(name), {});
    }
    return CardSection.of(this.cardPath, this.key(name), v);
  }

  string(name: string, fallback?: string): string {
    const v = this.raw(name) ?? fallback;
    if (v === undefined) this.fail(name, 'is required (a string)');
    if (typeof v !== 'string' || v.length === 0) this.fail(name, `must be a non-empty string, not ${JSON.stringify(v)}`);
    return v;
  }

  /** A finite number within [min, max]; `integer` also refuses fractions. */
  number(name: string, opts: { fallback?: number; min?: number; max?: number; integer?: boolean } = {}): number {
    const v = this.raw(name) ?? opts.fallback;
    if (v === undefined) this.fail(name, 'is required (a number)');
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(name, `must be a number, not ${JSON.stringify(v)}`);
    if (opts.integer && !Number.isInteger(v)) this.fail(name, `must be a whole number, not ${v}`);
    if (opts.min !== undefined && v < opts.min) this.fail(name, `must be at least ${opts.min}, not ${v}`);
    if (opts.max !== undefined && v > opts.max) this.fail(name, `must be at most ${opts.max}, not ${v}`);
    return v;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.raw(name) ?? fallback;
    if (typeof v !== 'boolean') this.fail(name, `must be true or false, not ${JSON.stringify(v)}`);
    return v;
  }

  /** One of `allowed`; an unknown value is named with the list of known ones. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
    const v = this.raw(name) ?? fallback;
    if (v === undefined) this.fail(name, `is required: one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(name, `is ${JSON.stringify(v)}; use one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
    return v as T;
  }

  /** A string or null (absent = null). */
  optionalString(name: string): string | null {
    const v = this.raw(name);
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v.length === 0) this.fail(name, `must be a file name or null, not ${JSON.stringify(v)}`);
    return v;
  }

  /** Refuses keys that no reader asked for: in a front-end section a typo would silently change the features. */
  refuseUnknownKeys(): void {
    for (const name of Object.keys(this.value)) {
      if (!this.seen.has(name)) {
        this.fail(name, `is not a known key; known keys here: ${[...this.seen].join(', ')}`);
      }
    }
  }
}
