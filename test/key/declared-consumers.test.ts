import { App, CfnOutput, Stack, Tags, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessDecision, KeyAccessReport } from '../../src/access';
import { CustomerManagedKey, KeyConsumers, ReplicaKey } from '../../src/key';
import { ACCOUNT, KEY_ARN, SimulatedRequest, concrete, roleArn, simulate as simulateRequest } from '../support/policy-simulation';

const env = { account: ACCOUNT, region: 'us-east-1' };
const WORKLOAD = '222222222222';
const EVERYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

/** A security stack's key with `consumers`, and a role of `consumerEnv` granted Decrypt. */
function platform(consumers: KeyConsumers[], rolePath: string, consumerEnv = env) {
  const app = new App();
  const key = new CustomerManagedKey(new Stack(app, 'Security', { env }), 'Key', { consumers });
  const app2 = new Stack(app, 'Orders', { env: consumerEnv });
  const role = new iam.Role(app2, 'Fn', { path: rolePath, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  if (consumerEnv === env) { new CfnOutput(app2, 'K', { value: key.keyArn }); }
  key.grantDecrypt(role);
  const assembly = app.synth();
  const security = assembly.getStackByName('Security').template;
  const orders = assembly.getStackByName('Orders').template;
  const [keyId] = Object.entries(security.Resources).find(([, resource]: [string, any]) => resource.Type === 'AWS::KMS::Key')!;
  const adminId = Object.keys(security.Resources).find((id) => id.includes('AdminRole'))!;
  return { security, orders, keyPolicy: concrete(security.Resources[keyId].Properties.KeyPolicy), adminId };
}

/** iam-simulate takes aws:PrincipalArn from the request context only. */
function simulate(keyPolicy: any, request: SimulatedRequest): Promise<string> {
  return simulateRequest(keyPolicy, { ...request, context: { 'aws:PrincipalArn': request.principal, ...request.context } });
}

function identityPolicies(template: any): any[] {
  return Object.values(template.Resources).filter((resource: any) => resource.Type === 'AWS::IAM::Policy')
    .map((policy: any) => JSON.parse(JSON.stringify(policy.Properties.PolicyDocument).replace(/\{"Fn::ImportValue":"[^"]*"\}/g, JSON.stringify(KEY_ARN))))
    .map((document) => concrete(document));
}

function declared(keyPolicy: any): any[] {
  return keyPolicy.Statement.filter((statement: any) => statement.Sid.startsWith('DeclaredConsumers'));
}

describe('KeyConsumers.rolesMatching: roles of an app stack under a path', () => {
  const { security, orders, keyPolicy, adminId } = platform([KeyConsumers.rolesMatching('/app/orders/')], '/app/orders/');
  const consumer = `arn:aws:iam::${ACCOUNT}:role/app/orders/Orders-Fn-1`;

  test('one key policy statement for the account principal under aws:PrincipalArn; the role is neither named nor tagged', () => {
    expect(declared(keyPolicy)).toEqual([expect.objectContaining({
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/orders/*` } },
    })]);
    expect(JSON.stringify(security)).not.toContain('Fn::ImportValue');
    expect(JSON.stringify(security)).not.toContain('kms-consumer-');
    expect(JSON.stringify(orders)).not.toContain('kms-consumer-');
    Template.fromJSON(orders).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: { 'Fn::ImportValue': Match.anyValue() } }] },
    });
  });

  test('iam-simulate: a role under the path can decrypt; a role outside it cannot', async () => {
    const policies = identityPolicies(orders);
    expect(await simulate(keyPolicy, { principal: consumer, action: 'kms:Decrypt', identityPolicies: policies })).toBe('Allowed');
    expect(await simulate(keyPolicy, { principal: `arn:aws:iam::${ACCOUNT}:role/app/billing/Fn`, action: 'kms:Decrypt', identityPolicies: policies }))
      .toBe('ImplicitlyDenied');
  });

  test('iam-simulate: the key\'s administrator cannot use the key, even with kms:* in its identity policy', async () => {
    expect(await simulate(keyPolicy, { principal: roleArn(adminId), action: 'kms:Decrypt', identityPolicies: [EVERYTHING] })).toBe('ImplicitlyDenied');
  });

  test('the access report shows the path as a CONDITIONAL consumer', () => {
    const report = KeyAccessReport.fromTemplates([{ stackName: 'Security', template: security, account: ACCOUNT }]);
    const row = report.keys[0].principals.find((candidate) => candidate.principal.endsWith(':role/app/orders/*'))!;
    expect(row.use.decision).toBe(AccessDecision.CONDITIONAL);
    expect(row.use.statements).toEqual([expect.stringContaining('Sid DeclaredConsumers')]);
  });

  test('a role outside the path falls back to the library\'s tag', () => {
    const other = platform([KeyConsumers.rolesMatching('/app/orders/')], '/app/billing/');
    expect(other.keyPolicy.Statement.map((statement: any) => statement.Sid)).toContain('ConsumersGrantDecrypt');
  });
});

describe('KeyConsumers.taggedWith: roles of an app stack with a tag', () => {
  const { orders, keyPolicy, adminId } = platform([KeyConsumers.taggedWith('kms-team', 'orders')], '/');

  test('the key policy allows the account principal under aws:PrincipalTag, administrators excepted; the grant tags the role', () => {
    expect(declared(keyPolicy)).toEqual([expect.objectContaining({
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Condition: {
        StringEquals: { 'aws:PrincipalTag/kms-team': 'orders' },
        ArnNotEquals: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`, roleArn(adminId)] },
      },
    })]);
    Template.fromJSON(orders).hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: 'kms-team', Value: 'orders' }] });
  });

  test('iam-simulate: a tagged role can decrypt; an untagged one, or one with another value, cannot; the administrator cannot', async () => {
    const policies = identityPolicies(orders);
    const request = { principal: roleArn('Fn'), action: 'kms:Decrypt', identityPolicies: policies };
    expect(await simulate(keyPolicy, { ...request, context: { 'aws:PrincipalTag/kms-team': 'orders' } })).toBe('Allowed');
    expect(await simulate(keyPolicy, request)).toBe('ImplicitlyDenied');
    expect(await simulate(keyPolicy, { ...request, context: { 'aws:PrincipalTag/kms-team': 'billing' } })).toBe('ImplicitlyDenied');
    expect(await simulate(keyPolicy, { principal: roleArn(adminId), action: 'kms:Decrypt', identityPolicies: [EVERYTHING] })).toBe('ImplicitlyDenied');
  });

  test('iam-simulate: an administrator that tags itself with the consumer tag still cannot use the key', async () => {
    const tagged = { 'aws:PrincipalTag/kms-team': 'orders' };
    for (const admin of [roleArn(adminId), `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`]) {
      expect(await simulate(keyPolicy, { principal: admin, action: 'kms:Decrypt', identityPolicies: [EVERYTHING], context: tagged })).toBe('ImplicitlyDenied');
    }
  });
});

describe('KeyConsumers.inAccount: roles of a workload account', () => {
  const rule = KeyConsumers.inAccount(WORKLOAD, KeyConsumers.rolesMatching('/app/reports/'));
  const { security, orders, keyPolicy } = platform([rule], '/app/reports/', { account: WORKLOAD, region: 'us-east-1' });

  test('the key policy names the workload account under aws:PrincipalArn; the workload stack has the identity statement', () => {
    expect(declared(keyPolicy)).toEqual([expect.objectContaining({
      Principal: { AWS: `arn:aws:iam::${WORKLOAD}:root` },
      Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${WORKLOAD}:role/app/reports/*` } },
    })]);
    expect(JSON.stringify(security)).not.toContain(WORKLOAD + ':role/app/reports/Orders');
    Template.fromJSON(orders).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'] })] },
    });
  });

  test('iam-simulate: a workload role under the path can decrypt; one outside it, or of the key\'s account, cannot', async () => {
    const policies = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] }];
    expect(await simulate(keyPolicy, { principal: `arn:aws:iam::${WORKLOAD}:role/app/reports/Fn`, action: 'kms:Decrypt', identityPolicies: policies }))
      .toBe('Allowed');
    expect(await simulate(keyPolicy, { principal: `arn:aws:iam::${WORKLOAD}:role/ops/Fn`, action: 'kms:Decrypt', identityPolicies: policies }))
      .toBe('ImplicitlyDenied');
    expect(await simulate(keyPolicy, { principal: `arn:aws:iam::${ACCOUNT}:role/app/reports/Fn`, action: 'kms:Decrypt', identityPolicies: policies }))
      .toBe('ImplicitlyDenied');
  });

  test('the access report shows the workload account\'s roles under the path as CONDITIONAL consumers', () => {
    const report = KeyAccessReport.fromTemplates([{ stackName: 'Security', template: security, account: ACCOUNT }]);
    const row = report.keys[0].principals.find((candidate) => candidate.principal === `arn:aws:iam::${WORKLOAD}:role/app/reports/*`)!;
    expect(row.use.decision).toBe(AccessDecision.CONDITIONAL);
  });

  test('use through another account\'s root without a condition is refused at synth', () => {
    const key = new CustomerManagedKey(new Stack(new App(), 'Security', { env }), 'Key');
    expect(() => key.grantDecrypt(new iam.AccountPrincipal(WORKLOAD))).toThrow(/account "222222222222" through its root, without a condition.*KeyConsumers.inAccount/);
  });
});

describe('consumer rules that could match an administrator are refused', () => {
  test('a path that matches the admin role', () => {
    const app = new App();
    const stack = new Stack(app, 'Security', { env });
    const adminRole = new iam.Role(stack, 'Admin', { path: '/app/admin/', assumedBy: new iam.AccountRootPrincipal() });
    new CustomerManagedKey(stack, 'Key', { adminRole, consumers: [KeyConsumers.rolesMatching('/app/*')] });
    expect(() => app.synth()).toThrow(/KeyConsumers.rolesMatching\("\/app\/\*"\), which could match administrator Security\/Admin/);
  });

  test('a tag the admin role carries', () => {
    const app = new App();
    const stack = new Stack(app, 'Security', { env });
    const adminRole = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
    Tags.of(adminRole).add('kms-team', 'platform');
    new CustomerManagedKey(stack, 'Key', { adminRole, consumers: [KeyConsumers.taggedWith('kms-team', 'platform')] });
    expect(() => app.synth()).toThrow(/KeyConsumers.taggedWith\("kms-team", "platform"\), which could match administrator Security\/Admin/);
  });

  test('bad rules name the prop, the value and what is allowed', () => {
    const stack = new Stack(new App(), 'Security', { env });
    expect(() => new CustomerManagedKey(stack, 'A', { consumers: [KeyConsumers.rolesMatching('/*')] })).toThrow(/'consumers' has KeyConsumers.rolesMatching\("\/\*"\). Allowed: a role path pattern below the root/);
    expect(() => new CustomerManagedKey(stack, 'B', { consumers: [KeyConsumers.taggedWith('aws:team', 'x')] })).toThrow(/Allowed: a tag key not starting with "aws:"/);
    expect(() => new CustomerManagedKey(stack, 'C', { consumers: [KeyConsumers.inAccount('123', KeyConsumers.taggedWith('t', 'v'))] })).toThrow(/Allowed: a 12-digit account id/);
  });
});

describe('a replica admits its primary\'s declared consumers in its own Region', () => {
  const replicaEnv = { account: ACCOUNT, region: 'eu-central-1' };
  const app = new App();
  const primary = new CustomerManagedKey(new Stack(app, 'Security', { env }), 'Key', {
    multiRegion: true, consumers: [KeyConsumers.rolesMatching('/app/orders/')],
  });
  const [replica] = ReplicaKey.replicateToRegions(app, primary, [replicaEnv.region]);
  const orders = new Stack(app, 'OrdersEu', { env: replicaEnv });
  const role = new iam.Role(orders, 'Fn', { path: '/app/orders/', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new CfnOutput(orders, 'K', { value: replica.keyArn });
  replica.grantDecrypt(role);
  const assembly = app.synth();
  const replicaTemplate = assembly.getStackByName(Stack.of(replica).stackName).template;
  const [, replicaResource] = Object.entries(replicaTemplate.Resources).find(([, resource]: [string, any]) => resource.Type === 'AWS::KMS::ReplicaKey')! as [string, any];
  const keyPolicy = concrete(replicaResource.Properties.KeyPolicy, replicaEnv.region);
  const policies = identityPolicies(assembly.getStackByName('OrdersEu').template);

  test('the replica\'s key policy has the primary\'s rule; the grant writes only the consumer\'s identity policy', () => {
    expect(declared(keyPolicy)).toEqual([expect.objectContaining({
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/orders/*` } },
    })]);
    expect(JSON.stringify(replicaTemplate)).not.toContain('kms-consumer-');
  });

  test('iam-simulate: a role under the path can decrypt with the replica; a role outside it, and the administrators, cannot, even with kms:*', async () => {
    const request = { action: 'kms:Decrypt' };
    expect(await simulate(keyPolicy, { ...request, principal: `arn:aws:iam::${ACCOUNT}:role/app/orders/OrdersEu-Fn-1`, identityPolicies: policies }))
      .toBe('Allowed');
    expect(await simulate(keyPolicy, { ...request, principal: `arn:aws:iam::${ACCOUNT}:role/app/billing/Fn`, identityPolicies: [EVERYTHING] }))
      .toBe('ImplicitlyDenied');
    const admins = keyPolicy.Statement.find((statement: any) => statement.Sid === 'KeyAdministration').Principal.AWS;
    for (const admin of [admins].flat()) {
      expect(await simulate(keyPolicy, { ...request, principal: admin, identityPolicies: [EVERYTHING] })).toBe('ImplicitlyDenied');
    }
  });
});
