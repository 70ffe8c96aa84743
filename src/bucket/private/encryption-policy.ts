import { aws_iam as iam } from 'aws-cdk-lib';

/** Sids of the statements an EncryptedBucket adds to its bucket policy. Tests and readers refer to them. */
export const ENCRYPTION_POLICY_SIDS = {
  otherEncryptionType: 'DenyOtherEncryptionTypes',
  otherKmsKey: 'DenyOtherKmsKeys',
  awsManagedKey: 'DenyKmsWithoutKeyId',
  customerProvidedKey: 'DenyCustomerProvidedKeys',
} as const;

const SSE = 's3:x-amz-server-side-encryption';
const SSE_KMS_KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
const SSE_CUSTOMER_ALGORITHM = 's3:x-amz-server-side-encryption-customer-algorithm';

/**
 * Deny statements that keep every upload on `keyArn` with SSE-KMS.
 *
 * A negated operator (StringNotEquals) is true when the header is absent, so on its own it would
 * also deny uploads that send no encryption header, which S3 encrypts with the bucket's default
 * (this key). Pairing it with `Null: false` ("the header is present") in the same condition
 * block, which IAM ANDs, limits the deny to requests that name something else.
 */
export function encryptionDenyStatements(objectsArn: string, keyArn: string): iam.PolicyStatement[] {
  return [
    denyPut(ENCRYPTION_POLICY_SIDS.otherEncryptionType, objectsArn, {
      Null: { [SSE]: 'false' },
      StringNotEquals: { [SSE]: 'aws:kms' },
    }),
    denyPut(ENCRYPTION_POLICY_SIDS.otherKmsKey, objectsArn, {
      Null: { [SSE_KMS_KEY_ID]: 'false' },
      StringNotEquals: { [SSE_KMS_KEY_ID]: keyArn },
    }),
    // "aws:kms" without a key id makes S3 use the AWS managed key aws/s3, not this bucket's key
    // (S3 User Guide, "Requiring server-side encryption").
    denyPut(ENCRYPTION_POLICY_SIDS.awsManagedKey, objectsArn, {
      StringEquals: { [SSE]: 'aws:kms' },
      Null: { [SSE_KMS_KEY_ID]: 'true' },
    }),
    // SSE-C uploads carry no x-amz-server-side-encryption header and would bypass the key.
    denyPut(ENCRYPTION_POLICY_SIDS.customerProvidedKey, objectsArn, {
      Null: { [SSE_CUSTOMER_ALGORITHM]: 'false' },
    }),
  ];
}

function denyPut(sid: string, objectsArn: string, conditions: Record<string, Record<string, string>>): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:PutObject'],
    resources: [objectsArn],
    conditions,
  });
}
