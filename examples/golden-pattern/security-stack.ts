import { CfnElement, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CustomerManagedKey, EncryptedBucket, KeyConsumers } from '../../src';

/** Who, besides grants, may use the data key: declared by the key's owner, the platform team. */
export interface SecurityStackProps {
  readonly env: { readonly account: string; readonly region: string };
  /** The workload account whose roles under /app/reports/ use the data key. */
  readonly workloadAccount: string;
}

/**
 * The security stack: the data key, its deletion monitor and an encrypted bucket. It never refers
 * to an app stack; app stacks refer to it, so grants to their roles cannot make a cycle.
 */
export class SecurityStack extends Stack {
  public readonly dataKey: CustomerManagedKey;

  constructor(scope: Construct, id: string, props: SecurityStackProps) {
    super(scope, id, { env: props.env });
    // A multi-Region primary: ciphertext made here decrypts under the replica in another Region.
    this.dataKey = new CustomerManagedKey(this, 'DataKey', {
      description: 'Encrypts the application data of the golden pattern',
      aliases: ['golden/data'],
      multiRegion: true,
      // Roles under /app/orders/ here and /app/reports/ in the workload account. Who may create
      // roles under those paths decides who uses the key: keep iam:CreateRole there with the platform team.
      consumers: [
        KeyConsumers.rolesMatching('/app/orders/'),
        KeyConsumers.inAccount(props.workloadAccount, KeyConsumers.rolesMatching('/app/reports/')),
      ],
    });
    // Alarms on any use of a key pending deletion and on DisableKey/ScheduleKeyDeletion.
    this.dataKey.monitorDeletion(this, { emailSubscriptions: ['security@example.com'], notifyOnScheduleKeyDeletion: true });
    this.addDataBucket();
  }

  /** SSE-KMS with an S3 Bucket Key under the data key, read by a workload role pinned to S3 and this bucket. */
  private addDataBucket(): void {
    const dataBucket = new EncryptedBucket(this, 'DataBucket', { encryptionKey: this.dataKey });
    const workloadRole = new iam.Role(this, 'WorkloadRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads the golden pattern data bucket; kms:Decrypt only through S3 for that bucket',
    });
    dataBucket.grantRead(workloadRole);
    Validations.of(workloadRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(dataBucket.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
      reason: 'The workload reads every object of the data bucket; the key policy pins its kms:Decrypt to S3 and this bucket',
    });
  }
}
