/**
 * Key policy action lists, written out action by action.
 *
 * The console's key-administrator list uses wildcards (`kms:Create*`, `kms:Get*`...). Expanded,
 * `kms:Create*` includes kms:CreateGrant, which lets an administrator hand themselves use of the
 * key, and `kms:Get*` includes kms:GetPublicKey, a usage action of asymmetric keys. Explicit lists
 * keep administration and use apart and let a reader see exactly what is granted.
 *
 * Only actions that apply to a KMS key resource appear here: account-level actions such as
 * kms:CreateKey, kms:ListAliases or the custom key store operations have no place in a key policy.
 */

/** Administration that applies to every customer managed key. */
export const BASE_ADMIN_ACTIONS: readonly string[] = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:EnableKey',
  'kms:GetKeyPolicy',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/** Rotation management: symmetric encryption keys in AWS KMS only. */
export const ROTATION_ADMIN_ACTIONS: readonly string[] = [
  'kms:DisableKeyRotation',
  'kms:EnableKeyRotation',
  'kms:GetKeyRotationStatus',
  'kms:ListKeyRotations',
  'kms:RotateKeyOnDemand',
];

/**
 * Multi-Region replica keys: promote the replica to primary. KMS checks kms:UpdatePrimaryRegion
 * on both the current primary and the replica being promoted. Rotation actions do not apply to
 * a replica (rotation is a shared property, set on the primary), nor does kms:ReplicateKey
 * (only a primary can be replicated).
 */
export const MULTI_REGION_REPLICA_ADMIN_ACTIONS: readonly string[] = [
  'kms:UpdatePrimaryRegion',
];

/** Multi-Region primary keys: create replicas and move the primary. */
export const MULTI_REGION_ADMIN_ACTIONS: readonly string[] = [
  'kms:ReplicateKey',
  ...MULTI_REGION_REPLICA_ADMIN_ACTIONS,
];

/** Keys with imported (EXTERNAL) key material. */
export const IMPORTED_MATERIAL_ADMIN_ACTIONS: readonly string[] = [
  'kms:DeleteImportedKeyMaterial',
  'kms:GetParametersForImport',
  'kms:ImportKeyMaterial',
];

/** Symmetric encryption (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT). */
export const SYMMETRIC_USAGE_ACTIONS: readonly string[] = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/** HMAC keys (GENERATE_VERIFY_MAC). */
export const HMAC_USAGE_ACTIONS: readonly string[] = [
  'kms:DescribeKey',
  'kms:GenerateMac',
  'kms:VerifyMac',
];

/** Asymmetric signing keys (SIGN_VERIFY). */
export const SIGN_USAGE_ACTIONS: readonly string[] = [
  'kms:DescribeKey',
  'kms:GetPublicKey',
  'kms:Sign',
  'kms:Verify',
];

/** Asymmetric encryption keys (RSA or SM2 with ENCRYPT_DECRYPT). */
export const ASYMMETRIC_ENCRYPT_USAGE_ACTIONS: readonly string[] = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GetPublicKey',
];

/** Key agreement keys (KEY_AGREEMENT). */
export const KEY_AGREEMENT_USAGE_ACTIONS: readonly string[] = [
  'kms:DeriveSharedSecret',
  'kms:DescribeKey',
  'kms:GetPublicKey',
];

/** Grant management that AWS services need to attach persistent resources (EBS, RDS...). */
export const RESOURCE_GRANT_ACTIONS: readonly string[] = [
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:RevokeGrant',
];

/** Actions of the individual grant methods. */
export const ENCRYPT_ACTIONS: readonly string[] = [
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];
export const DECRYPT_ACTIONS: readonly string[] = ['kms:Decrypt'];
export const GENERATE_DATA_KEY_ACTIONS: readonly string[] = [
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
];
export const SIGN_ACTIONS: readonly string[] = ['kms:Sign'];
export const VERIFY_ACTIONS: readonly string[] = ['kms:Verify'];
export const GENERATE_MAC_ACTIONS: readonly string[] = ['kms:GenerateMac'];
export const VERIFY_MAC_ACTIONS: readonly string[] = ['kms:VerifyMac'];

/**
 * Actions that read metadata only. They appear in both the administrator and the user lists and
 * do not count towards "this principal can both administer and use the key".
 */
export const SHARED_READ_ACTIONS: readonly string[] = ['kms:DescribeKey'];
