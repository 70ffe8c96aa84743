import { App, CfnParameter, Fn, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Expect, newStack, validateStack, violationsOf } from './validate';
import { CustomerManagedKey } from '../../src';

const ROOT = { AWS: 'arn:aws:iam::111111111111:root' };
const ADMIN_ACTIONS = ['kms:PutKeyPolicy', 'kms:DescribeKey', 'kms:ScheduleKeyDeletion'];

/** A CfnKey whose policy is the given statements, plus a root statement for administration. */
function keyWith(stack: Stack, ...statements: any[]): kms.CfnKey {
  return new kms.CfnKey(stack, 'Key', {
    keyPolicy: {
      Version: '2012-10-17',
      Statement: [{ Sid: 'RootAdministers', Effect: 'Allow', Principal: ROOT, Action: ADMIN_ACTIONS, Resource: '*' }, ...statements],
    },
  });
}

function role(stack: Stack, id = 'AppRole'): iam.Role {
  return new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

describe('KmsChecks-KeyPolicyNotLockedOut', () => {
  test('a policy that lets nobody call kms:PutKeyPolicy is non-compliant', () => {
    const stack = newStack();
    const user = role(stack);
    new kms.CfnKey(stack, 'Key', {
      keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: user.roleArn }, Action: 'kms:Decrypt', Resource: '*' }] },
    });
    validateStack(stack, 'KmsChecks-KeyPolicyNotLockedOut', Expect.NON_COMPLIANCE);
  });

  test('an explicit Deny of kms:PutKeyPolicy to everyone locks the key out', () => {
    const stack = newStack();
    keyWith(stack, { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' });
    validateStack(stack, 'KmsChecks-KeyPolicyNotLockedOut', Expect.NON_COMPLIANCE);
  });

  test('administration delegated to the account root is compliant', () => {
    const stack = newStack();
    keyWith(stack);
    validateStack(stack, 'KmsChecks-KeyPolicyNotLockedOut', Expect.COMPLIANCE);
  });

  test('a key administrator named by role is compliant', () => {
    const stack = newStack();
    const admin = role(stack, 'Admin');
    new kms.CfnKey(stack, 'Key', {
      keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: admin.roleArn }, Action: 'kms:PutKeyPolicy', Resource: '*' }] },
    });
    validateStack(stack, 'KmsChecks-KeyPolicyNotLockedOut', Expect.COMPLIANCE);
  });

  test('a principal chosen by Fn::If is CannotEvaluate, not a pass', () => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', {
      keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: Fn.conditionIf('Prod', 'arn:aws:iam::111111111111:role/a', 'arn:aws:iam::111111111111:role/b') }, Action: 'kms:PutKeyPolicy', Resource: '*' }] },
    });
    expect(violationsOf(stack, 'KmsChecks-KeyPolicyNotLockedOut')).toEqual({ 'KmsChecks-KeyPolicyNotLockedOut[CannotEvaluate]': ['Stack/Key'] });
  });
});

describe('KmsChecks-KeyPolicyNoRootFullAccess', () => {
  test('aws-cdk-lib kms.Key\'s default policy (root kms:*) is non-compliant', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key');
    validateStack(stack, 'KmsChecks-KeyPolicyNoRootFullAccess', Expect.NON_COMPLIANCE);
  });

  test('NotAction that excludes nothing KMS has is evaluated as kms:*', () => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', { keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, NotAction: 's3:*', Resource: '*' }] } });
    validateStack(stack, 'KmsChecks-KeyPolicyNoRootFullAccess', Expect.NON_COMPLIANCE);
  });

  test('root with kms:* under a condition is compliant', () => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', {
      keyPolicy: { Statement: [{ Effect: 'Allow', Principal: ROOT, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'security' } } }] },
    });
    validateStack(stack, 'KmsChecks-KeyPolicyNoRootFullAccess', Expect.COMPLIANCE);
  });

  test('CustomerManagedKey delegates administration only and is compliant', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key');
    validateStack(stack, 'KmsChecks-KeyPolicyNoRootFullAccess', Expect.COMPLIANCE);
  });
});

