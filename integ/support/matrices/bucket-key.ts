import { AccessMatrix } from '../access-checker/access-case';

/** Where the bucket of integ.bucket-key was deployed. */
export interface DeployedBucket {
  readonly bucketArn: string;
  readonly region: string;
}

/**
 * integ.bucket-key: the KMS requests S3 makes for a principal that reads an object of the bucket
 * (S3 Bucket Key on: the bucket's ARN is the encryption context). Principals: `reader`, given
 * `grantRead` (s3:GetObject in its identity policy, kms:Decrypt through S3 for this bucket in the
 * key policy), and `noGrant`, which has s3:GetObject only. Only S3 can make these requests (kms:ViaService), so on AWS the bucket's own
 * assertions (puts and gets through S3) stand for them; the local suite judges them.
 */
export function bucketKeyMatrix(bucket: DeployedBucket): AccessMatrix {
  const viaService = `s3.${bucket.region}.amazonaws.com`;
  const thisBucket = { 'aws:s3:arn': bucket.bucketArn };
  return {
    encryptor: 'reader',
    restorer: 'reader',
    cases: [
      { title: 'the reader decrypts through S3 for this bucket', as: 'reader', action: 'kms:Decrypt', viaService, encryptionContext: thisBucket, expected: 'allowed' },
      {
        title: 'the reader cannot decrypt through S3 for another bucket',
        as: 'reader',
        action: 'kms:Decrypt',
        viaService,
        encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::another-bucket' },
        expected: 'AccessDenied',
      },
      { title: 'the reader cannot decrypt directly, outside S3', as: 'reader', action: 'kms:Decrypt', encryptionContext: thisBucket, expected: 'AccessDenied' },
      { title: 'the reader cannot write (GenerateDataKey through S3)', as: 'reader', action: 'kms:GenerateDataKey', viaService, encryptionContext: thisBucket, expected: 'AccessDenied' },
      { title: 'a role without the paired kms:Decrypt is refused through S3', as: 'noGrant', action: 'kms:Decrypt', viaService, encryptionContext: thisBucket, expected: 'AccessDenied' },
    ],
  };
}

/**
 * integ.bucket-key on AWS: requests through S3, which the checker makes as each role. Principals:
 * `writer` (grantReadWrite, and s3:DeleteObject to clean up), `reader` and `noGrant` as above.
 * Keys: `key`, the bucket's, and `anotherKey`, any other key ARN of the account (the bucket
 * policy refuses the put before S3 would call KMS). Bucket: `bucket`.
 */
export const BUCKET_OBJECT_MATRIX: AccessMatrix = {
  encryptor: 'writer',
  restorer: 'writer',
  cases: [
    { title: 'the writer puts an object naming the bucket\'s key', as: 'writer', action: 's3:PutObject', objectEncryption: { algorithm: 'aws:kms', key: 'key' }, expected: 'allowed' },
    { title: 'the writer puts an object without encryption headers (the bucket default)', as: 'writer', action: 's3:PutObject', expected: 'allowed' },
    {
      title: 'a put naming another KMS key is denied',
      as: 'writer',
      action: 's3:PutObject',
      objectEncryption: { algorithm: 'aws:kms', key: 'anotherKey' },
      expected: 'AccessDenied',
    },
    { title: 'a put with SSE-S3 is denied', as: 'writer', action: 's3:PutObject', objectEncryption: { algorithm: 'AES256' }, expected: 'AccessDenied' },
    { title: 'a put with SSE-KMS but no key id (the AWS managed key) is denied', as: 'writer', action: 's3:PutObject', objectEncryption: { algorithm: 'aws:kms' }, expected: 'AccessDenied' },
    { title: 'the reader gets an object', as: 'reader', action: 's3:GetObject', expected: 'allowed' },
    { title: 'the reader cannot put an object', as: 'reader', action: 's3:PutObject', expected: 'AccessDenied' },
    { title: 'a role without the paired kms:Decrypt cannot get an object (S3 is refused Decrypt for it)', as: 'noGrant', action: 's3:GetObject', expected: 'AccessDenied' },
  ],
};
