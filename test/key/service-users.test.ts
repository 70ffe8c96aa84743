import { App, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CustomerManagedKey, ServiceLinkedRole } from '../../src';
import { violationsOf } from '../nag/validate';
import { ACCOUNT, concrete, simulate } from '../support/policy-simulation';

const ENV = { account: ACCOUNT, region: 'us-east-1' };
const AUTO_SCALING_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
const SYMMETRIC_USAGE = [
  'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
];

function keyPolicy(stack: Stack): any {
  const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy;
}

function statement(policy: any, sid: string): any {
  const found = policy.Statement.find((s: any) => s.Sid === sid);
  if (!found) { throw new Error(`no statement ${sid}`); }
  return found;
}

function principalsOf(s: any): string[] {
  const aws = s.Principal.AWS;
  return (Array.isArray(aws) ? aws : [aws]).map((value: any) => concrete(value));
}

describe('the EC2 Auto Scaling service-linked role (encrypted EBS volumes)', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const key = new CustomerManagedKey(stack, 'Key');
  key.allowServiceLinkedRole(ServiceLinkedRole.autoScaling());
  const policy = keyPolicy(stack);

  test('joins the KeyUsage statement: the symmetric usage actions, no more', () => {
    const usage = statement(policy, 'KeyUsage');
    expect(principalsOf(usage)).toContain(AUTO_SCALING_ROLE);
    expect(usage.Action).toEqual(SYMMETRIC_USAGE);
    expect(usage.Condition).toBeUndefined();
  });

  test('may create grants for AWS resources only', () => {
    const grants = statement(policy, 'AllowAttachmentOfPersistentResources');
    expect(principalsOf(grants)).toContain(AUTO_SCALING_ROLE);
    expect(grants.Action).toEqual(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);
    expect(grants.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': true } });
  });

  test('appears in no other statement', () => {
    const naming = policy.Statement.filter((s: any) => s.Principal.AWS && principalsOf(s).includes(AUTO_SCALING_ROLE)).map((s: any) => s.Sid);
    expect(naming).toEqual(['KeyUsage', 'AllowAttachmentOfPersistentResources']);
  });

  describe('judged by iam-simulate', () => {
    const resolved = concrete(policy);
    test.each(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'])('%s: Allowed', async (action) => {
      expect(await simulate(resolved, { principal: AUTO_SCALING_ROLE, action })).toBe('Allowed');
    });
    test.each(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'])('%s: ImplicitlyDenied', async (action) => {
      expect(await simulate(resolved, { principal: AUTO_SCALING_ROLE, action })).toBe('ImplicitlyDenied');
    });
    test('CreateGrant: Allowed for an AWS resource, denied otherwise', async () => {
      expect(await simulate(resolved, { principal: AUTO_SCALING_ROLE, action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'true' } })).toBe('Allowed');
      expect(await simulate(resolved, { principal: AUTO_SCALING_ROLE, action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': 'false' } })).toBe('ImplicitlyDenied');
      expect(await simulate(resolved, { principal: AUTO_SCALING_ROLE, action: 'kms:CreateGrant' })).toBe('ImplicitlyDenied');
    });
  });
});

describe('naming service-linked roles', () => {
  test.each([
    [ServiceLinkedRole.autoScaling('fleet'), 'autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_fleet'],
    [ServiceLinkedRole.of('elasticmapreduce.amazonaws.com', 'AWSServiceRoleForEMRCleanup'), 'elasticmapreduce.amazonaws.com/AWSServiceRoleForEMRCleanup'],
  ])('%o', (role, path) => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    new CustomerManagedKey(stack, 'Key').allowServiceLinkedRole(role);
    expect(principalsOf(statement(keyPolicy(stack), 'KeyUsage'))).toContain(`arn:aws:iam::${ACCOUNT}:role/aws-service-role/${path}`);
  });

  test('an HMAC key gives a service-linked role the HMAC usage actions', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    new CustomerManagedKey(stack, 'Key', { keySpec: kms.KeySpec.HMAC_256 })
      .allowServiceLinkedRole(ServiceLinkedRole.of('example.amazonaws.com', 'AWSServiceRoleForExample'));
    expect(statement(keyPolicy(stack), 'KeyUsage').Action).toEqual(['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac']);
  });
});

