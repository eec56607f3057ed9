import './promise-polyfill.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { assertJsonPathOnly, inlineDistributedMaps, ITEM_READER_SUFFIX, taskStates, type AslDefinition, type ItemReaderSpec } from './asl-shim.js';
import { TemplateError } from '../shared/errors.js';

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type TaskHandler = (input: JsonValue) => Promise<JsonValue>;

/** What a local state machine needs from the rest of the local mode. */
export interface SfnRuntime {
  /** Invokes a template Lambda in-process by name or ARN. */
  invokeFunction(ref: string, payload: unknown): Promise<unknown>;
  /** Whether a function can run locally (it has a handler entry). */
  hasFunction(ref: string): boolean;
  /** Reads an object from local S3 as text. */
  readObject(bucket: string, key: string): Promise<string>;
}

/** A Lambda failure as Step Functions sees it: Error = the function's error type, Cause = JSON. */
class TaskFailure extends Error {
  constructor(errorType: string, cause: string) {
    super(cause);
    this.name = errorType;
  }
}

async function invokeAsTask(runtime: SfnRuntime, ref: string, payload: unknown): Promise<JsonValue> {
  try {
    return ((await runtime.invokeFunction(ref, payload)) ?? null) as JsonValue;
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    throw new TaskFailure(e.name, JSON.stringify({ errorType: e.name, errorMessage: e.message }));
  }
}

function readerHandler(runtime: SfnRuntime, name: string, spec: ItemReaderSpec): TaskHandler {
  const inputType = String(spec.readerConfig.InputType ?? 'JSON');
  if (inputType !== 'JSON' && inputType !== 'JSONL') throw new TemplateError(`${name}: ItemReader InputType ${inputType} is not supported locally (JSON, JSONL)`);
  return async (input) => {
    const { Bucket, Key } = input as { Bucket?: string; Key?: string };
    if (typeof Bucket !== 'string' || typeof Key !== 'string') throw new TaskFailure('States.ItemReaderFailed', 'ItemReader needs Bucket and Key');
    const text = await runtime.readObject(Bucket, Key);
    try {
      const items = inputType === 'JSONL' ? text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as JsonValue) : (JSON.parse(text) as JsonValue);
      if (!Array.isArray(items)) throw new Error('not a JSON array');
      return items;
    } catch (error) {
      throw new TaskFailure('States.ItemReaderFailed', `s3://${Bucket}/${Key}: ${(error as Error).message}`);
    }
  };
}

/**
 * A state machine from the template, prepared for aws-local-stepfunctions: Distributed Maps
 * inlined, every Lambda Task mapped to the function's handler run in-process, and anything that
 * would not run the same as in AWS refused up front with a TemplateError.
 */
export class LocalStateMachine {
  readonly definition: AslDefinition;
  private readonly handlers: Record<string, TaskHandler> = {};

  constructor(source: AslDefinition, runtime: SfnRuntime) {
    assertJsonPathOnly(source);
    const { definition, readers } = inlineDistributedMaps(source);
    this.definition = definition;
    for (const [name, state] of taskStates(definition)) {
      const resource = String(state.Resource);
      const reader = name.endsWith(ITEM_READER_SUFFIX) ? readers.get(name) : undefined;
      if (reader !== undefined) {
        this.handlers[name] = readerHandler(runtime, name, reader);
      } else if (resource === 'arn:aws:states:::lambda:invoke') {
        const target = (state.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName;
        if (typeof target === 'string' && !runtime.hasFunction(target)) {
          throw new TemplateError(`${name}: ${target} cannot run locally (build it with lib/timbre-function.ts so the template names its handler)`);
        }
        // The optimised integration: Parameters carry FunctionName and Payload; the result is wrapped.
        this.handlers[name] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName?: string; Payload?: JsonValue };
          if (typeof FunctionName !== 'string') throw new TaskFailure('States.Runtime', `${name}: lambda:invoke without FunctionName`);
          const result = await invokeAsTask(runtime, FunctionName, Payload ?? null);
          return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
        };
      } else if (/^arn:aws[a-z-]*:lambda:/.test(resource)) {
        if (!runtime.hasFunction(resource)) throw new TemplateError(`${name}: ${resource} cannot run locally (no handler entry in the template)`);
        this.handlers[name] = (input) => invokeAsTask(runtime, resource, input);
      } else {
        throw new TemplateError(`${name}: Task resource ${resource} cannot run locally (only Lambda tasks and Distributed Map item readers)`);
      }
    }
  }

  /** Starts one execution; `abort` stops it. */
  run(input: unknown): { result: Promise<unknown>; abort: () => void } {
    const machine = new StateMachine(this.definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false, checkPaths: true } });
    const execution = machine.run(input as JsonValue, {
      overrides: { taskResourceLocalHandlers: this.handlers },
    });
    return { result: execution.result, abort: execution.abort };
  }
}