describe('KmsChecks-KeyAdminAndUseSeparated', () => {
  test('a role named as administrator and as user is reported by its canonical ARN', () => {
    const stack = newStack();
    const both = role(stack, 'Both');
    keyWith(stack,
      { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: both.roleArn }, Action: ADMIN_ACTIONS, Resource: '*' },
      { Sid: 'Use', Effect: 'Allow', Principal: { AWS: both.roleArn }, Action: ['kms:Decrypt'], Resource: '*' });
    const logicalId = stack.getLogicalId(both.node.defaultChild as iam.CfnRole);
    expect(violationsOf(stack, 'KmsChecks-KeyAdminAndUseSeparated')).toEqual({ [`KmsChecks-KeyAdminAndUseSeparated[\${${logicalId}.Arn}]`]: ['Stack/Key'] });
  });

  test('a user that administers through the account-root delegation and its identity policy is found', () => {
    const stack = newStack();
    const user = role(stack, 'User');
    const key = keyWith(stack, { Sid: 'Use', Effect: 'Allow', Principal: { AWS: user.roleArn }, Action: ['kms:Decrypt'], Resource: '*' });
    user.addToPolicy(new iam.PolicyStatement({ actions: ['kms:PutKeyPolicy'], resources: [key.attrArn] }));
    expect(Object.keys(violationsOf(stack, 'KmsChecks-KeyAdminAndUseSeparated'))).toHaveLength(1);
  });

  test('separate administrator and user roles are compliant', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key', { users: [role(stack, 'Extra')] });
    validateStack(stack, 'KmsChecks-KeyAdminAndUseSeparated', Expect.COMPLIANCE);
  });
});

