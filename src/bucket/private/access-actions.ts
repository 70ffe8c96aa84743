import { DECRYPT_ACTIONS } from '../../shared/actions';

/**
 * What each access level of an EncryptedBucket grants, written out action by action: the S3
 * side on the bucket and on its objects, and the KMS side S3 needs to serve those requests.
 */
export interface BucketAccess {
  /** Names the key policy statement together with the bucket: `S3Read<bucket id>`. */
  readonly purpose: string;
  readonly bucketActions: readonly string[];
  readonly objectActions: readonly string[];
  readonly keyActions: readonly string[];
}

/** GetObject on an SSE-KMS object makes S3 call kms:Decrypt with the caller's credentials. */
export const READ_ACCESS: BucketAccess = {
  purpose: 'S3Read',
  bucketActions: ['s3:GetBucketLocation', 's3:ListBucket'],
  objectActions: ['s3:GetObject', 's3:GetObjectVersion'],
  keyActions: [...DECRYPT_ACTIONS],
};

/**
 * PutObject makes S3 call kms:GenerateDataKey; completing a multipart upload also needs
 * kms:Decrypt (S3 decrypts the data key to assemble the parts). Deleting objects is not part of
 * writing: in a versioned bucket it is a decision of its own.
 */
export const WRITE_ACCESS: BucketAccess = {
  purpose: 'S3Write',
  bucketActions: ['s3:ListBucketMultipartUploads'],
  objectActions: ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObject'],
  keyActions: ['kms:GenerateDataKey', ...DECRYPT_ACTIONS],
};
