import { createHash } from 'crypto';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Room for the readable part: 63 characters minus hash, account, the longest Region name and dashes. */
const READABLE_LENGTH = 25;

/**
 * A bucket name fixed at synth time: readable path, path hash, account and Region.
 *
 * The key policy conditions on the bucket ARN while the bucket names the key's ARN. A name taken
 * from the bucket resource (Ref/GetAtt) would make the key and the bucket depend on each other;
 * a name built from the construct path and pseudo parameters depends on neither. Account and
 * Region keep it unique in S3's global namespace across deployments of the same app.
 */
export function generatedBucketName(scope: IConstruct): string {
  const stack = Stack.of(scope);
  const readable = scope.node.path.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, READABLE_LENGTH).replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(scope.node.path).digest('hex').slice(0, 8);
  return [readable, hash, stack.account, stack.region].filter((part) => part.length > 0).join('-');
}

/** The bucket ARN built from its name, without a reference to the bucket resource. */
export function bucketArnFromName(scope: IConstruct, bucketName: string): string {
  return Stack.of(scope).formatArn({ service: 's3', region: '', account: '', resource: bucketName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
}
