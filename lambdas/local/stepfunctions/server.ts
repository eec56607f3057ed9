import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { TemplateError } from '../shared/errors.js';
import { closeServer, listenLocal, readBody, sendJson } from '../shared/http-util.js';
import { LocalStateMachine, type SfnRuntime } from './runner.js';
import type { AslDefinition } from './asl-shim.js';

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** One execution, as DescribeExecution reports it. */
export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Settles when the execution stops. */
  done: Promise<void>;
  abort: () => void;
}

interface MachineEntry {
  arn: string;
  name: string;
  machine: LocalStateMachine;
  definition: string;
  roleArn: string;
  creationDate: Date;
}

class SfnApiError extends Error {
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

const CONTENT_TYPE = 'application/x-amz-json-1.0';

/**
 * Local Step Functions: state machines run by aws-local-stepfunctions with in-process Lambda tasks,
 * plus a small JSON 1.0 facade (CreateStateMachine, StartExecution, DescribeExecution,
 * ListExecutions, StopExecution) so SFNClient works against it.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, MachineEntry>();
  private readonly executions = new Map<string, LocalExecution>();
  private server: ReturnType<typeof createServer> | undefined;

  constructor(private readonly runtime: SfnRuntime, private readonly region: string, private readonly accountId: string) {}

  createStateMachine(name: string, definition: string, roleArn = '', arn?: string): string {
    const machineArn = arn ?? `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
    const existing = this.machines.get(machineArn);
    if (existing !== undefined) {
      if (existing.definition === definition) return machineArn;
      throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${machineArn}'`);
    }
    let parsed: AslDefinition;
    try {
      parsed = JSON.parse(definition) as AslDefinition;
    } catch (error) {
      throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: ${(error as Error).message}`);
    }
    let machine: LocalStateMachine;
    try {
      machine = new LocalStateMachine(parsed, this.runtime);
    } catch (error) {
      if (error instanceof TemplateError) throw new SfnApiError('InvalidDefinition', error.message);
      throw error;
    }
    this.machines.set(machineArn, { arn: machineArn, name, machine, definition, roleArn, creationDate: new Date() });
    return machineArn;
  }

  startExecution(stateMachineArn: string, input = '{}', name: string = randomUUID()): LocalExecution {
    const entry = this.machines.get(stateMachineArn);
    if (entry === undefined) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.executions.has(executionArn)) throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', 'Invalid execution input: not JSON');
    }
    const run = entry.machine.run(parsedInput);
    const execution: LocalExecution = {
      executionArn, stateMachineArn, name, status: 'RUNNING', startDate: new Date(), input, abort: run.abort, done: Promise.resolve(),
    };
    execution.done = run.result.then(
      (output) => {
        Object.assign(execution, { status: 'SUCCEEDED', output: JSON.stringify(output), stopDate: new Date() });
      },
      (error: Error & { cause?: Error & { Cause?: unknown } }) => {
        if (execution.status === 'ABORTED') return;
        const reason = error.cause ?? error;
        Object.assign(execution, { status: 'FAILED', error: reason.name, cause: reason.message, stopDate: new Date() });
      },
    );
    this.executions.set(executionArn, execution);
    return execution;
  }

  describeExecution(executionArn: string): LocalExecution {
    const execution = this.executions.get(executionArn);
    if (execution === undefined) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  listExecutions(stateMachineArn: string, statusFilter?: ExecutionStatus): LocalExecution[] {
    if (!this.machines.has(stateMachineArn)) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    return [...this.executions.values()]
      .filter((e) => e.stateMachineArn === stateMachineArn && (statusFilter === undefined || e.status === statusFilter))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  stopExecution(executionArn: string, error?: string, cause?: string): Date {
    const execution = this.describeExecution(executionArn);
    if (execution.status === 'RUNNING') {
      Object.assign(execution, { status: 'ABORTED', stopDate: new Date(), error, cause });
      execution.abort();
    }
    return execution.stopDate ?? new Date();
  }

  /** Serves the facade on 127.0.0.1 and returns its endpoint. */
  async listen(port = 0): Promise<string> {
    const seconds = (d: Date | undefined): number | undefined => (d === undefined ? undefined : d.getTime() / 1000);
    const describe = (e: LocalExecution): Record<string, unknown> => ({
      executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status,
      startDate: seconds(e.startDate), stopDate: seconds(e.stopDate), input: e.input, output: e.output, error: e.error, cause: e.cause,
    });
    const operations: Record<string, (input: Record<string, string | undefined>) => Record<string, unknown>> = {
      CreateStateMachine: (i) => {
        const arn = this.createStateMachine(i.name ?? '', i.definition ?? '', i.roleArn);
        return { stateMachineArn: arn, creationDate: seconds(this.machines.get(arn)!.creationDate) };
      },
      StartExecution: (i) => {
        const e = this.startExecution(i.stateMachineArn ?? '', i.input ?? '{}', i.name);
        return { executionArn: e.executionArn, startDate: seconds(e.startDate) };
      },
      DescribeExecution: (i) => describe(this.describeExecution(i.executionArn ?? '')),
      ListExecutions: (i) => ({
        executions: this.listExecutions(i.stateMachineArn ?? '', i.statusFilter as ExecutionStatus | undefined).map((e) => {
          const { input: _input, output: _output, error: _error, cause: _cause, ...summary } = describe(e);
          return summary;
        }),
      }),
      StopExecution: (i) => ({ stopDate: seconds(this.stopExecution(i.executionArn ?? '', i.error, i.cause)) }),
    };
    this.server = createServer((req, res) => {
      void (async () => {
        const target = String(req.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
        try {
          const operation = operations[target];
          if (operation === undefined) throw new SfnApiError('UnknownOperationException', `Operation ${target} is not supported locally`);
          const body = await readBody(req);
          sendJson(res, 200, CONTENT_TYPE, operation(JSON.parse(body.length === 0 ? '{}' : body.toString('utf8')) as Record<string, string>));
        } catch (error) {
          const type = error instanceof SfnApiError ? error.errorType : 'InternalFailure';
          sendJson(res, error instanceof SfnApiError ? 400 : 500, CONTENT_TYPE, { __type: type, message: (error as Error).message });
        }
      })();
    });
    return `http://127.0.0.1:${await listenLocal(this.server, port)}`;
  }

  /** Stops the facade and aborts running executions. */
  async stop(): Promise<void> {
    for (const e of this.executions.values()) if (e.status === 'RUNNING') this.stopExecution(e.executionArn, 'States.Aborted', 'local mode stopped');
    if (this.server !== undefined) await closeServer(this.server);
  }
}
