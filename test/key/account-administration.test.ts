import { App, LegacyStackSynthesizer, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountAdministration, CloudHsmKey, CloudHsmKeyStore, CustomerManagedKey, CustomerManagedKeyProps } from '../../src';
import { ACCOUNT, concrete, simulate } from '../support/policy-simulation';

const ENV = { account: ACCOUNT, region: 'us-east-1' };
const EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`;
const KMS_ADMIN_USER = `arn:aws:iam::${ACCOUNT}:user/kms-admin`;

function keyPolicy(stack: Stack): any {
  const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy;
}

function accountStatement(policy: any): any {
  return policy.Statement.find((statement: any) => statement.Sid === 'AccountAdministration');
}

function keyIn(stack: Stack, props: CustomerManagedKeyProps = {}): CustomerManagedKey {
  return new CustomerManagedKey(stack, 'Key', props);
}

/** Anyone with kms:* in an identity policy: what wholeAccount() delegates PutKeyPolicy to. */
const KMS_STAR = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

describe('AccountAdministration scopes', () => {
  test('default with DefaultStackSynthesizer: only the CloudFormation execution role, by aws:PrincipalArn', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    keyIn(stack);
    const statement = accountStatement(keyPolicy(stack));
    expect(statement.Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': [{ 'Fn::Sub': `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1` }] },
    });
    expect(statement.Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
  });

  test('deploymentRoleOnly (iam-simulate): an IAM user with kms:* can no longer rewrite the key policy; the execution role still can (lockout safety check) and cannot decrypt', async () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    keyIn(stack);
    const policy = concrete(keyPolicy(stack));
    const as = (principal: string, action: string) => simulate(policy, {
      principal, action, identityPolicies: [KMS_STAR], context: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': ACCOUNT },
    });
    expect(await as(KMS_ADMIN_USER, 'kms:PutKeyPolicy')).toBe('ImplicitlyDenied');
    expect(await as(EXEC_ROLE, 'kms:PutKeyPolicy')).toBe('Allowed');
    expect(await as(EXEC_ROLE, 'kms:Decrypt')).toBe('ImplicitlyDenied');
  });

  test('wholeAccount() (iam-simulate): the stated trade-off, any principal with kms:* may rewrite the policy', async () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    keyIn(stack, { accountAdministrationScope: AccountAdministration.wholeAccount() });
    expect(accountStatement(keyPolicy(stack)).Condition).toBeUndefined();
    const policy = concrete(keyPolicy(stack));
    expect(await simulate(policy, { principal: KMS_ADMIN_USER, action: 'kms:PutKeyPolicy', identityPolicies: [KMS_STAR] })).toBe('Allowed');
  });

  test('restrictedTo() names the principals given', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    keyIn(stack, { accountAdministrationScope: AccountAdministration.restrictedTo(new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/pipeline`)) });
    expect(accountStatement(keyPolicy(stack)).Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/pipeline`] } });
  });

  test('restrictedTo() with nothing, or with a service principal, is refused', () => {
    expect(() => keyIn(new Stack(new App(), 'Stack', { env: ENV }), { accountAdministrationScope: AccountAdministration.restrictedTo() }))
      .toThrow(/^Stack\/Key: 'accountAdministrationScope' is restrictedTo\(\) with no principal/);
    expect(() => keyIn(new Stack(new App(), 'Stack', { env: ENV }), {
      accountAdministrationScope: AccountAdministration.restrictedTo(new iam.ServicePrincipal('lambda.amazonaws.com')),
    })).toThrow(/'accountAdministrationScope' restrictedTo\(\) got \{"Service":\["lambda.amazonaws.com"\]\}\. Allowed: IAM roles or users/);
  });

  test('LegacyStackSynthesizer: the default is wholeAccount (the deployer cannot be named); deploymentRoleOnly() is refused', () => {
    const legacy = new Stack(new App(), 'Stack', { env: ENV, synthesizer: new LegacyStackSynthesizer() });
    keyIn(legacy);
    expect(accountStatement(keyPolicy(legacy)).Condition).toBeUndefined();
    const explicit = new Stack(new App(), 'Stack', { env: ENV, synthesizer: new LegacyStackSynthesizer() });
    expect(() => keyIn(explicit, { accountAdministrationScope: AccountAdministration.deploymentRoleOnly() }))
      .toThrow(/'accountAdministrationScope' is deploymentRoleOnly\(\), but the stack's synthesizer \(LegacyStackSynthesizer\) names no CloudFormation execution role/);
  });

  test('an environment-agnostic stack names the execution role with pseudo parameters, through Fn::Sub', () => {
    const stack = new Stack(new App(), 'Stack');
    keyIn(stack);
    expect(accountStatement(keyPolicy(stack)).Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}' }] },
    });
  });

  test('a CloudHsmKey admits its handler role whatever the scope (it calls PutKeyPolicy through IAM)', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const keyStore = CloudHsmKeyStore.fromCustomKeyStoreId(stack, 'Store', 'cks-1234567890abcdef0');
    new CloudHsmKey(stack, 'Key', { keyStore });
    const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::KmsCloudHsmKey'));
    const arns = accountStatement(resource.Properties.KeyPolicy).Condition.ArnEquals['aws:PrincipalArn'];
    expect(arns).toEqual([expect.objectContaining({ 'Fn::Sub': expect.stringContaining('cfn-exec-role') }), { 'Fn::GetAtt': [expect.stringMatching(/^CdkKmsPatternsCloudHsmKeyProviderHandlerRole/), 'Arn'] }]);
  });
});

describe('separation of duties under each scope', () => {
  const ordersConsumers = new iam.PrincipalWithConditions(new iam.AccountRootPrincipal(), {
    ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/orders/*` },
  });

  test('deploymentRoleOnly: a use statement on the account narrowed to a role path that no administrator matches is accepted', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    keyIn(stack).grantDecrypt(ordersConsumers);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('wholeAccount: the same statement is refused, every IAM principal of the account may administer', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    keyIn(stack, { accountAdministrationScope: AccountAdministration.wholeAccount() }).grantDecrypt(ordersConsumers);
    expect(() => Template.fromStack(stack)).toThrow(/the account principal .* is both administrator and user of this key: it administers through Sid AccountAdministration and uses it through Sid GrantDecrypt/);
  });

  test('deploymentRoleOnly: a pattern that matches the execution role is refused', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    keyIn(stack).grantDecrypt(new iam.PrincipalWithConditions(new iam.AccountRootPrincipal(), {
      ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/cdk-*` },
    }));
    expect(() => Template.fromStack(stack)).toThrow(/principal arn:aws:iam::111111111111:role\/cdk-hnb659fds-cfn-exec-role-111111111111-us-east-1 is both administrator and user/);
  });

  test('deploymentRoleOnly: the account root in a use statement is still refused (the execution role could use it)', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    keyIn(stack).grantDecrypt(new iam.AccountRootPrincipal());
    expect(() => Template.fromStack(stack)).toThrow(/is both administrator and user of this key: it administers through Sid AccountAdministration and uses it through Sid GrantDecrypt/);
  });
});
