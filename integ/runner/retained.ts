import { CloudFormationClient, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteAliasCommand, DescribeKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';

/** The shortest pending window KMS allows: test keys go as soon as they can. */
export const KEY_PENDING_WINDOW_DAYS = 7;

/** A resource its stack's deletion leaves behind (DeletionPolicy Retain), as deployed. */
export interface RetainedResource {
  readonly stackName: string;
  readonly region: string;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId: string;
}

/** What became of one retained resource: removed (and how), or left, with the command that removes it. */
export interface RetainedOutcome {
  readonly resource: RetainedResource;
  readonly removed: boolean;
  /** `Stack/LogicalId (Type) physical-id: what happened`. */
  readonly line: string;
}

/**
 * The deployed retained resources of a stack, read before it is deleted: `retained` are the
 * `LogicalId (Type)` entries of its plan. Resources that were never created are not listed.
 */
export async function deployedRetained(stackName: string, region: string, retained: string[]): Promise<RetainedResource[]> {
  if (retained.length === 0) { return []; }
  const wanted = new Set(retained.map((entry) => entry.split(' ')[0]));
  const { StackResources } = await withClient(new CloudFormationClient({ region }),
    (cfn) => cfn.send(new DescribeStackResourcesCommand({ StackName: stackName })));
  return (StackResources ?? [])
    .filter((r) => wanted.has(r.LogicalResourceId!) && r.PhysicalResourceId)
    .map((r) => ({ stackName, region, logicalId: r.LogicalResourceId!, type: r.ResourceType!, physicalId: r.PhysicalResourceId! }));
}

/** The AWS CLI command that removes `resource`. */
export function removalCommand(resource: RetainedResource): string {
  const region = `--region ${resource.region}`;
  switch (resource.type) {
    case 'AWS::KMS::Key':
      return `aws kms schedule-key-deletion --key-id ${resource.physicalId} --pending-window-in-days ${KEY_PENDING_WINDOW_DAYS} ${region}`;
    case 'AWS::KMS::Alias':
      return `aws kms delete-alias --alias-name ${resource.physicalId} ${region}`;
    case 'AWS::Logs::LogGroup':
      return `aws logs delete-log-group --log-group-name ${resource.physicalId} ${region}`;
    case 'AWS::S3::Bucket':
      // rb --force deletes current objects only; a versioned bucket needs its versions removed first (console: Empty).
      return `empty the bucket (all versions), then: aws s3 rb s3://${resource.physicalId} ${region}`;
    case 'Custom::KmsCloudHsmKeyStore':
      return `after its keys' pending window: aws kms disconnect-custom-key-store --custom-key-store-id ${resource.physicalId} ${region}`
        + ` && aws kms delete-custom-key-store --custom-key-store-id ${resource.physicalId} ${region}`;
    default:
      return `aws cloudcontrol delete-resource --type-name ${resource.type} --identifier ${resource.physicalId} ${region}`;
  }
}

type Remover = (resource: RetainedResource) => Promise<string>;

/** Runs `use` with `client`, then releases the client. */
async function withClient<C extends { destroy(): void }, T>(client: C, use: (client: C) => Promise<T>): Promise<T> {
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

/** How the runner removes each type it knows; the result says what it did. */
const REMOVERS: Record<string, Remover> = {
  'AWS::KMS::Key': ({ region, physicalId }) => withClient(new KMSClient({ region }), async (kms) => {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: physicalId }));
    if (KeyMetadata?.KeyState === 'PendingDeletion') { return `already pending deletion (${KeyMetadata.DeletionDate?.toISOString()})`; }
    const { DeletionDate } = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: physicalId, PendingWindowInDays: KEY_PENDING_WINDOW_DAYS }));
    return `scheduled for deletion on ${DeletionDate?.toISOString() ?? `in ${KEY_PENDING_WINDOW_DAYS} days`}`;
  }),
  'AWS::KMS::Alias': ({ region, physicalId }) => withClient(new KMSClient({ region }), async (kms) => {
    await kms.send(new DeleteAliasCommand({ AliasName: physicalId }));
    return 'deleted';
  }),
  'AWS::Logs::LogGroup': ({ region, physicalId }) => withClient(new CloudWatchLogsClient({ region }), async (logs) => {
    await logs.send(new DeleteLogGroupCommand({ logGroupName: physicalId }));
    return 'deleted';
  }),
  'AWS::S3::Bucket': ({ region, physicalId }) => withClient(new S3Client({ region }), async (s3) => {
    const objects = await emptyBucket(s3, physicalId);
    await s3.send(new DeleteBucketCommand({ Bucket: physicalId }));
    return `emptied (${objects} object versions) and deleted`;
  }),
};

/** Deletes every version and delete marker; returns how many. */
async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let removed = 0;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    if (objects.length === 0) { return removed; }
    const { Errors } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    if (Errors?.length) { throw new Error(`${Errors.length} objects not deleted, first: ${Errors[0].Key}: ${Errors[0].Message}`); }
    removed += objects.length;
  }
}

/** Removes what the runner knows how to remove; the rest, and every failure, is listed with its command. */
export async function removeRetained(resources: RetainedResource[]): Promise<RetainedOutcome[]> {
  const outcomes: RetainedOutcome[] = [];
  // Aliases first and keys last: nothing depends on a key once its aliases are gone.
  const order = (r: RetainedResource) => (r.type === 'AWS::KMS::Alias' ? 0 : r.type === 'AWS::KMS::Key' ? 2 : 1);
  for (const resource of [...resources].sort((a, b) => order(a) - order(b))) {
    const name = `${resource.stackName}/${resource.logicalId} (${resource.type}) ${resource.physicalId}`;
    const remover = REMOVERS[resource.type];
    if (!remover) {
      outcomes.push({ resource, removed: false, line: `${name}: ${removalCommand(resource)}` });
      continue;
    }
    try {
      outcomes.push({ resource, removed: true, line: `${name}: ${await remover(resource)}` });
    } catch (err: any) {
      outcomes.push({ resource, removed: false, line: `${name}: could not remove (${err.name}: ${err.message}); ${removalCommand(resource)}` });
    }
  }
  return outcomes;
}
