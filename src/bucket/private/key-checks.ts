import { Stack, Token, aws_kms as kms } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../../errors';
import { ManagedKeyBase } from '../../key/managed-key-base';
import { KeyFamily } from '../../shared/key-type';

/**
 * Rejects keys S3 cannot use for this bucket: only symmetric encryption keys do SSE-KMS, and
 * the key must be in the bucket's Region (and, for a key of this app, in the bucket's account). The type of a key of another library is
 * not known at synth; S3 refuses the bucket at deploy time if it is not symmetric.
 */
export function requireBucketKey(scope: IConstruct, key: kms.IKey): void {
  if (key instanceof ManagedKeyBase && key._keyFamily !== KeyFamily.SYMMETRIC_ENCRYPTION) {
    fail(scope, `'encryptionKey' value ${key.node.path} is a ${key._keyFamily} key. S3 SSE-KMS encrypts with symmetric encryption keys only. Allowed: a key with keySpec SYMMETRIC_DEFAULT and keyUsage ENCRYPT_DECRYPT`);
  }
  const bucketStack = Stack.of(scope);
  // A key imported by ARN may live in another account: the grants write the identity half and
  // the key's owner writes the key-policy half. A key of this app cannot cross accounts.
  if (key instanceof ManagedKeyBase && differ(key.env.account, bucketStack.account)) {
    fail(scope, `'encryptionKey' value ${key.node.path} is in account ${key.env.account}, the bucket in account ${bucketStack.account}. Every reader and writer of the bucket needs kms:Decrypt or kms:GenerateDataKey in that key's policy, and this construct cannot write those grants into a key policy of another account (nor can CloudFormation pass the key ARN across accounts). Allowed: a key in account ${bucketStack.account}, or a key of the other account imported by ARN (CustomerManagedKey.fromKeyArn), whose owner adds the key-policy half`);
  }
  if (differ(key.env.region, bucketStack.region)) {
    fail(scope, `'encryptionKey' value ${key.node.path} is in Region ${key.env.region}, the bucket in Region ${bucketStack.region}. S3 uses keys in the bucket's Region only. Allowed: a key in ${bucketStack.region}`);
  }
}

function differ(a: string, b: string): boolean {
  return !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
}
