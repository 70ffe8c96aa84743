import { adaptTemplateForMoto, toJsonString } from './emulator-adapter';

const ROLE_ARN = { 'Fn::GetAtt': ['Role1ABCD', 'Arn'] };
const ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] };
const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'KeyUsage', Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: ['kms:Decrypt'], Resource: '*' },
    { Sid: 'AccountAdministration', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ['kms:PutKeyPolicy'], Resource: '*' },
  ],
};

/** Joins an Fn::Join as moto would, with each intrinsic replaced by `resolved`. */
function joined(expression: any, resolved: (intrinsic: unknown) => string): string {
  return expression['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : resolved(part))).join('');
}

describe('adaptTemplateForMoto', () => {
  const template = {
    Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>' } },
    Rules: { CheckBootstrapVersion: { Assertions: [] } },
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: POLICY } },
      Meta: { Type: 'AWS::CDK::Metadata', Properties: {} },
    },
    Outputs: { KeyArn: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] }, Export: { Name: 'KeyArnExport' } } },
  };
  const adapted = adaptTemplateForMoto(template);

  test('a KeyPolicy object becomes a JSON string expression that resolves to the same policy', () => {
    const policy = JSON.parse(joined(adapted.Resources.Key.Properties.KeyPolicy, (i) => (JSON.stringify(i) === JSON.stringify(ROLE_ARN) ? 'arn:role' : 'arn:root')));
    expect(policy.Statement.map((s: any) => [s.Sid, s.Principal.AWS])).toEqual([['KeyUsage', 'arn:role'], ['AccountAdministration', 'arn:root']]);
  });

  test('drops what moto cannot handle and leaves the input alone', () => {
    expect(adapted.Parameters).toBeUndefined();
    expect(adapted.Rules).toBeUndefined();
    expect(adapted.Resources.Meta).toBeUndefined();
    expect(adapted.Outputs.KeyArn).toEqual({ Value: { 'Fn::GetAtt': ['Key', 'Arn'] } });
    expect(template.Resources.Key.Properties.KeyPolicy).toBe(POLICY);
  });
});

test('toJsonString gives plain JSON when there is no intrinsic', () => {
  expect(toJsonString({ a: ['b'] })).toBe('{"a":["b"]}');
});
