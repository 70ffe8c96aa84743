import { App, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CustomerManagedKey } from '../../src';
import { AccessDecision, KeyPolicyEvaluator } from '../../src/access';
import { readTemplate } from '../../src/access/template-model';

function synth(build: (stack: Stack) => void): any {
  const stack = new Stack(new App({ context: { 'aws:cdk:enable-path-metadata': true } }), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  build(stack);
  return Template.fromStack(stack).toJSON();
}

describe('readTemplate', () => {
  test('finds a CustomerManagedKey and a plain kms.Key with their paths and canonical ARNs', () => {
    const model = readTemplate(synth((stack) => {
      new CustomerManagedKey(stack, 'Managed');
      new kms.Key(stack, 'Plain');
    }));
    expect(model.keys.map((key) => [key.type, key.path])).toEqual([
      ['AWS::KMS::Key', 'Stack/Managed/Resource'],
      ['AWS::KMS::Key', 'Stack/Plain/Resource'],
    ]);
    expect(model.keys[1].arn).toMatch(/^\$\{Plain[0-9A-F]{8}\.Arn\}$/);
    expect(model.keys[1].keyPolicy.Statement).toHaveLength(1);
  });

  test('attaches AWS::IAM::Policy documents to the canonical ARN of each role, so grants can be evaluated', () => {
    let roleId = '';
    const template = synth((stack) => {
      const key = new kms.Key(stack, 'Plain');
      const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
      key.grantDecrypt(role);
      roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    });
    const model = readTemplate(template);
    const principal = `\${${roleId}.Arn}`;
    expect(Object.keys(model.identityPolicies)).toEqual([principal]);
    const [key] = model.keys;
    const evaluator = new KeyPolicyEvaluator({ keyPolicy: key.keyPolicy, keyAccount: '111111111111', keyArn: key.arn, identityPolicies: model.identityPolicies });
    expect(evaluator.evaluate({ principal, action: 'kms:Decrypt' }).decision).toBe(AccessDecision.ALLOWED);
    expect(evaluator.evaluate({ principal, action: 'kms:Encrypt' }).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('reads inline Role policies, managed policies, roles named by a literal, and custom-resource keys', () => {
    const doc = (action: string) => ({ Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    const model = readTemplate({
      Resources: {
        Role: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'inline', PolicyDocument: doc('kms:Decrypt') }], ManagedPolicyArns: [{ Ref: 'Managed' }] } },
        Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc('kms:Encrypt'), Roles: ['external-role'] } },
        HsmKey: { Type: 'Custom::HsmKey', Properties: { KeyPolicy: { Statement: [] } } },
      },
    });
    expect(model.identityPolicies).toEqual({
      '${Role.Arn}': [doc('kms:Decrypt'), doc('kms:Encrypt')],
      'arn:aws:iam::${AWS::AccountId}:role/external-role': [doc('kms:Encrypt')],
    });
    expect(model.keys).toEqual([{ logicalId: 'HsmKey', type: 'Custom::HsmKey', keyPolicy: { Statement: [] }, path: undefined, arn: '${HsmKey.Arn}', grants: [] }]);
  });

  test('an empty or malformed template has no keys', () => {
    expect(readTemplate({})).toEqual({ keys: [], identityPolicies: {} });
    expect(readTemplate(undefined)).toEqual({ keys: [], identityPolicies: {} });
  });
});
