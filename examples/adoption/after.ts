import { App, CfnElement, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { CustomerManagedKey, EncryptedBucket } from '../../src';

/**
 * The same app as before.ts after switching to the library: the key keeps administration and use
 * apart and rotates, the bucket has a bucket key and TLS-only access, the reader's kms:Decrypt is
 * pinned to S3 and this bucket, and the key is watched for use while pending deletion.
 */
export function buildAfterAdoption(app: App): Stack {
  const stack = new Stack(app, 'AdoptionAfter', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new CustomerManagedKey(stack, 'DataKey', { aliases: ['orders/data'] });
  key.monitorDeletion(stack, { emailSubscriptions: ['security@example.com'] });
  const orders = new EncryptedBucket(stack, 'Orders', { encryptionKey: key });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  orders.grantRead(reader);
  Validations.of(reader).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(orders.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
    reason: 'The reader reads every order object; its kms:Decrypt is pinned to S3 and this bucket by the key policy',
  });
  return stack;
}
