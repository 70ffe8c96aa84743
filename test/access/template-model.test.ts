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

  test('a policy attached through an Fn::If in Roles (the list or an entry) is read as unreadable for each role it may reach, never dropped', () => {
    const doc = { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
    const template = {
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
      Resources: {
        Key: { Type: 'AWS::KMS::Key' },
        Entry: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: doc, Roles: [{ 'Fn::If': ['IsProd', { Ref: 'Admin' }, { Ref: 'AWS::NoValue' }] }] } },
        List: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: doc, Roles: { 'Fn::If': ['IsProd', [{ Ref: 'App' }], [{ Ref: 'Admin' }, 'ops']] } } },
        Admin: { Type: 'AWS::IAM::Role', Properties: {} },
        App: { Type: 'AWS::IAM::Role', Properties: {} },
      },
    };
    const model = readTemplate(template);
    const conditional = { 'Fn::If': ['IsProd', doc, { Ref: 'AWS::NoValue' }] };
    expect(model.identityPolicies).toEqual({
      '${Admin.Arn}': [conditional, conditional],
      '${App.Arn}': [conditional],
      'arn:aws:iam::${AWS::AccountId}:role/ops': [conditional],
    });
    // KMS's default key policy delegates to IAM: whether Admin may decrypt depends on the condition.
    const evaluator = new KeyPolicyEvaluator({ keyPolicy: model.keys[0].keyPolicy, keyAccount: '111111111111', keyArn: model.keys[0].arn, identityPolicies: model.identityPolicies });
    expect(evaluator.evaluate({ principal: '${Admin.Arn}', action: 'kms:Decrypt' }).decision).toBe(AccessDecision.CANNOT_EVALUATE);
  });

  test('an empty or malformed template has no keys', () => {
    expect(readTemplate({})).toEqual({ keys: [], identityPolicies: {} });
    expect(readTemplate(undefined)).toEqual({ keys: [], identityPolicies: {} });
  });
});
