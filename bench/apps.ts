/**
 * The apps the synth benchmark builds: N keys, each with two aliases, an admin and a user role,
 * and an encrypted bucket read by the user role. Built once with this library and once with plain
 * aws-cdk-lib, so the two differ only in what the library adds. Both sides share one access-log
 * bucket per stack.
 */
import { App, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { CustomerManagedKey, EncryptedBucket } from '../src';

/** Keys per stack: keeps every stack well under CloudFormation's 500-resource limit. */
export const KEYS_PER_STACK = 25;

export type Variant = 'library' | 'plain';

export function buildApp(variant: Variant, keyCount: number, outdir: string): App {
  const app = new App({ outdir });
  for (let first = 0; first < keyCount; first += KEYS_PER_STACK) {
    const stack = new Stack(app, `Bench${first / KEYS_PER_STACK}`, { env: { account: '111111111111', region: 'eu-west-1' } });
    const logs = new s3.Bucket(stack, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const last = Math.min(first + KEYS_PER_STACK, keyCount);
    for (let i = first; i < last; i++) {
      (variant === 'library' ? addLibraryKey : addPlainKey)(stack, i, logs);
    }
  }
  return app;
}

function addLibraryKey(stack: Stack, i: number, logs: s3.IBucket): void {
  const key = new CustomerManagedKey(stack, `Key${i}`, { aliases: [`bench/key${i}`, `bench/key${i}-alt`] });
  const bucket = new EncryptedBucket(stack, `Bucket${i}`, { encryptionKey: key, serverAccessLogsBucket: logs });
  bucket.grantRead(key.userRole!);
}

function addPlainKey(stack: Stack, i: number, logs: s3.IBucket): void {
  const admin = new iam.Role(stack, `Admin${i}`, { assumedBy: new iam.AccountRootPrincipal() });
  const user = new iam.Role(stack, `User${i}`, { assumedBy: new iam.AccountRootPrincipal() });
  const key = new kms.Key(stack, `Key${i}`, { enableKeyRotation: true, admins: [admin], alias: `bench/key${i}` });
  key.addAlias(`bench/key${i}-alt`);
  const bucket = new s3.Bucket(stack, `Bucket${i}`, {
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: logs,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  bucket.grantRead(user);
}
