import * as path from 'path';
import { App, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';

/** A stack `Weak` that gets most things wrong, from several key sources; returns its plain key. */
export function addWeakStack(app: App): { stack: Stack; key: kms.Key } {
  const stack = new Stack(app, 'Weak', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'PlainKey', { removalPolicy: RemovalPolicy.DESTROY, pendingWindow: Duration.days(7) });
  key.addAlias('alias/plain');
  new s3.Bucket(stack, 'AwsManaged', { encryption: s3.BucketEncryption.KMS_MANAGED });
  new s3.Bucket(stack, 'NoBucketKey', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const role = new iam.Role(stack, 'Broad', { assumedBy: new iam.AccountRootPrincipal() });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }));
  new CfnInclude(stack, 'Legacy', { templateFile: path.join(__dirname, 'fixtures', 'legacy-key.json') });
  return { stack, key };
}
