import { App, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CustomerManagedKey, EncryptedBucket } from '../../src';
import { ACCOUNT, concrete, roleArn, simulateUnchecked } from '../support/policy-simulation';

const REGION = 'us-east-1';
const OWNER_ACCOUNT = '222222222222';
const FOREIGN_KEY_ARN = `arn:aws:kms:${REGION}:${OWNER_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function appStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: REGION } });
}

/** The statements of every identity policy in the template, concrete. */
function identityPolicies(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).map((policy: any) => concrete(policy.Properties.PolicyDocument, REGION));
}

/** The key-policy statement a KeyPolicyHalfIsTheOwnersJob warning asks the key's owner to add. */
function ownerStatements(stack: Stack): Array<{ sid: string; statement: any }> {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('KeyPolicyHalfIsTheOwnersJob')).map((entry) => {
    const match = /statement (\S+): (\{.*\})\. Until then/.exec(String(entry.entry.data));
    if (!match) { throw new Error(`no statement in ${String(entry.entry.data)}`); }
    return { sid: match[1], statement: JSON.parse(match[2]) };
  });
}

describe('EncryptedBucket with a key of another account, imported by ARN', () => {
  const stack = appStack();
  const key = CustomerManagedKey.fromKeyArn(stack, 'SharedKey', FOREIGN_KEY_ARN);
  const bucket = new EncryptedBucket(stack, 'Orders', { encryptionKey: key });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  bucket.grantRead(reader);
  const template = Template.fromStack(stack);
  const readerArn = roleArn(stack.getLogicalId(reader.node.defaultChild as iam.CfnRole));
  const bucketArn = `arn:aws:s3:::${concreteBucketName(template)}`;
  const identity = identityPolicies(template);
  const [owner] = ownerStatements(stack);
  const keyPolicy = { Version: '2012-10-17', Statement: [{ ...owner.statement, Principal: { AWS: readerArn }, Condition: concrete(owner.statement.Condition, REGION) }] };
  const s3Context = { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': bucketArn };

  test('the bucket encrypts with that key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { KMSMasterKeyID: FOREIGN_KEY_ARN } }],
      },
    });
  });

  test('the reader gets the identity half: kms:Decrypt on that key, through S3, for this bucket only', () => {
    expect(identity[0].Statement).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: FOREIGN_KEY_ARN,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': bucketArn } },
    });
  });

  test('a warning names the key-policy statement the owner must add, with the same conditions', () => {
    expect(owner.sid).toMatch(/^S3ReadStackOrders/);
    expect(owner.statement).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '*', Condition: { StringEquals: expect.any(Object) } });
    expect(Object.keys(owner.statement.Condition.StringEquals).sort()).toEqual(['kms:EncryptionContext:aws:s3:arn', 'kms:ViaService']);
  });

  // iam-simulate's checked mode drops kms:EncryptionContext:aws:s3:arn, so these use its unchecked mode.
  test('iam-simulate: with both halves the reader decrypts through S3 for this bucket', () => {
    expect(simulateUnchecked(keyPolicy, { principal: readerArn, action: 'kms:Decrypt', context: s3Context, identityPolicies: identity, keyArn: FOREIGN_KEY_ARN })).toBe('Allowed');
  });

  test('iam-simulate: the reader cannot decrypt outside S3, or for another bucket', () => {
    expect(simulateUnchecked(keyPolicy, { principal: readerArn, action: 'kms:Decrypt', context: { 'kms:EncryptionContext:aws:s3:arn': bucketArn }, identityPolicies: identity, keyArn: FOREIGN_KEY_ARN })).toBe('ImplicitlyDenied');
    expect(simulateUnchecked(keyPolicy, { principal: readerArn, action: 'kms:Decrypt', context: { ...s3Context, 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::other' }, identityPolicies: identity, keyArn: FOREIGN_KEY_ARN })).toBe('ImplicitlyDenied');
  });

  test('iam-simulate: the identity half alone is not enough, so the warning is needed', () => {
    const ownerAdministersOnly = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    expect(simulateUnchecked(ownerAdministersOnly, { principal: readerArn, action: 'kms:Decrypt', context: s3Context, identityPolicies: identity, keyArn: FOREIGN_KEY_ARN })).toBe('ImplicitlyDenied');
  });
});

describe('EncryptedBucket with an aws-cdk-lib kms.Key of the same account', () => {
  const stack = appStack();
  const key = new kms.Key(stack, 'PlainKey');
  const bucket = new EncryptedBucket(stack, 'Orders', { encryptionKey: key });
  const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  bucket.grantWrite(writer);
  const template = Template.fromStack(stack);
  const writerArn = roleArn(stack.getLogicalId(writer.node.defaultChild as iam.CfnRole));
  const keyLogicalId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
  const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/plain`;
  // The key's own policy: aws-cdk-lib's default delegates everything to the account.
  const keyPolicy = concrete(template.toJSON().Resources[keyLogicalId].Properties.KeyPolicy, REGION);
  const identity = identityPolicies(template).map((policy) => JSON.parse(JSON.stringify(policy).split(roleArn(keyLogicalId)).join(keyArn)));
  const bucketArn = `arn:aws:s3:::${concreteBucketName(template)}`;

  test('the key policy is left as it is; the writer gets the identity half', () => {
    expect(JSON.stringify(keyPolicy)).not.toContain('S3Write');
    expect(ownerStatements(stack).map((entry) => entry.sid)).toEqual([expect.stringMatching(/^S3WriteStackOrders/)]);
  });

  test('iam-simulate: the writer generates data keys through S3 for this bucket, and not outside it', () => {
    const base = { principal: writerArn, action: 'kms:GenerateDataKey', identityPolicies: identity, keyArn };
    expect(simulateUnchecked(keyPolicy, { ...base, context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': bucketArn } })).toBe('Allowed');
    expect(simulateUnchecked(keyPolicy, { ...base, context: { 'kms:EncryptionContext:aws:s3:arn': bucketArn } })).toBe('ImplicitlyDenied');
  });
});

describe('keys imported with CustomerManagedKey', () => {
  test('fromKeyArn: grants go to the identity policy, with a warning naming the key-policy statement', () => {
    const stack = appStack();
    const key = CustomerManagedKey.fromKeyArn(stack, 'Shared', FOREIGN_KEY_ARN);
    const role = new iam.Role(stack, 'Fn', { roleName: 'orders-fn', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.grantDecrypt(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: FOREIGN_KEY_ARN }] },
    });
    const [owner] = ownerStatements(stack);
    expect(owner).toEqual({ sid: 'GrantDecrypt', statement: { Sid: 'GrantDecrypt', Effect: 'Allow', Principal: { AWS: '<ARN of Stack/Fn>' }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' } });
    expect(key.env.account).toBe(OWNER_ACCOUNT);
  });

  test('fromKeyArn refuses a value that is not a key ARN', () => {
    expect(() => CustomerManagedKey.fromKeyArn(appStack(), 'Shared', 'alias/orders'))
      .toThrow(/Stack: 'keyArn' value "alias\/orders" is not a KMS key ARN\. Allowed: arn:<partition>:kms:<region>:<account>:key\/<key id>/);
  });

  test('fromAliasName: grants go to the identity policy on the Region\'s keys under kms:ResourceAliases', () => {
    const stack = appStack();
    const key = CustomerManagedKey.fromAliasName(stack, 'Shared', 'orders');
    const role = new iam.Role(stack, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.grantEncrypt(role);
    const template = Template.fromStack(stack);
    const [policy] = identityPolicies(template);
    expect(policy.Statement).toEqual([{
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'],
      Resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/*`,
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/orders' } },
    }]);
    expect(ownerStatements(stack).map((entry) => entry.sid)).toEqual(['GrantEncrypt']);
    expect(key.aliasName).toBe('alias/orders');
    expect(key.keyArn).toBe(stack.formatArn({ service: 'kms', resource: 'alias/orders' }));
  });

  test('iam-simulate: an alias-imported grant allows the aliased key only', async () => {
    const stack = appStack();
    const key = CustomerManagedKey.fromAliasName(stack, 'Shared', 'alias/orders');
    const role = new iam.Role(stack, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.grantDecrypt(role);
    const identity = identityPolicies(Template.fromStack(stack));
    const fnArn = roleArn(stack.getLogicalId(role.node.defaultChild as iam.CfnRole));
    const delegating = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    const base = { principal: fnArn, action: 'kms:Decrypt', identityPolicies: identity, keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234` };
    expect(simulateUnchecked(delegating, { ...base, context: { 'kms:ResourceAliases': ['alias/orders'] } })).toBe('Allowed');
    expect(simulateUnchecked(delegating, { ...base, context: { 'kms:ResourceAliases': ['alias/billing'] } })).toBe('ImplicitlyDenied');
  });
});

function concreteBucketName(template: Template): string {
  const buckets = Object.values(template.findResources('AWS::S3::Bucket')).filter((bucket: any) => bucket.Properties.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms');
  return concrete((buckets[0] as any).Properties.BucketName, REGION);
}
