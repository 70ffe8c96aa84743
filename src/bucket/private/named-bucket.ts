import { aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { bucketArnFromName, generatedBucketName } from './bucket-name';

/**
 * The s3.Bucket of an EncryptedBucket. Unless given a name it has none of its own: CloudFormation
 * names it. A name fixed at synth is made only when something needs one (`PhysicalName.GENERATE_IF_NEEDED`):
 * a reference from another environment, or a grant whose key-policy statement names the bucket
 * ARN. That name is `generatedBucketName` of the EncryptedBucket, so it stays what earlier
 * versions gave.
 */
export class NamedBucket extends s3.Bucket {
  constructor(private readonly owner: Construct, id: string, props: s3.BucketProps) {
    super(owner, id, props);
  }

  /**
   * The bucket ARN with a name known at synth, without a reference to the bucket resource: the
   * key policy conditions on it while the bucket names the key, so a reference would be a cycle.
   * Fixes the name on first use.
   */
  public arnKnownAtSynth(): string {
    this._enableCrossEnvironment();
    return bucketArnFromName(this, this.physicalName);
  }

  protected generatePhysicalName(): string {
    return generatedBucketName(this.owner);
  }
}
