import { App, CfnElement, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { CustomerManagedKey, EncryptedBucket } from '../../src';

/** Environments of the golden pattern; replace the account with yours. */
export const PRIMARY_ENV = { account: '111111111111', region: 'eu-west-1' };
export const REPLICA_ENV = { account: '111111111111', region: 'eu-central-1' };

/** The stacks of the golden pattern, built into `app`. Tests synthesize the same function. */
export function buildGoldenPattern(app: App): { primary: Stack; replica: Stack } {
  const primary = new Stack(app, 'KmsGoldenPattern', { env: PRIMARY_ENV });
  // A multi-Region primary: ciphertext made here decrypts under the replica in REPLICA_ENV.
  const dataKey = new CustomerManagedKey(primary, 'DataKey', {
    description: 'Encrypts the application data of the golden pattern',
    aliases: ['golden/data'],
    multiRegion: true,
  });
  // Alarms on any use of a key pending deletion and on DisableKey/ScheduleKeyDeletion.
  dataKey.monitorDeletion(primary, {
    emailSubscriptions: ['security@example.com'],
    notifyOnScheduleKeyDeletion: true,
  });

  // SSE-KMS with an S3 Bucket Key under the data key; the workload reads it, and its kms:Decrypt
  // is pinned to S3 and this bucket by the key policy.
  const dataBucket = new EncryptedBucket(primary, 'DataBucket', { encryptionKey: dataKey });
  const workloadRole = new iam.Role(primary, 'WorkloadRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Reads the golden pattern data bucket; kms:Decrypt only through S3 for that bucket',
  });
  dataBucket.grantRead(workloadRole);
  Validations.of(workloadRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${primary.getLogicalId(dataBucket.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
    reason: 'The workload reads every object of the data bucket; the key policy pins its kms:Decrypt to S3 and this bucket',
  });

  // The replica keeps the primary's roles and alias names; the key ARN crosses Regions through
  // aws-cdk-lib's cross-Region references.
  const replica = new Stack(app, 'KmsGoldenPatternReplica', { env: REPLICA_ENV, crossRegionReferences: true });
  dataKey.addReplica(replica, 'DataKey');
  return { primary, replica };
}
