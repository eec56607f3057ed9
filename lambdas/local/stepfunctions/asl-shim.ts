import { TemplateError } from '../shared/errors.js';

/** An ASL state, loosely typed: the shim rewrites fields aws-local-stepfunctions does not know. */
export type AslState = Record<string, unknown> & { Type: string };
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [other: string]: unknown;
}

/** What a Distributed Map's ItemReader asked for, keyed by the inserted reader state's name. */
export interface ItemReaderSpec {
  resource: string;
  parameters: Record<string, unknown>;
  readerConfig: Record<string, unknown>;
}

/** Suffix of the Task state inserted before each Distributed Map to read its items. */
export const ITEM_READER_SUFFIX = '__ItemReader';

/**
 * Refuses what aws-local-stepfunctions silently ignores (JSONata, Assign variables), which would
 * make local runs differ from AWS without any error.
 */
export function assertJsonPathOnly(definition: unknown, where = '$'): void {
  if (Array.isArray(definition)) {
    definition.forEach((d, i) => assertJsonPathOnly(d, `${where}[${i}]`));
    return;
  }
  if (definition === null || typeof definition !== 'object') return;
  for (const [key, value] of Object.entries(definition)) {
    if (key === 'QueryLanguage' && value === 'JSONata') throw new TemplateError(`${where}: JSONata states cannot run locally; use JSONPath`);
    if (key === 'Assign') throw new TemplateError(`${where}: Assign (variables) cannot run locally`);
    assertJsonPathOnly(value, `${where}.${key}`);
  }
}

function retarget(states: Record<string, AslState>, from: string, to: string): void {
  for (const state of Object.values(states)) {
    if (state.Next === from) state.Next = to;
    if (state.Default === from) state.Default = to;
    for (const list of [state.Choices, state.Catch] as unknown[]) {
      if (!Array.isArray(list)) continue;
      for (const rule of list as Array<Record<string, unknown>>) if (rule.Next === from) rule.Next = to;
    }
  }
}

function shimStates(scope: { StartAt: string; States: Record<string, AslState> }, readers: Map<string, ItemReaderSpec>): void {
  for (const [name, state] of Object.entries(scope.States)) {
    const processor = (state.ItemProcessor ?? state.Iterator) as { StartAt: string; States: Record<string, AslState> } | undefined;
    if (processor !== undefined) shimStates(processor, readers);
    for (const branch of (state.Branches as Array<{ StartAt: string; States: Record<string, AslState> }> | undefined) ?? []) shimStates(branch, readers);
    if (state.Type !== 'Map') continue;
    const config = (processor as { ProcessorConfig?: Record<string, unknown> } | undefined)?.ProcessorConfig;
    if (config !== undefined) {
      config.Mode = 'INLINE';
      delete config.ExecutionType;
    }
    for (const key of ['ItemBatcher', 'ResultWriter', 'ToleratedFailurePercentage', 'ToleratedFailureCount', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath', 'Label']) delete state[key];
    const reader = state.ItemReader as { Resource?: string; Parameters?: Record<string, unknown>; ReaderConfig?: Record<string, unknown> } | undefined;
    if (reader === undefined) continue;
    delete state.ItemReader;
    const readerName = `${name}${ITEM_READER_SUFFIX}`;
    const slot = `__items_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    readers.set(readerName, { resource: reader.Resource ?? '', parameters: reader.Parameters ?? {}, readerConfig: reader.ReaderConfig ?? {} });
    // The reader sees the Map's input (after InputPath) and stores the items beside it.
    const inputPath = state.InputPath;
    delete state.InputPath;
    scope.States[readerName] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::s3:getObject',
      ...(inputPath === undefined ? {} : { InputPath: inputPath }),
      Parameters: reader.Parameters ?? {},
      ResultPath: `$.${slot}`,
      Next: name,
    };
    retarget(scope.States, name, readerName);
    scope.States[readerName]!.Next = name;
    if (scope.StartAt === name) scope.StartAt = readerName;
    state.ItemsPath = `$.${slot}`;
    // ItemSelector defaults to the item itself; without one, keep only the item for each iteration.
  }
}

/**
 * Rewrites a definition for aws-local-stepfunctions: each Map with an ItemReader (Distributed Map)
 * gets a Task `<Map>__ItemReader` in front that reads the items (served by a local override), the
 * Map iterates over them inline, and distributed-only fields are dropped.
 */
export function inlineDistributedMaps(definition: AslDefinition): { definition: AslDefinition; readers: Map<string, ItemReaderSpec> } {
  const copy = JSON.parse(JSON.stringify(definition)) as AslDefinition;
  const readers = new Map<string, ItemReaderSpec>();
  shimStates(copy, readers);
  return { definition: copy, readers };
}

/** Every Task state, nested ones included, with its name. */
export function taskStates(scope: { States: Record<string, AslState> }): Array<[string, AslState]> {
  const found: Array<[string, AslState]> = [];
  for (const [name, state] of Object.entries(scope.States)) {
    if (state.Type === 'Task') found.push([name, state]);
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, AslState> } | undefined;
    if (processor !== undefined) found.push(...taskStates(processor));
    for (const branch of (state.Branches as Array<{ States: Record<string, AslState> }> | undefined) ?? []) found.push(...taskStates(branch));
  }
  return found;
}
