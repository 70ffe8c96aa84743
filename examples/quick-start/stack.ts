/** The README's quick start, kept here so it is type-checked and synthesized by the tests. */
import { App, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { CustomerManagedKey, EncryptedBucket, KmsChecks } from '../../src';

export function buildQuickStart(app: App): Stack {
  const stack = new Stack(app, 'Data', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new CustomerManagedKey(stack, 'DataKey', { aliases: ['app/data'] }); // a kms.IKey
  key.monitorDeletion(); // alarms on use while pending deletion
  const bucket = new EncryptedBucket(stack, 'Data', { encryptionKey: key }); // SSE-KMS + bucket key
  bucket.grantRead(new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
  Validations.of(app).addPlugins(new KmsChecks(app)); // `cdk synth` fails on weakened keys
  return stack;
}
