/** Where the key material of a key comes from. */
export enum KeyOrigin {
  /** KMS generates and keeps the key material. */
  AWS_KMS = 'AWS_KMS',
  /** You import the key material (kms:ImportKeyMaterial). Rotation is not available. */
  EXTERNAL = 'EXTERNAL',
}
