/**
 * EventBridge event-pattern matching for the operators CDK rules use: exact values, prefix, suffix,
 * exists, anything-but, equals-ignore-case and wildcard.
 */
type Pattern = { [key: string]: unknown };

function matchesValue(rule: unknown, value: unknown, present: boolean): boolean {
  if (rule === null || typeof rule !== 'object') return present && value === rule;
  const op = rule as Record<string, unknown>;
  if ('exists' in op) return op.exists === present;
  if (!present) return false;
  if (typeof op.prefix === 'string') return typeof value === 'string' && value.startsWith(op.prefix);
  if (typeof op.suffix === 'string') return typeof value === 'string' && value.endsWith(op.suffix);
  if (typeof op['equals-ignore-case'] === 'string') return typeof value === 'string' && value.toLowerCase() === (op['equals-ignore-case'] as string).toLowerCase();
  if (typeof op.wildcard === 'string') {
    const regex = new RegExp(`^${(op.wildcard as string).split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return typeof value === 'string' && regex.test(value);
  }
  if ('anything-but' in op) {
    const but = op['anything-but'];
    if (Array.isArray(but)) return !but.includes(value);
    if (but !== null && typeof but === 'object') return !matchesValue(but, value, present);
    return value !== but;
  }
  return false;
}

function matchesField(rules: unknown[], value: unknown, present: boolean): boolean {
  const values = Array.isArray(value) ? value : [value];
  return rules.some((rule) => values.some((v) => matchesValue(rule, v, present)));
}

/** True when `event` matches the EventBridge `pattern`. */
export function matchesEventPattern(pattern: Pattern, event: unknown): boolean {
  const object = (event ?? {}) as Record<string, unknown>;
  return Object.entries(pattern).every(([key, rule]) => {
    const present = Object.prototype.hasOwnProperty.call(object, key);
    if (Array.isArray(rule)) return matchesField(rule, object[key], present);
    if (rule !== null && typeof rule === 'object') return present && matchesEventPattern(rule as Pattern, object[key]);
    return false;
  });
}

/** Reads a simple JSONPath (`$`, `$.a.b`, `$.a['b']`) from `value`. */
export function readJsonPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  const parts = path.replace(/^\$\.?/, '').match(/[^.[\]'"]+/g) ?? [];
  let current: unknown = value;
  for (const part of parts) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Applies a rule target's Input / InputPath / InputTransformer to an event, giving the target input. */
export function targetInput(target: { Input?: string; InputPath?: string; InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string } }, event: unknown): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(readJsonPath(event, target.InputPath) ?? null);
  const transformer = target.InputTransformer;
  if (transformer === undefined) return JSON.stringify(event);
  const values = Object.fromEntries(Object.entries(transformer.InputPathsMap ?? {}).map(([name, path]) => [name, readJsonPath(event, path)]));
  // Inside a JSON string a placeholder inserts the raw text; elsewhere it inserts JSON.
  return transformer.InputTemplate.replace(/("?)<([A-Za-z0-9_.-]+)>("?)/g, (match, open: string, name: string, close: string) => {
    if (name === 'aws.events.event') return JSON.stringify(event);
    if (!(name in values)) return match;
    const v = values[name];
    if (open === '"' && close === '"') return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(JSON.stringify(v));
    return `${open}${typeof v === 'string' && open === '"' ? v : JSON.stringify(v)}${close}`;
  });
}
