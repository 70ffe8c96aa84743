import * as path from 'path';
import { CfnResource, Duration, RemovalPolicy, aws_kms as kms } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { newStack, violationsOf } from './validate';
import { CustomerManagedKey } from '../../src';

/**
 * The pack reads the synthesized template, so a weakened key is found whatever made it.
 * Each source gets the same weakening where it can express it: a 7-day pending window.
 */
describe('KmsChecks finds keys from every source', () => {
  test('this library\'s CustomerManagedKey', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key');
    key.cfnKey.pendingWindowInDays = 7;
    expect(violationsOf(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum')).toEqual({ 'KmsChecks-KeyPendingWindowAtLeastMinimum': ['Stack/Key/Resource'] });
  });

  test('aws-cdk-lib kms.Key', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { pendingWindow: Duration.days(7), removalPolicy: RemovalPolicy.RETAIN });
    expect(violationsOf(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum')).toEqual({ 'KmsChecks-KeyPendingWindowAtLeastMinimum': ['Stack/Key/Resource'] });
  });

  test('a CfnKey', () => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', { keyPolicy: {}, pendingWindowInDays: 7 });
    expect(violationsOf(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum')).toEqual({ 'KmsChecks-KeyPendingWindowAtLeastMinimum': ['Stack/Key'] });
  });

  test('an AWS::KMS::ReplicaKey', () => {
    const stack = newStack();
    new kms.CfnReplicaKey(stack, 'Replica', { keyPolicy: {}, primaryKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/mrk-1', pendingWindowInDays: 7 });
    expect(violationsOf(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum')).toEqual({ 'KmsChecks-KeyPendingWindowAtLeastMinimum': ['Stack/Replica'] });
    expect(violationsOf(stack, 'KmsChecks-KeyRetained')).toEqual({
      'KmsChecks-KeyRetained[DeletionPolicy]': ['Stack/Replica'],
      'KmsChecks-KeyRetained[UpdateReplacePolicy]': ['Stack/Replica'],
    });
  });

  test('a custom-resource key that carries a KeyPolicy (keys in a custom key store)', () => {
    const stack = newStack();
    new CfnResource(stack, 'HsmKey', {
      type: 'Custom::HsmBackedKey',
      properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider', KeyPolicy: { Statement: [] }, PendingWindowInDays: 7 },
    });
    expect(violationsOf(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum')).toEqual({ 'KmsChecks-KeyPendingWindowAtLeastMinimum': ['Stack/HsmKey'] });
    expect(Object.keys(violationsOf(stack, 'KmsChecks-KeyRetained'))).toHaveLength(2);
  });

  test('a custom resource without a KeyPolicy is not a key', () => {
    const stack = newStack();
    new CfnResource(stack, 'Other', { type: 'Custom::Other', properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider' } });
    expect(violationsOf(stack, 'KmsChecks-KeyRetained')).toEqual({});
  });

  test('a template brought in with CfnInclude', () => {
    const stack = newStack();
    new CfnInclude(stack, 'Legacy', { templateFile: path.join(__dirname, 'fixtures', 'legacy-key.json') });
    expect(violationsOf(stack, 'KmsChecks-KeyRotationEnabled')).toEqual({ 'KmsChecks-KeyRotationEnabled': ['Stack/Legacy/LegacyKey'] });
    expect(violationsOf(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum')).toEqual({ 'KmsChecks-KeyPendingWindowAtLeastMinimum': ['Stack/Legacy/LegacyKey'] });
    expect(violationsOf(stack, 'KmsChecks-KeyRetained')).toEqual({
      'KmsChecks-KeyRetained[DeletionPolicy]': ['Stack/Legacy/LegacyKey', 'Stack/Legacy/LegacyAlias'],
      'KmsChecks-KeyRetained[UpdateReplacePolicy]': ['Stack/Legacy/LegacyKey', 'Stack/Legacy/LegacyAlias'],
    });
  });

  test('the policy rules read the KeyPolicy of replicas and custom-resource keys too', () => {
    const stack = newStack();
    const rootFullAccess = { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }] };
    new kms.CfnReplicaKey(stack, 'Replica', { keyPolicy: rootFullAccess, primaryKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/mrk-1' });
    new CfnResource(stack, 'HsmKey', { type: 'Custom::HsmBackedKey', properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:p', KeyPolicy: rootFullAccess } });
    expect(violationsOf(stack, 'KmsChecks-KeyPolicyNoRootFullAccess')).toEqual({ 'KmsChecks-KeyPolicyNoRootFullAccess[arn:aws:iam::111111111111:root]': ['Stack/Replica', 'Stack/HsmKey'] });
  });
});
