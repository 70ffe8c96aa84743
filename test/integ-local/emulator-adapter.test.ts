import { CROSS_REGION_EXPORT_OUTPUT, adaptTemplateForMoto, crossRegionExportsOf, toJsonString } from './emulator-adapter';

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
      Role: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'Inline', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } }] } },
    },
    Outputs: { KeyArn: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] }, Export: { Name: 'KeyArnExport' } } },
  };
  const adapted = adaptTemplateForMoto(template);

  test('a KeyPolicy object becomes a JSON string expression that resolves to the same policy', () => {
    const policy = JSON.parse(joined(adapted.Resources.Key.Properties.KeyPolicy, (i) => (JSON.stringify(i) === JSON.stringify(ROLE_ARN) ? 'arn:role' : 'arn:root')));
    expect(policy.Statement.map((s: any) => [s.Sid, s.Principal.AWS])).toEqual([['KeyUsage', 'arn:role'], ['AccountAdministration', 'arn:root']]);
  });

  test('a role\'s inline PolicyDocument object becomes a JSON string', () => {
    const [inline] = adapted.Resources.Role.Properties.Policies;
    expect(inline.PolicyName).toBe('Inline');
    expect(JSON.parse(inline.PolicyDocument)).toEqual({ Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });
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

describe('cross-Region references', () => {
  const exportName = '/cdk/exports/Consumer/ProducerFnGetAttKeyArn';
  const provider = {
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Handler: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } }, DependsOn: ['Role'] },
  };
  const producer = {
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Writer: {
        Type: 'Custom::CrossRegionExportWriter',
        Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] }, WriterProps: { region: 'eu-central-1', exports: { [exportName]: { 'Fn::GetAtt': ['Key', 'Arn'] } } } },
      },
      ...provider,
    },
  };
  const consumer = {
    Resources: {
      Replica: { Type: 'AWS::KMS::ReplicaKey', Properties: { PrimaryKeyArn: { 'Fn::GetAtt': ['Reader', exportName] } }, DependsOn: ['Reader'] },
      Reader: { Type: 'Custom::CrossRegionExportReader', Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] } } },
      ...provider,
    },
    Outputs: { ReplicaArn: { Value: { 'Fn::GetAtt': ['Replica', 'Arn'] } } },
  };

  test('a writer becomes an output that names its export; its provider goes', () => {
    const adapted = adaptTemplateForMoto(producer);
    expect(Object.keys(adapted.Resources)).toEqual(['Key']);
    expect(crossRegionExportsOf(adapted, { [`${CROSS_REGION_EXPORT_OUTPUT}0`]: 'arn:key' })).toEqual({ [exportName]: 'arn:key' });
  });

  test("a reader's attribute becomes the exported value; outputs on a replica key wait for the adapter", () => {
    const adapted = adaptTemplateForMoto(consumer, { [exportName]: 'arn:key' });
    expect(adapted.Resources).toEqual({ Replica: { Type: 'AWS::KMS::ReplicaKey', Properties: { PrimaryKeyArn: 'arn:key' }, DependsOn: [] } });
    expect(adapted.Outputs).toEqual({});
    expect(() => adaptTemplateForMoto(consumer)).toThrow(/no stack deployed before this one exported/);
  });

  test('a multi-Region key is taken out of the template for the adapter to create', () => {
    const adapted = adaptTemplateForMoto({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { MultiRegion: true } } } });
    expect(adapted.Resources).toEqual({});
    expect(Object.keys(adapted.Metadata.EmulatorAdapterResources)).toEqual(['Key']);
  });
});
