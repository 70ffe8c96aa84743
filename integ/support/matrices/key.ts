import { AccessCase, AccessMatrix } from '../access-checker/access-case';

/** The encryption context of the key matrices' requests. */
export const CHECK_CONTEXT = { purpose: 'cdk-kms-patterns-integ', record: 'r-1' };

/** The user's envelope and direct round trips, and a wrong encryption context rejected. */
export const USER_ROUND_TRIPS: AccessCase[] = [
  { title: 'the user generates a data key', as: 'user', action: 'kms:GenerateDataKey', encryptionContext: CHECK_CONTEXT, expected: 'allowed' },
  {
    title: 'the user decrypts the data key (GenerateDataKey -> Decrypt)',
    as: 'user',
    action: 'kms:Decrypt',
    encryptionContext: CHECK_CONTEXT,
    ciphertext: { by: 'kms:GenerateDataKey' },
    expected: 'allowed',
  },
  { title: 'the user encrypts', as: 'user', action: 'kms:Encrypt', encryptionContext: CHECK_CONTEXT, expected: 'allowed' },
  {
    title: 'the user decrypts what it encrypted (Encrypt -> Decrypt)',
    as: 'user',
    action: 'kms:Decrypt',
    encryptionContext: CHECK_CONTEXT,
    ciphertext: { by: 'kms:Encrypt' },
    expected: 'allowed',
  },
  {
    title: 'a wrong encryption context fails Decrypt',
    as: 'user',
    action: 'kms:Decrypt',
    encryptionContext: { purpose: 'other' },
    ciphertext: { by: 'kms:Encrypt', encryptionContext: CHECK_CONTEXT },
    expected: 'InvalidCiphertext',
  },
];

/** The administrator manages the key and gets no cryptographic use of it. */
export const ADMIN_REFUSED_USE: AccessCase[] = [
  { title: 'the admin cannot Decrypt', as: 'admin', action: 'kms:Decrypt', encryptionContext: CHECK_CONTEXT, expected: 'AccessDenied' },
  { title: 'the admin cannot Encrypt', as: 'admin', action: 'kms:Encrypt', encryptionContext: CHECK_CONTEXT, expected: 'AccessDenied' },
  { title: 'the admin cannot GenerateDataKey', as: 'admin', action: 'kms:GenerateDataKey', encryptionContext: CHECK_CONTEXT, expected: 'AccessDenied' },
];

/** The user uses the key and cannot manage it. */
export const USER_REFUSED_ADMINISTRATION: AccessCase[] = [
  { title: 'the user cannot ScheduleKeyDeletion', as: 'user', action: 'kms:ScheduleKeyDeletion', expected: 'AccessDenied' },
  { title: 'the user cannot PutKeyPolicy', as: 'user', action: 'kms:PutKeyPolicy', expected: 'AccessDenied' },
  { title: 'the user cannot DisableKey', as: 'user', action: 'kms:DisableKey', expected: 'AccessDenied' },
];

/**
 * A key's role model, for any key with roles `user` and `admin`: the user's round trips, and
 * refusals both ways.
 */
export const ROLE_MODEL_MATRIX: AccessMatrix = {
  encryptor: 'user',
  restorer: 'admin',
  cases: [...USER_ROUND_TRIPS, ...ADMIN_REFUSED_USE, ...USER_REFUSED_ADMINISTRATION],
};

/**
 * integ.key: principals `user` and `admin` (the key's roles) and `kmsWildcard`, a role whose
 * identity policy allows `kms:*` on every resource: the key policy delegates administration
 * to IAM, never use.
 */
export const KEY_MATRIX: AccessMatrix = {
  encryptor: 'user',
  restorer: 'admin',
  cases: [
    ...USER_ROUND_TRIPS,
    ...ADMIN_REFUSED_USE,
    { title: 'the admin can DescribeKey', as: 'admin', action: 'kms:DescribeKey', expected: 'allowed' },
    { title: 'the admin can PutKeyPolicy', as: 'admin', action: 'kms:PutKeyPolicy', expected: 'allowed' },
    ...USER_REFUSED_ADMINISTRATION,
    { title: 'the user cannot create a grant directly', as: 'user', action: 'kms:CreateGrant', grantIsForAwsResource: false, expected: 'AccessDenied' },
    { title: 'the user can create a grant for an AWS resource', as: 'user', action: 'kms:CreateGrant', grantIsForAwsResource: true, expected: 'allowed' },
    {
      title: 'the admin cannot Decrypt through an AWS service either',
      as: 'admin',
      action: 'kms:Decrypt',
      encryptionContext: CHECK_CONTEXT,
      viaService: 'ec2.us-east-1.amazonaws.com',
      expected: 'AccessDenied',
    },
    { title: 'a role with kms:* in its identity policy cannot Decrypt', as: 'kmsWildcard', action: 'kms:Decrypt', encryptionContext: CHECK_CONTEXT, expected: 'AccessDenied' },
    { title: 'a role with kms:* in its identity policy cannot GenerateDataKey', as: 'kmsWildcard', action: 'kms:GenerateDataKey', expected: 'AccessDenied' },
  ],
};
