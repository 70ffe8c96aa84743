import { isIntrinsic } from './policy';
import { ResourceTemplate, isObject } from './rule-target';
import { UNREADABLE, Unreadable, literal } from './template';

export const S3_BUCKET = 'AWS::S3::Bucket';

/** One default-encryption rule of a bucket, as written in the template. */
export interface EncryptionRule {
  readonly algorithm: string | Unreadable;
  readonly kmsMasterKeyId: unknown;
  readonly bucketKeyEnabled: unknown;
}

/**
 * The default-encryption rules of an AWS::S3::Bucket; `UNREADABLE` when the configuration or its
 * list is an intrinsic, `[]` when the bucket declares none (S3 then applies SSE-S3). A rule whose
 * algorithm cannot be read has `algorithm: UNREADABLE`; a rule without a default has `''`.
 */
export function encryptionRules(bucket: ResourceTemplate): EncryptionRule[] | Unreadable {
  const encryption = bucket.properties.BucketEncryption;
  if (encryption === undefined) { return []; }
  if (!isObject(encryption) || isIntrinsic(encryption)) { return UNREADABLE; }
  const rules = encryption.ServerSideEncryptionConfiguration ?? [];
  if (!Array.isArray(rules)) { return UNREADABLE; }
  return rules.map((rule: unknown): EncryptionRule => {
    if (!isObject(rule) || isIntrinsic(rule)) { return { algorithm: UNREADABLE, kmsMasterKeyId: undefined, bucketKeyEnabled: undefined }; }
    const byDefault = rule.ServerSideEncryptionByDefault;
    const readable = byDefault === undefined || (isObject(byDefault) && !isIntrinsic(byDefault));
    const algorithm = readable ? literal(byDefault?.SSEAlgorithm) ?? '' : UNREADABLE;
    return {
      algorithm: typeof algorithm === 'string' ? algorithm : UNREADABLE,
      kmsMasterKeyId: readable ? byDefault?.KMSMasterKeyID : undefined,
      bucketKeyEnabled: rule.BucketKeyEnabled,
    };
  });
}

/** SSE-KMS, single-layer (the algorithm Bucket Keys apply to). */
export const SSE_KMS = 'aws:kms';
/** Dual-layer SSE-KMS: Bucket Keys are not supported with it. */
export const SSE_KMS_DSSE = 'aws:kms:dsse';
