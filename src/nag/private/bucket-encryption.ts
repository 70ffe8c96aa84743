import { ResourceTemplate, UNREADABLE, Unreadable, literal } from './template';

export const S3_BUCKET = 'AWS::S3::Bucket';

/** One default-encryption rule of a bucket, as written in the template. */
export interface EncryptionRule {
  readonly algorithm: string | Unreadable;
  readonly kmsMasterKeyId: unknown;
  readonly bucketKeyEnabled: unknown;
}

/**
 * The default-encryption rules of an AWS::S3::Bucket; `UNREADABLE` when the list itself is an
 * intrinsic, `[]` when the bucket declares none (S3 then applies SSE-S3).
 */
export function encryptionRules(bucket: ResourceTemplate): EncryptionRule[] | Unreadable {
  const rules = bucket.properties.BucketEncryption?.ServerSideEncryptionConfiguration ?? [];
  if (!Array.isArray(rules)) { return UNREADABLE; }
  return rules.map((rule: any) => {
    const algorithm = literal(rule?.ServerSideEncryptionByDefault?.SSEAlgorithm);
    return {
      algorithm: typeof algorithm === 'string' ? algorithm : UNREADABLE,
      kmsMasterKeyId: rule?.ServerSideEncryptionByDefault?.KMSMasterKeyID,
      bucketKeyEnabled: rule?.BucketKeyEnabled,
    };
  });
}

/** SSE-KMS, single-layer (the algorithm Bucket Keys apply to). */
export const SSE_KMS = 'aws:kms';
/** Dual-layer SSE-KMS: Bucket Keys are not supported with it. */
export const SSE_KMS_DSSE = 'aws:kms:dsse';
