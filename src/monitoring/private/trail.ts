import { RemovalPolicy, Stack, Validations, aws_cloudtrail as cloudtrail, aws_iam as iam, aws_kms as kms, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { logsEncryptionStatement } from './key-statements';

/** What `createTrail` builds. */
export interface TrailResources {
  readonly trail: cloudtrail.Trail;
  readonly logGroup: logs.LogGroup;
  readonly bucket: s3.Bucket;
}

/**
 * A multi-Region trail of all management events (reads included: Decrypt on a key pending
 * deletion is a read), with log file validation, delivered to S3 and to a log group encrypted
 * with `key`. Everything is retained: the trail is the audit record.
 */
export function createTrail(scope: Construct, key: kms.IKey, retention: logs.RetentionDays): TrailResources {
  const accessLogs = new s3.Bucket(scope, 'TrailAccessLogsBucket', safeBucketProps());
  Validations.of(accessLogs).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This bucket receives the server access logs of the trail bucket; logging it as well would only log the log deliveries',
  });
  const bucket = new s3.Bucket(scope, 'TrailBucket', safeBucketProps());
  logAccessTo(bucket, accessLogs, 'trail-bucket/');

  key.addToResourcePolicy(logsEncryptionStatement(Stack.of(scope)));
  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    encryptionKey: key,
    retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const trail = new cloudtrail.Trail(scope, 'Trail', {
    bucket,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    managementEvents: cloudtrail.ReadWriteType.ALL,
    enableFileValidation: true,
    sendToCloudWatchLogs: true,
    cloudWatchLogGroup: logGroup,
  });
  return { trail, logGroup, bucket };
}

/**
 * Server access logging through a bucket policy, never ACLs, whatever the app's feature flags
 * (aws-cdk-lib's `serverAccessLogsBucket` falls back to ACLs without
 * `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`, which owner-enforced buckets refuse).
 */
function logAccessTo(source: s3.Bucket, target: s3.Bucket, prefix: string): void {
  const cfnSource = source.node.defaultChild as s3.CfnBucket;
  cfnSource.loggingConfiguration = { destinationBucketName: target.bucketName, logFilePrefix: prefix };
  target.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowServerAccessLogDelivery',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [target.arnForObjects(`${prefix}*`)],
    conditions: {
      ArnLike: { 'aws:SourceArn': source.bucketArn },
      StringEquals: { 'aws:SourceAccount': Stack.of(source).account },
    },
  }));
}

function safeBucketProps(): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}