describe('KmsChecks-KeyPolicyWildcardPrincipalRestricted', () => {
  test.each([
    ['no condition', undefined],
    ['a condition that does not limit who', { Bool: { 'aws:SecureTransport': 'true' } }],
    ['a negated limiting condition', { StringNotEquals: { 'kms:CallerAccount': '111111111111' } }],
    ['an IfExists limiting condition', { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc' } }],
  ])('Principal * with %s is non-compliant', (_name, condition) => {
    const stack = newStack();
    keyWith(stack, { Sid: 'Everyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: condition });
    expect(violationsOf(stack, 'KmsChecks-KeyPolicyWildcardPrincipalRestricted')).toEqual({ 'KmsChecks-KeyPolicyWildcardPrincipalRestricted[Everyone]': ['Stack/Key'] });
  });

  test.each([
    { StringEquals: { 'kms:CallerAccount': '111111111111', 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    { StringEquals: { 'aws:SourceAccount': '111111111111' } },
  ])('Principal * limited by %j is compliant', (condition) => {
    const stack = newStack();
    keyWith(stack, { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: condition });
    validateStack(stack, 'KmsChecks-KeyPolicyWildcardPrincipalRestricted', Expect.COMPLIANCE);
  });
});

describe('KmsChecks-KeyCreateGrantForAwsResourcesOnly', () => {
  test('a user with an unrestricted kms:CreateGrant is non-compliant', () => {
    const stack = newStack();
    const user = role(stack, 'User');
    keyWith(stack, { Effect: 'Allow', Principal: { AWS: user.roleArn }, Action: ['kms:Decrypt', 'kms:CreateGrant'], Resource: '*' });
    validateStack(stack, 'KmsChecks-KeyCreateGrantForAwsResourcesOnly', Expect.NON_COMPLIANCE);
  });

  test('a user whose CreateGrant needs another condition is non-compliant', () => {
    const stack = newStack();
    const user = role(stack, 'User');
    keyWith(stack, { Effect: 'Allow', Principal: { AWS: user.roleArn }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': true } } });
    validateStack(stack, 'KmsChecks-KeyCreateGrantForAwsResourcesOnly', Expect.NON_COMPLIANCE);
  });

  test('grants limited to AWS resources are compliant', () => {
    const stack = newStack();
    const user = role(stack, 'User');
    keyWith(stack, { Effect: 'Allow', Principal: { AWS: user.roleArn }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } });
    validateStack(stack, 'KmsChecks-KeyCreateGrantForAwsResourcesOnly', Expect.COMPLIANCE);
  });

  test('an administrator (who may call kms:PutKeyPolicy) is not judged by this rule', () => {
    const stack = newStack();
    keyWith(stack, { Effect: 'Allow', Principal: ROOT, Action: 'kms:CreateGrant', Resource: '*' });
    validateStack(stack, 'KmsChecks-KeyCreateGrantForAwsResourcesOnly', Expect.COMPLIANCE);
  });
});

describe('KmsChecks-KeyPolicyEvaluable', () => {
  test('a principal from a parameter is a finding', () => {
    const stack = newStack();
    const principal = new CfnParameter(stack, 'Admin', { type: 'String' });
    keyWith(stack, { Effect: 'Allow', Principal: { AWS: principal.valueAsString }, Action: 'kms:Decrypt', Resource: '*' });
    expect(violationsOf(stack, 'KmsChecks-KeyPolicyEvaluable')).toEqual({ 'KmsChecks-KeyPolicyEvaluable[KeyPolicy.Statement1.Principal]': ['Stack/Key'] });
  });

  test('a policy of literals and template references is compliant', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key');
    validateStack(stack, 'KmsChecks-KeyPolicyEvaluable', Expect.COMPLIANCE);
  });
});

describe('KmsChecks-IamNoKmsWildcardOnAllResources', () => {
  test.each([['kms:*'], ['kms:Decrypt'], ['kms:De*'], ['*']])('an identity policy allowing %s on * is non-compliant', (action) => {
    const stack = newStack();
    role(stack).addToPolicy(new iam.PolicyStatement({ sid: 'Broad', actions: [action], resources: ['*'] }));
    expect(violationsOf(stack, 'KmsChecks-IamNoKmsWildcardOnAllResources')).toEqual({
      'KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.Broad]': ['Stack/AppRole/DefaultPolicy/Resource'],
    });
  });

  test('a managed policy and a role inline policy are read too', () => {
    const stack = newStack();
    new iam.ManagedPolicy(stack, 'Managed', { statements: [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] })] });
    new iam.CfnRole(stack, 'Inline', {
      assumeRolePolicyDocument: {},
      policies: [{ policyName: 'crypto', policyDocument: { Statement: [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }] } }],
    });
    expect(violationsOf(stack, 'KmsChecks-IamNoKmsWildcardOnAllResources')).toEqual({
      'KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.Statement0]': ['Stack/Managed/Resource'],
      'KmsChecks-IamNoKmsWildcardOnAllResources[crypto.Statement0]': ['Stack/Inline'],
    });
  });

  test.each([
    ['a named key', { actions: ['kms:Decrypt'], resources: ['arn:aws:kms:eu-west-1:111111111111:key/1'] }],
    ['a kms:ViaService condition', { actions: ['kms:Decrypt'], resources: ['*'], conditions: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } }],
    ['read-only actions', { actions: ['kms:DescribeKey', 'kms:List*'], resources: ['*'] }],
  ])('%s is compliant', (_name, props) => {
    const stack = newStack();
    role(stack).addToPolicy(new iam.PolicyStatement(props));
    validateStack(stack, 'KmsChecks-IamNoKmsWildcardOnAllResources', Expect.COMPLIANCE);
  });

  test('a key ARN imported from the stack that owns the key (Fn::ImportValue) names one key: compliant', () => {
    const stack = newStack();
    role(stack).addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [Fn.importValue('Security:DataKeyArn')] }));
    validateStack(stack, 'KmsChecks-IamNoKmsWildcardOnAllResources', Expect.COMPLIANCE);
  });

  test('a consumer role in another stack, granted by the key, is compliant (its Resource is the exported key ARN)', () => {
    const security = newStack();
    const key = new CustomerManagedKey(security, 'DataKey');
    const consumer = new Stack(security.node.root as App, 'Orders', { env: { account: '111111111111', region: 'eu-west-1' } });
    key.grantDecrypt(role(consumer));
    // The reference becomes an export and an import when the app is prepared for synth.
    (security.node.root as App).synth();
    validateStack(consumer, 'KmsChecks-IamNoKmsWildcardOnAllResources', Expect.COMPLIANCE);
  });

  test.each([
    ['chosen by Fn::If', Fn.conditionIf('Wide', '*', 'arn:aws:kms:eu-west-1:111111111111:key/1').toString()],
    ['joined around an imported value', Fn.join('', [Fn.importValue('Prefix'), '*'])],
  ])('a Resource %s cannot be read at synth: CannotEvaluate', (_name, resource) => {
    const stack = newStack();
    role(stack).addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [resource] }));
    validateStack(stack, 'KmsChecks-IamNoKmsWildcardOnAllResources', Expect.CANNOT_EVALUATE);
  });
});
