import { Fn, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Expect, newStack, validateStack, violationsOf } from './validate';

function bucketWith(defaultEncryption: Record<string, unknown>, bucketKeyEnabled?: boolean) {
  const stack = newStack();
  new s3.CfnBucket(stack, 'Bucket', {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: defaultEncryption as any, bucketKeyEnabled }] },
  });
  return stack;
}

describe('KmsChecks-S3BucketKeyEnabled', () => {
  test('an SSE-KMS bucket without a Bucket Key is non-compliant', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'Key') });
    validateStack(stack, 'KmsChecks-S3BucketKeyEnabled', Expect.NON_COMPLIANCE);
  });

  test('an SSE-KMS bucket with a Bucket Key is compliant', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'Key'), bucketKeyEnabled: true });
    validateStack(stack, 'KmsChecks-S3BucketKeyEnabled', Expect.COMPLIANCE);
  });

  test.each([
    ['SSE-S3', { sseAlgorithm: 'AES256' }],
    ['DSSE-KMS, which does not support Bucket Keys', { sseAlgorithm: 'aws:kms:dsse', kmsMasterKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/1' }],
  ])('%s is not applicable', (_name, encryption) => {
    validateStack(bucketWith(encryption), 'KmsChecks-S3BucketKeyEnabled', Expect.COMPLIANCE);
  });

  test('an algorithm chosen by an intrinsic is CannotEvaluate', () => {
    const stack = bucketWith({ sseAlgorithm: Fn.importValue('Algorithm') });
    expect(Object.keys(violationsOf(stack, 'KmsChecks-S3BucketKeyEnabled'))).toEqual(['KmsChecks-S3BucketKeyEnabled[CannotEvaluate]']);
  });
});

describe('KmsChecks-S3BucketCustomerManagedKey', () => {
  test('SSE-KMS without a key (the aws/s3 key) is non-compliant', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS_MANAGED, bucketKeyEnabled: true });
    validateStack(stack, 'KmsChecks-S3BucketCustomerManagedKey', Expect.NON_COMPLIANCE);
  });

  test.each(['alias/aws/s3', 'arn:aws:kms:eu-west-1:111111111111:alias/aws/s3'])('KMSMasterKeyID %s is non-compliant', (keyId) => {
    validateStack(bucketWith({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: keyId }, true), 'KmsChecks-S3BucketCustomerManagedKey', Expect.NON_COMPLIANCE);
  });

  test('aws/s3 is allowed when a customer managed key is not required', () => {
    const stack = bucketWith({ sseAlgorithm: 'aws:kms' }, true);
    validateStack(stack, 'KmsChecks-S3BucketCustomerManagedKey', Expect.COMPLIANCE, { requireCustomerManagedKeyForS3: false });
  });

  test.each([
    ['a key in the template', (stack: any) => new kms.Key(stack, 'Key')],
    ['an imported key ARN', (stack: any) => kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/1')],
    ['an alias of a customer managed key', (stack: any) => kms.Alias.fromAliasName(stack, 'Key', 'alias/app')],
  ])('%s is compliant', (_name, makeKey) => {
    const stack = newStack();
    new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: makeKey(stack), bucketKeyEnabled: true });
    validateStack(stack, 'KmsChecks-S3BucketCustomerManagedKey', Expect.COMPLIANCE);
  });

  test('a key chosen by Fn::If is CannotEvaluate', () => {
    const stack = bucketWith({ sseAlgorithm: 'aws:kms', kmsMasterKeyId: Fn.conditionIf('UseA', 'arn:a', 'arn:b') }, true);
    expect(Object.keys(violationsOf(stack, 'KmsChecks-S3BucketCustomerManagedKey'))).toEqual(['KmsChecks-S3BucketCustomerManagedKey[CannotEvaluate]']);
  });
});
