import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../../../lambdas/local/shared/errors.js';
import { localKeyId, TemplateResolver } from '../../../../lambdas/local/template/resolver.js';

const resolver = new TemplateResolver({
  Resources: {
    TableAB12: { Type: 'AWS::DynamoDB::GlobalTable', Properties: {} },
    AudioBucketCD34: { Type: 'AWS::S3::Bucket', Properties: {} },
    KeyEF56: { Type: 'AWS::KMS::Key', Properties: {} },
    FnGH78: { Type: 'AWS::Lambda::Function', Properties: {} },
    MachineIJ90: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
  },
  Outputs: { Table: { Value: { Ref: 'TableAB12' } } },
}, { region: 'eu-west-1', accountId: '000000000000', stackName: 'S' });

describe('TemplateResolver', () => {
  it('gives deterministic local names and ARNs', () => {
    expect(resolver.resolve({ Ref: 'TableAB12' })).toBe('TableAB12');
    expect(resolver.resolve({ Ref: 'AudioBucketCD34' })).toBe('audiobucketcd34');
    expect(resolver.resolve({ 'Fn::GetAtt': ['KeyEF56', 'Arn'] })).toBe(`arn:aws:kms:eu-west-1:000000000000:key/${localKeyId('S', 'KeyEF56')}`);
    expect(resolver.resolve({ Ref: 'MachineIJ90' })).toBe('arn:aws:states:eu-west-1:000000000000:stateMachine:MachineIJ90');
    expect(localKeyId('S', 'KeyEF56')).toBe(localKeyId('S', 'KeyEF56'));
    expect(localKeyId('S', 'KeyEF56')).not.toBe(localKeyId('S', 'Other'));
  });

  it('resolves Join, Sub, Select and pseudo parameters inside nested values', () => {
    const value = {
      a: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::lambda:invoke']] },
      b: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${AudioBucketCD34}/*' },
      c: { 'Fn::Select': [1, { 'Fn::Split': ['/', 'x/y/z'] }] },
      d: [{ 'Fn::GetAtt': ['FnGH78', 'Arn'] }],
    };
    expect(resolver.resolve(value)).toEqual({
      a: 'arn:aws:states:::lambda:invoke',
      b: 'arn:aws:s3:::audiobucketcd34/*',
      c: 'y',
      d: ['arn:aws:lambda:eu-west-1:000000000000:function:FnGH78'],
    });
    expect(resolver.output('Table')).toBe('TableAB12');
  });

  it('refuses intrinsics it cannot resolve and unknown logical IDs', () => {
    expect(() => resolver.resolve({ 'Fn::ImportValue': 'x' })).toThrow(TemplateError);
    expect(() => resolver.resolve({ Ref: 'Missing' })).toThrow(TemplateError);
  });
});
