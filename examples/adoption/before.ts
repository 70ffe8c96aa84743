import { App, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';

/**
 * An existing app as many teams write it with plain aws-cdk-lib: a key with the default key
 * policy (the account root gets kms:*), rotation left at aws-cdk-lib's default (off), and an
 * SSE-KMS bucket without a bucket key. KmsChecks reports each weakness; see README.md here.
 */
export function buildBeforeAdoption(app: App): Stack {
  const stack = new Stack(app, 'AdoptionBefore', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'DataKey', { alias: 'orders/data' });
  const bucket = new s3.Bucket(stack, 'Orders', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  bucket.grantRead(reader);
  return stack;
}
