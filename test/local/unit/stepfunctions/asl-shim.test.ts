import { describe, expect, it } from 'vitest';
import { assertJsonPathOnly, inlineDistributedMaps, taskStates, type AslDefinition } from '../../../../lambdas/local/stepfunctions/asl-shim.js';
import { TemplateError } from '../../../../lambdas/local/shared/errors.js';

const distributed: AslDefinition = {
  StartAt: 'Validate',
  States: {
    Validate: { Type: 'Pass', Next: 'EachItem' },
    EachItem: {
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', 'Key.$': '$.key' } },
      ItemBatcher: { MaxItemsPerBatch: 10 },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject' },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:0:function:F', End: true } } },
      End: true,
    },
  },
};

describe('inlineDistributedMaps', () => {
  it('inserts an item-reader Task before the Map and makes the Map inline over its result', () => {
    const { definition, readers } = inlineDistributedMaps(distributed);
    expect(definition.States.Validate!.Next).toBe('EachItem__ItemReader');
    expect(definition.States.EachItem__ItemReader).toMatchObject({ Type: 'Task', Parameters: { Bucket: 'b', 'Key.$': '$.key' }, Next: 'EachItem' });
    const map = definition.States.EachItem!;
    expect(map.ItemsPath).toBe(definition.States.EachItem__ItemReader!.ResultPath);
    expect(map).not.toHaveProperty('ItemReader');
    expect(map).not.toHaveProperty('ItemBatcher');
    expect(map).not.toHaveProperty('ResultWriter');
    expect((map.ItemProcessor as { ProcessorConfig: unknown }).ProcessorConfig).toEqual({ Mode: 'INLINE' });
    expect(readers.get('EachItem__ItemReader')?.readerConfig).toEqual({ InputType: 'JSON' });
  });

  it('re-points StartAt when the Map is the first state, and leaves the input untouched', () => {
    const startsWithMap: AslDefinition = { StartAt: 'EachItem', States: { EachItem: distributed.States.EachItem! } };
    const { definition } = inlineDistributedMaps(startsWithMap);
    expect(definition.StartAt).toBe('EachItem__ItemReader');
    expect(startsWithMap.StartAt).toBe('EachItem');
  });

  it('finds nested Task states', () => {
    expect(taskStates(distributed).map(([name]) => name)).toEqual(['Work']);
  });
});

describe('assertJsonPathOnly', () => {
  it('refuses JSONata and Assign, which the local runner would ignore', () => {
    expect(() => assertJsonPathOnly({ QueryLanguage: 'JSONata', States: {} })).toThrow(TemplateError);
    expect(() => assertJsonPathOnly({ States: { A: { Type: 'Pass', Assign: { x: 1 } } } })).toThrow(TemplateError);
    expect(() => assertJsonPathOnly(distributed)).not.toThrow();
  });
});

describe('LocalStateMachine', () => {
  const runtime = {
    invokeFunction: async (_ref: string, payload: unknown) => ({ echoed: payload }),
    hasFunction: (ref: string) => ref.endsWith(':function:Known'),
    readObject: async () => '[]',
  };
  const invoke = (functionName: string): AslDefinition => ({
    StartAt: 'Call',
    States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: functionName, 'Payload.$': '$' }, OutputPath: '$.Payload', End: true } },
  });

  it('runs a lambda:invoke Task through the in-process function', async () => {
    const { LocalStateMachine } = await import('../../../../lambdas/local/stepfunctions/runner.js');
    const machine = new LocalStateMachine(invoke('arn:aws:lambda:us-east-1:0:function:Known'), runtime);
    expect(await machine.run({ a: 1 }).result).toEqual({ echoed: { a: 1 } });
  });

  it('refuses a Task whose function has no local handler', async () => {
    const { LocalStateMachine } = await import('../../../../lambdas/local/stepfunctions/runner.js');
    expect(() => new LocalStateMachine(invoke('arn:aws:lambda:us-east-1:0:function:Unknown'), runtime)).toThrow(TemplateError);
  });
});