describe('a service principal', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const key = new CustomerManagedKey(stack, 'Key');
  key.allowServicePrincipal('logs.us-east-1.amazonaws.com');
  key.allowServicePrincipal('example.amazonaws.com', {
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    sourceArns: [`arn:aws:example:us-east-1:${ACCOUNT}:thing/*`],
    allowResourceGrants: true,
  });
  const policy = keyPolicy(stack);

  test('gets the usage actions of the key type, only for resources of the key account', () => {
    expect(statement(policy, 'ServiceUsageLogsUsEast1AmazonawsCom')).toEqual({
      Sid: 'ServiceUsageLogsUsEast1AmazonawsCom',
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: SYMMETRIC_USAGE,
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    });
  });

  test('with options: the actions asked for (wildcards expanded), scoped by aws:SourceArn too', () => {
    expect(statement(policy, 'ServiceUsageExampleAmazonawsCom')).toEqual({
      Sid: 'ServiceUsageExampleAmazonawsCom',
      Effect: 'Allow',
      Principal: { Service: 'example.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': [`arn:aws:example:us-east-1:${ACCOUNT}:thing/*`] },
      },
    });
  });

  test('creates grants only for AWS resources, and only when asked to', () => {
    expect(statement(policy, 'ServiceResourceGrantsExampleAmazonawsCom')).toEqual({
      Sid: 'ServiceResourceGrantsExampleAmazonawsCom',
      Effect: 'Allow',
      Principal: { Service: 'example.amazonaws.com' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    });
    expect(policy.Statement.map((s: any) => s.Sid)).not.toContain('ServiceResourceGrantsLogsUsEast1AmazonawsCom');
  });

  describe('judged by iam-simulate', () => {
    const resolved = concrete(policy);
    const thing = `arn:aws:example:us-east-1:${ACCOUNT}:thing/1`;
    test.each([
      ['for its own account', 'Allowed', 'logs.us-east-1.amazonaws.com', 'kms:Decrypt', { 'aws:SourceAccount': ACCOUNT }],
      ['for another account (confused deputy)', 'ImplicitlyDenied', 'logs.us-east-1.amazonaws.com', 'kms:Decrypt', { 'aws:SourceAccount': '222222222222' }],
      ['without a source account', 'ImplicitlyDenied', 'logs.us-east-1.amazonaws.com', 'kms:Decrypt', {}],
      ['an administrative action', 'ImplicitlyDenied', 'logs.us-east-1.amazonaws.com', 'kms:PutKeyPolicy', { 'aws:SourceAccount': ACCOUNT }],
      ['a grant it was not given', 'ImplicitlyDenied', 'logs.us-east-1.amazonaws.com', 'kms:CreateGrant', { 'aws:SourceAccount': ACCOUNT, 'kms:GrantIsForAWSResource': 'true' }],
      ['for a matching source ARN', 'Allowed', 'example.amazonaws.com', 'kms:Decrypt', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': thing }],
      ['for another source ARN', 'ImplicitlyDenied', 'example.amazonaws.com', 'kms:Decrypt', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:example:us-east-1:${ACCOUNT}:other/1` }],
      ['an action it did not ask for', 'ImplicitlyDenied', 'example.amazonaws.com', 'kms:Encrypt', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': thing }],
      ['a grant for an AWS resource', 'Allowed', 'example.amazonaws.com', 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' }],
      ['a grant for anything else', 'ImplicitlyDenied', 'example.amazonaws.com', 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' }],
    ])('%s: %s', async (_name, expected, principal, action, context) => {
      expect(await simulate(resolved, { principal, action, context })).toBe(expected);
    });
  });
});

describe('KmsChecks treats service users as users', () => {
  test('a key with a service-linked role and a service principal has no policy finding', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const key = new CustomerManagedKey(stack, 'Key');
    key.allowServiceLinkedRole(ServiceLinkedRole.autoScaling());
    key.allowServicePrincipal('example.amazonaws.com', { allowResourceGrants: true });
    for (const rule of ['KmsChecks-KeyAdminAndUseSeparated', 'KmsChecks-KeyCreateGrantForAwsResourcesOnly', 'KmsChecks-KeyPolicyEvaluable']) {
      expect(violationsOf(stack, rule)).toEqual({});
    }
  });

  test('a service-linked role that also administers the key (written past the construct) is a separation finding', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const key = new CustomerManagedKey(stack, 'Key');
    key.allowServiceLinkedRole(ServiceLinkedRole.autoScaling());
    (key.node.defaultChild as kms.CfnKey).addPropertyOverride('KeyPolicy.Statement.1.Principal.AWS', AUTO_SCALING_ROLE);
    expect(Object.keys(violationsOf(stack, 'KmsChecks-KeyAdminAndUseSeparated'))).toEqual([`KmsChecks-KeyAdminAndUseSeparated[${AUTO_SCALING_ROLE}]`]);
  });
});

describe('bad input fails at synth, naming the prop, the value and what is allowed', () => {
  function on(keyProps: ConstructorParameters<typeof CustomerManagedKey>[2], call: (key: CustomerManagedKey) => void): () => void {
    return () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const key = new CustomerManagedKey(stack, 'Key', keyProps);
      call(key);
      Template.fromStack(stack);
    };
  }

  test.each([
    ['the Auto Scaling role on an HMAC key', { keySpec: kms.KeySpec.HMAC_256 }, (k: CustomerManagedKey) => k.allowServiceLinkedRole(ServiceLinkedRole.autoScaling()),
      /Stack\/Key: allowServiceLinkedRole\(ServiceLinkedRole.autoScaling\(\)\) on a key of type HMAC: EBS encrypts volumes with symmetric encryption keys only/],
    ['a role name IAM refuses', {}, (k: CustomerManagedKey) => k.allowServiceLinkedRole(ServiceLinkedRole.of('example.amazonaws.com', 'has space')),
      /'roleName' value "has space" is not an IAM role name/],
    ['a service principal that is not one', {}, (k: CustomerManagedKey) => k.allowServicePrincipal('Logs'),
      /'servicePrincipal' value "Logs" is not an AWS service principal/],
    ['an administrative action for a service', {}, (k: CustomerManagedKey) => k.allowServicePrincipal('logs.amazonaws.com', { actions: ['kms:PutKeyPolicy'] }),
      /'actions' contains "kms:PutKeyPolicy", an administrative action; a service that uses the key never administers it\. Allowed: kms:Decrypt/],
    ['an action of another key type', {}, (k: CustomerManagedKey) => k.allowServicePrincipal('logs.amazonaws.com', { actions: ['kms:Sign'] }),
      /'actions' contains "kms:Sign", not a usage action of a SYMMETRIC_ENCRYPTION key/],
    ['no action', {}, (k: CustomerManagedKey) => k.allowServicePrincipal('logs.amazonaws.com', { actions: [] }), /'actions' is empty/],
    ['no source ARN', {}, (k: CustomerManagedKey) => k.allowServicePrincipal('logs.amazonaws.com', { sourceArns: [] }), /'sourceArns' is empty/],
    ['the same service twice', {}, (k: CustomerManagedKey) => { k.allowServicePrincipal('logs.amazonaws.com'); k.allowServicePrincipal('logs.amazonaws.com'); },
      /allowServicePrincipal\(\) was called twice for "logs.amazonaws.com"/],
  ])('%s', (_name, keyProps, call, message) => {
    expect(on(keyProps, call)).toThrow(message);
  });

  test('a service-linked role that is also an administrator', () => {
    expect(() => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const role = stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling' });
      const key = new CustomerManagedKey(stack, 'Key', { administrators: [new iam.ArnPrincipal(role)] });
      key.allowServiceLinkedRole(ServiceLinkedRole.autoScaling());
      Template.fromStack(stack);
    }).toThrow(/is both administrator and user of this key/);
  });
});
