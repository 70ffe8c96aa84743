import { App, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ENV, newStack } from './support';
import { CustomerManagedKey, EncryptedBucket } from '../../src';

describe('bad input is a synth-time error naming the prop, the value and what is allowed', () => {
  test.each([
    [kms.KeySpec.HMAC_256, undefined, 'HMAC'],
    [kms.KeySpec.RSA_2048, kms.KeyUsage.ENCRYPT_DECRYPT, 'ASYMMETRIC_ENCRYPTION'],
    [kms.KeySpec.RSA_2048, kms.KeyUsage.SIGN_VERIFY, 'ASYMMETRIC_SIGN'],
    [kms.KeySpec.ECC_NIST_P256, kms.KeyUsage.KEY_AGREEMENT, 'KEY_AGREEMENT'],
  ])('a %s / %s key cannot do SSE-KMS', (keySpec, keyUsage, family) => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key', { keySpec, keyUsage });
    expect(() => new EncryptedBucket(stack, 'Orders', { encryptionKey: key })).toThrow(new RegExp(
      `Stack/Orders: 'encryptionKey' value Stack/Key is a ${family} key. S3 SSE-KMS encrypts with symmetric encryption keys only. Allowed: a key with keySpec SYMMETRIC_DEFAULT`));
  });

  test('a key of another account: its key policy cannot receive the grants from here', () => {
    const app = new App();
    const keyStack = new Stack(app, 'Keys', { env: { account: '222222222222', region: ENV.region } });
    const key = new CustomerManagedKey(keyStack, 'Key');
    const stack = new Stack(app, 'Data', { env: ENV });
    expect(() => new EncryptedBucket(stack, 'Orders', { encryptionKey: key })).toThrow(
      /'encryptionKey' value Keys\/Key is in account 222222222222, the bucket in account 111111111111\. .*kms:Decrypt or kms:GenerateDataKey.*Allowed: a key in account 111111111111/);
  });

  test('a key of another Region: S3 uses keys in the bucket Region only', () => {
    const app = new App();
    const key = new CustomerManagedKey(new Stack(app, 'Keys', { env: { account: ENV.account, region: 'us-east-1' } }), 'Key');
    const stack = new Stack(app, 'Data', { env: ENV });
    expect(() => new EncryptedBucket(stack, 'Orders', { encryptionKey: key })).toThrow(
      /'encryptionKey' value Keys\/Key is in Region us-east-1, the bucket in Region eu-west-1\. .*Allowed: a key in eu-west-1/);
  });

  test('a key of another stack in the same account and Region is fine', () => {
    const app = new App();
    const key = new CustomerManagedKey(new Stack(app, 'Keys', { env: ENV }), 'Key');
    const stack = new Stack(app, 'Data', { env: ENV });
    new EncryptedBucket(stack, 'Orders', { encryptionKey: key });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('environment-agnostic stacks cannot be compared at synth and are accepted', () => {
    const app = new App();
    const key = new CustomerManagedKey(new Stack(app, 'Keys'), 'Key');
    expect(() => new EncryptedBucket(new Stack(app, 'Data'), 'Orders', { encryptionKey: key })).not.toThrow();
  });
});
