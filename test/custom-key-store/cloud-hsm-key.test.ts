import { Duration, RemovalPolicy, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CLUSTER_ID, TRUST_ANCHOR, newStack, normalized, passwordSecret } from './template-support';
import { CloudHsmKey, CloudHsmKeyStore, KEY_POLICY_SIDS } from '../../src';

function keyResource(template: Template): any {
  return Object.values(template.findResources('Custom::KmsCloudHsmKey'))[0];
}

function statement(template: Template, sid: string): any {
  return keyResource(template).Properties.KeyPolicy.Statement.find((s: any) => s.Sid === sid);
}

function keyStack() {
  const stack = newStack();
  const store = new CloudHsmKeyStore(stack, 'Store', {
    customKeyStoreName: 'payments-hsm', cloudHsmClusterId: CLUSTER_ID, trustAnchorCertificate: TRUST_ANCHOR, kmsUserPasswordSecret: passwordSecret(stack),
  });
  return { stack, store };
}

describe('CloudHsmKey defaults', () => {
  const { stack, store } = keyStack();
  const key = new CloudHsmKey(stack, 'Key', { keyStore: store, description: 'HSM-backed payments key', aliases: ['payments/hsm'] });
  const template = Template.fromStack(stack);

  test('a custom resource in the store that carries the key policy as KeyPolicy, RETAIN, 30-day window', () => {
    template.hasResource('Custom::KmsCloudHsmKey', {
      Properties: {
        CustomKeyStoreId: { Ref: stack.getLogicalId(store.resource.node.defaultChild as any) },
        Description: 'HSM-backed payments key',
        PendingWindowInDays: 30,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(keyResource(template).Properties.KeyPolicy.Version).toBe('2012-10-17');
  });

  test('the same four role-model statements as CustomerManagedKey', () => {
    expect(keyResource(template).Properties.KeyPolicy.Statement.map((s: any) => s.Sid)).toEqual([
      KEY_POLICY_SIDS.accountAdministration, KEY_POLICY_SIDS.keyAdministration, KEY_POLICY_SIDS.keyUsage, KEY_POLICY_SIDS.resourceGrants,
    ]);
  });

  test('administrators get no rotation, multi-Region or import actions, and no use', () => {
    const admin = statement(template, 'KeyAdministration').Action;
    expect(admin).toEqual([
      'kms:CancelKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:DescribeKey', 'kms:DisableKey', 'kms:EnableKey',
      'kms:GetKeyPolicy', 'kms:ListGrants', 'kms:ListKeyPolicies', 'kms:ListResourceTags', 'kms:PutKeyPolicy', 'kms:RevokeGrant',
      'kms:ScheduleKeyDeletion', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateAlias', 'kms:UpdateKeyDescription',
    ]);
  });

  test('users get the symmetric usage actions', () => {
    expect(statement(template, 'KeyUsage').Action).toContain('kms:GenerateDataKey');
    expect(statement(template, 'KeyUsage').Principal).toEqual({ AWS: { 'Fn::GetAtt': [expect.stringMatching(/^KeyUserRole/), 'Arn'] } });
  });

  test('alias through AWS::KMS::Alias targets the key ARN and is retained', () => {
    template.hasResource('AWS::KMS::Alias', {
      Properties: { AliasName: 'alias/payments/hsm', TargetKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.resource.node.defaultChild as any), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
  });

  test('the handler role creates only symmetric AWS_CLOUDHSM keys and changes only keys it tagged', () => {
    const policies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => /CloudHsmKeyProviderHandlerRoleKeyManagement/.test(id));
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(statements.find((s: any) => s.Sid === 'CreateKeysInCloudHsmKeyStores')).toEqual({
      Sid: 'CreateKeysInCloudHsmKeyStores',
      Effect: 'Allow',
      Action: 'kms:CreateKey',
      Resource: '*',
      Condition: {
        'StringEquals': { 'kms:KeyOrigin': 'AWS_CLOUDHSM', 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT' },
        'Bool': { 'kms:MultiRegion': 'false' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['cdk-kms-patterns:cloudhsm-key'] },
      },
    });
    expect(statements.find((s: any) => s.Sid === 'ManageTaggedKeys')).toEqual(expect.objectContaining({
      Action: ['kms:CreateAlias', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:UpdateKeyDescription'],
      Condition: { Null: { 'aws:ResourceTag/cdk-kms-patterns:cloudhsm-key': 'false' } },
    }));
    // The request alias is how a retried create finds its key; the alias side of CreateAlias is
    // limited to the handler's own prefix.
    expect(statements.find((s: any) => s.Sid === 'RecordKeysUnderRequestAliases')).toEqual({
      Sid: 'RecordKeysUnderRequestAliases',
      Effect: 'Allow',
      Action: 'kms:CreateAlias',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:111111111111:alias/cdk-kms-patterns/cloudhsm-key/*']] },
    });
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions).not.toContain('kms:Decrypt');
    // No scan of the account's keys.
    expect(actions).not.toContain('kms:ListKeys');
    expect(actions).not.toContain('kms:ListResourceTags');
  });

  test('the key waits for its handler permissions', () => {
    expect(keyResource(template).DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/CloudHsmKeyProviderHandlerRoleKeyManagement/)]));
  });

  test('exposes the IKey contract', () => {
    expect(stack.resolve(key.keyArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.resource.node.defaultChild as any), 'Arn'] });
    expect(stack.resolve(key.keyId)).toEqual({ Ref: stack.getLogicalId(key.resource.node.defaultChild as any) });
  });

  test('AwsSolutionsChecks has no findings', () => {
    expect(new AwsSolutionsChecks().validateScope(stack.node.root).violations).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(normalized(template)).toMatchSnapshot();
  });
});

describe('CloudHsmKey options and grants', () => {
  test('grants land in the KeyPolicy property, as for any managed key', () => {
    const { stack, store } = keyStack();
    const key = new CloudHsmKey(stack, 'Key', { keyStore: store });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.grantDecrypt(reader);
    new s3.Bucket(stack, 'Bucket', { encryptionKey: key, enforceSSL: true });
    const template = Template.fromStack(stack);
    expect(statement(template, 'GrantDecrypt')).toEqual(expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:DescribeKey'], Principal: { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^Reader/), 'Arn'] } },
    }));
    const bucket = Object.values(template.findResources('AWS::S3::Bucket'))[0];
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID)
      .toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.resource.node.defaultChild as any), 'Arn'] });
  });

  test('DESTROY and a 7-day window: deletion is scheduled with that window', () => {
    const { stack, store } = keyStack();
    new CloudHsmKey(stack, 'Key', { keyStore: store, removalPolicy: RemovalPolicy.DESTROY, pendingWindow: Duration.days(7), aliases: ['a'] });
    const template = Template.fromStack(stack);
    template.hasResource('Custom::KmsCloudHsmKey', { Properties: { PendingWindowInDays: 7 }, DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Alias', { DeletionPolicy: 'Delete' });
  });

  test('a key in an imported store', () => {
    const stack = newStack();
    new CloudHsmKey(stack, 'Key', { keyStore: CloudHsmKeyStore.fromCustomKeyStoreId(stack, 'Store', 'cks-1234567890abcdef0') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::KmsCloudHsmKey', { CustomKeyStoreId: 'cks-1234567890abcdef0' });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    expect(normalized(template)).toMatchSnapshot();
  });
});
