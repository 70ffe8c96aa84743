import { App, CfnOutput, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessDecision, KeyAccessReport } from '../../src/access';
import { EncryptedBucket } from '../../src/bucket';
import { CustomerManagedKey } from '../../src/key';
import { ACCOUNT, KEY_ARN, concrete, roleArn, simulate } from '../support/policy-simulation';

const env = { account: ACCOUNT, region: 'us-east-1' };

/** The snippet of issue 14, as written: a key in a security stack, used by a role of an app stack. */
function platformApp() {
  const app = new App();
  const sec = new Stack(app, 'Security', { env });
  const key = new CustomerManagedKey(sec, 'Key');
  const orders = new Stack(app, 'Orders', { env });
  const role = new iam.Role(orders, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new CfnOutput(orders, 'K', { value: key.keyArn }); // the app uses the key
  key.grantDecrypt(role);
  const assembly = app.synth();
  return {
    key, security: assembly.getStackByName('Security').template, orders: assembly.getStackByName('Orders').template,
  };
}

const ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:root`]] };
const DEPLOYMENT_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1`;
const DEPLOYMENT_ROLE = { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-us-east-1` };

/** The key's ARN where the consumer's stack imports it: the simulations' key. */
function withKeyArn(value: any): any {
  if (Array.isArray(value)) { return value.map(withKeyArn); }
  if (value === null || typeof value !== 'object') { return value; }
  if ('Fn::ImportValue' in value) { return KEY_ARN; }
  return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, withKeyArn(entry)]));
}

function resourcesOf(template: any, type: string): [string, any][] {
  return Object.entries(template.Resources).filter(([, resource]: [string, any]) => resource.Type === type) as [string, any][];
}

describe('a key used by a role of another stack of the same account', () => {
  const { security, orders } = platformApp();
  const keyPolicy = concrete(resourcesOf(security, 'AWS::KMS::Key')[0][1].Properties.KeyPolicy);
  const [consumerId, consumer] = resourcesOf(orders, 'AWS::IAM::Role')[0];
  const consumerTags: Record<string, string> = Object.fromEntries((consumer.Properties.Tags ?? []).map((tag: any) => [tag.Key, tag.Value]));
  const identityPolicies = resourcesOf(orders, 'AWS::IAM::Policy').map(([, policy]) => concrete(withKeyArn(policy.Properties.PolicyDocument)));
  const tagKey = Object.keys(consumerTags).find((name) => name.startsWith('kms-consumer-'));
  const adminId = resourcesOf(security, 'AWS::IAM::Role').find(([id]) => id.includes('AdminRole'))![0];

  test('synthesizes as written: the security stack never refers to the app stack', () => {
    expect(JSON.stringify(security)).not.toContain('Fn::ImportValue');
    expect(JSON.stringify(security)).not.toContain(consumerId);
  });

  test('the key policy allows the account principal only under the consumer tag, with the grant\'s actions', () => {
    expect(tagKey).toMatch(/^kms-consumer-[0-9a-f]{8}-GrantDecrypt$/);
    Template.fromJSON(security).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'ConsumersGrantDecrypt',
          Effect: 'Allow',
          Principal: { AWS: ROOT },
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
          Condition: {
            StringEquals: { [`aws:PrincipalTag/${tagKey}`]: 'true' },
            // No administrator of the key, even one that tags itself, is a consumer.
            ArnNotEquals: { 'aws:PrincipalArn': [DEPLOYMENT_ROLE, { 'Fn::GetAtt': [adminId, 'Arn'] }] },
          },
        }]),
      },
    });
  });

  test('no statement gives use to the account principal without a condition (administration too is narrowed to the deployment role)', () => {
    const unconditioned = keyPolicy.Statement.filter((statement: any) => JSON.stringify(statement.Principal).includes(':root') && !statement.Condition);
    expect(unconditioned.map((statement: any) => statement.Sid)).toEqual([]);
  });

  test('the consumer\'s stack has the identity statement and the tag', () => {
    expect(consumerTags[tagKey!]).toBe('true');
    expect(identityPolicies).toEqual([expect.objectContaining({
      Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: KEY_ARN }],
    })]);
  });

  test('iam-simulate: the consumer can decrypt', async () => {
    const principalTags = Object.fromEntries(Object.entries(consumerTags).map(([name, value]) => [`aws:PrincipalTag/${name}`, value]));
    expect(await simulate(keyPolicy, { principal: roleArn(consumerId), action: 'kms:Decrypt', context: principalTags, identityPolicies }))
      .toBe('Allowed');
  });

  test('iam-simulate: a role without the tag cannot, even with the same identity policy', async () => {
    expect(await simulate(keyPolicy, { principal: roleArn('Other'), action: 'kms:Decrypt', identityPolicies })).toBe('ImplicitlyDenied');
    expect(await simulate(keyPolicy, {
      principal: roleArn('Other'), action: 'kms:Decrypt', identityPolicies, context: { [`aws:PrincipalTag/${tagKey}`]: 'false' },
    })).toBe('ImplicitlyDenied');
  });

  test('iam-simulate: the key\'s administrator cannot use the key, even with kms:* in its identity policy', async () => {
    const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
    expect(await simulate(keyPolicy, { principal: roleArn(adminId), action: 'kms:Decrypt', identityPolicies: [everything] }))
      .toBe('ImplicitlyDenied');
  });

  test.each([['the key\'s administrator', () => roleArn(adminId)], ['the deployment role', () => DEPLOYMENT_ROLE_ARN]])(
    'iam-simulate: %s cannot use the key even when it carries the consumer tag', async (_name, principal) => {
      const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
      const context = { [`aws:PrincipalTag/${tagKey}`]: 'true', 'aws:PrincipalArn': principal() };
      expect(await simulate(keyPolicy, { principal: principal(), action: 'kms:Decrypt', identityPolicies: [everything], context }))
        .toBe('ImplicitlyDenied');
      // The same request from a consumer role is allowed: the tag, not the identity policy, is what the key checks.
      expect(await simulate(keyPolicy, { principal: roleArn('Other'), action: 'kms:Decrypt', identityPolicies: [everything], context: { ...context, 'aws:PrincipalArn': roleArn('Other') } }))
        .toBe('Allowed');
    });

  test('the access report shows the account\'s tagged principals as CONDITIONAL consumers, with the tag condition', () => {
    const report = KeyAccessReport.fromTemplates([{ stackName: 'Security', template: security, account: ACCOUNT }]);
    const row = report.keys[0].principals.find((candidate) => candidate.principal === `arn:aws:iam::${ACCOUNT}:*`)!;
    expect(row.use.decision).toBe(AccessDecision.CONDITIONAL);
    expect(row.use.conditions).toEqual([
      `StringEquals aws:PrincipalTag/${tagKey} true`,
      `ArnNotEquals aws:PrincipalArn [${DEPLOYMENT_ROLE_ARN}, \${${adminId}.Arn}]`,
    ]);
  });
});

describe('grants to consumers in other stacks', () => {
  test('two grants on one key get one tag and one statement each; a second grantee joins them', () => {
    const app = new App();
    const key = new CustomerManagedKey(new Stack(app, 'Security', { env }), 'Key');
    const orders = new Stack(app, 'Orders', { env });
    const first = new iam.Role(orders, 'First', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const second = new iam.Role(orders, 'Second', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.grantDecrypt(first);
    key.grantDecrypt(second);
    key.grantEncrypt(second);
    const statements = Template.fromStack(Stack.of(key)).findResources('AWS::KMS::Key');
    const sids = Object.values(statements)[0].Properties.KeyPolicy.Statement
      .filter((statement: any) => statement.Sid.startsWith('Consumers'))
      .map((statement: any) => [statement.Sid, statement.Principal.AWS, Object.keys(statement.Condition.StringEquals)[0].replace(/[0-9a-f]{8}/, 'HASH')]);
    expect(sids).toEqual([
      ['ConsumersGrantDecrypt', ROOT, 'aws:PrincipalTag/kms-consumer-HASH-GrantDecrypt'],
      ['ConsumersGrantEncrypt', ROOT, 'aws:PrincipalTag/kms-consumer-HASH-GrantEncrypt'],
    ]);
    const tags = (id: string) => Template.fromStack(orders).findResources('AWS::IAM::Role')[id].Properties.Tags.map((tag: any) => tag.Key.replace(/[0-9a-f]{8}/, 'HASH'));
    expect(tags(orders.getLogicalId(first.node.defaultChild as iam.CfnRole))).toEqual(['kms-consumer-HASH-GrantDecrypt']);
    expect(tags(orders.getLogicalId(second.node.defaultChild as iam.CfnRole))).toEqual(['kms-consumer-HASH-GrantDecrypt', 'kms-consumer-HASH-GrantEncrypt']);
  });

  test('a role of the key\'s own stack is still named in the key policy, untagged', () => {
    const stack = new Stack(new App(), 'Security', { env });
    const key = new CustomerManagedKey(stack, 'Key');
    const role = new iam.Role(stack, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.grantDecrypt(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'GrantDecrypt',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'] } },
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
        }]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('kms-consumer-');
  });
});

describe('an EncryptedBucket of the security stack, read by a role of an app stack', () => {
  test('synthesizes without a cycle; the key statement keeps the S3 conditions and adds the tag', () => {
    const app = new App();
    const bucket = new EncryptedBucket(new Stack(app, 'Data', { env }), 'Orders');
    const orders = new Stack(app, 'Orders', { env });
    const role = new iam.Role(orders, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new CfnOutput(orders, 'B', { value: bucket.bucketArn });
    bucket.grantRead(role);
    const assembly = app.synth();
    const data = assembly.getStackByName('Data').template;
    const statements = resourcesOf(data, 'AWS::KMS::Key')[0][1].Properties.KeyPolicy.Statement;
    const consumer = statements.find((statement: any) => statement.Sid.startsWith('ConsumersS3Read'));
    expect(Object.keys(consumer.Condition.StringEquals).sort()).toEqual([
      expect.stringMatching(/^aws:PrincipalTag\/kms-consumer-[0-9a-f]{8}-S3Read/), 'kms:EncryptionContext:aws:s3:arn', 'kms:ViaService',
    ]);
    expect(JSON.stringify(data)).not.toContain('Fn::ImportValue');
  });
});
