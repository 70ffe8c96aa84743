import { RemovalPolicy, Validations, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The bucket that receives an EncryptedBucket's server access logs.
 *
 * SSE-S3, because log delivery then needs no grant on a customer managed key; RETAIN whatever
 * the data bucket's removal policy, because access logs are audit evidence. Deliveries are
 * allowed by a bucket policy (the caller turns on the bucket-policy feature flag for its
 * subtree), so ACLs stay disabled.
 */
export function createAccessLogsBucket(scope: Construct, id: string): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This bucket is the server access log destination of an EncryptedBucket. Logging access to it would need a further bucket, whose own logs would need another; S3 recommends a destination that does not log itself.',
  });
  return bucket;
}
