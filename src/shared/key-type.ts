import { aws_kms as kms } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as actions from './actions';
import { fail } from '../errors';

/** What a key can do, derived from its key spec and key usage. */
export enum KeyFamily {
  SYMMETRIC_ENCRYPTION = 'SYMMETRIC_ENCRYPTION',
  HMAC = 'HMAC',
  ASYMMETRIC_SIGN = 'ASYMMETRIC_SIGN',
  ASYMMETRIC_ENCRYPTION = 'ASYMMETRIC_ENCRYPTION',
  KEY_AGREEMENT = 'KEY_AGREEMENT',
}

/** The key usages KMS accepts for each key spec (KMS Developer Guide, "Key spec reference"). */
const ALLOWED_USAGES: Record<string, kms.KeyUsage[]> = {
  SYMMETRIC_DEFAULT: [kms.KeyUsage.ENCRYPT_DECRYPT],
  RSA_2048: [kms.KeyUsage.ENCRYPT_DECRYPT, kms.KeyUsage.SIGN_VERIFY],
  RSA_3072: [kms.KeyUsage.ENCRYPT_DECRYPT, kms.KeyUsage.SIGN_VERIFY],
  RSA_4096: [kms.KeyUsage.ENCRYPT_DECRYPT, kms.KeyUsage.SIGN_VERIFY],
  ECC_NIST_P256: [kms.KeyUsage.SIGN_VERIFY, kms.KeyUsage.KEY_AGREEMENT],
  ECC_NIST_P384: [kms.KeyUsage.SIGN_VERIFY, kms.KeyUsage.KEY_AGREEMENT],
  ECC_NIST_P521: [kms.KeyUsage.SIGN_VERIFY, kms.KeyUsage.KEY_AGREEMENT],
  ECC_SECG_P256K1: [kms.KeyUsage.SIGN_VERIFY],
  ECC_NIST_EDWARDS25519: [kms.KeyUsage.SIGN_VERIFY],
  ML_DSA_44: [kms.KeyUsage.SIGN_VERIFY],
  ML_DSA_65: [kms.KeyUsage.SIGN_VERIFY],
  ML_DSA_87: [kms.KeyUsage.SIGN_VERIFY],
  HMAC_224: [kms.KeyUsage.GENERATE_VERIFY_MAC],
  HMAC_256: [kms.KeyUsage.GENERATE_VERIFY_MAC],
  HMAC_384: [kms.KeyUsage.GENERATE_VERIFY_MAC],
  HMAC_512: [kms.KeyUsage.GENERATE_VERIFY_MAC],
  SM2: [kms.KeyUsage.ENCRYPT_DECRYPT, kms.KeyUsage.SIGN_VERIFY, kms.KeyUsage.KEY_AGREEMENT],
};

/** A validated key spec / key usage pair and what follows from it. */
export interface KeyType {
  readonly keySpec: kms.KeySpec;
  readonly keyUsage: kms.KeyUsage;
  readonly family: KeyFamily;
}

/**
 * Validates the pair and fills in the usage when only one is possible.
 * CloudFormation defaults KeyUsage to ENCRYPT_DECRYPT; we do the same where that is valid and
 * otherwise pick the single allowed usage, or ask the user to choose.
 */
export function resolveKeyType(scope: IConstruct, keySpec: kms.KeySpec = kms.KeySpec.SYMMETRIC_DEFAULT, keyUsage?: kms.KeyUsage): KeyType {
  const allowed = ALLOWED_USAGES[keySpec];
  if (!allowed) {
    fail(scope, `'keySpec' value ${JSON.stringify(keySpec)} is not a KMS key spec. Allowed: ${Object.keys(ALLOWED_USAGES).join(', ')}`);
  }
  const usage = keyUsage ?? defaultUsage(scope, keySpec, allowed);
  if (!allowed.includes(usage)) {
    fail(scope, `'keyUsage' value ${JSON.stringify(usage)} is not allowed with keySpec ${keySpec}. Allowed: ${allowed.join(', ')}`);
  }
  return { keySpec, keyUsage: usage, family: familyOf(keySpec, usage) };
}

function defaultUsage(scope: IConstruct, keySpec: kms.KeySpec, allowed: kms.KeyUsage[]): kms.KeyUsage {
  if (allowed.includes(kms.KeyUsage.ENCRYPT_DECRYPT)) { return kms.KeyUsage.ENCRYPT_DECRYPT; }
  if (allowed.length === 1) { return allowed[0]; }
  return fail(scope, `'keyUsage' is required with keySpec ${keySpec}. Received: undefined. Allowed: ${allowed.join(', ')}`);
}

function familyOf(keySpec: kms.KeySpec, usage: kms.KeyUsage): KeyFamily {
  switch (usage) {
    case kms.KeyUsage.GENERATE_VERIFY_MAC: return KeyFamily.HMAC;
    case kms.KeyUsage.SIGN_VERIFY: return KeyFamily.ASYMMETRIC_SIGN;
    case kms.KeyUsage.KEY_AGREEMENT: return KeyFamily.KEY_AGREEMENT;
    default:
      return keySpec === kms.KeySpec.SYMMETRIC_DEFAULT ? KeyFamily.SYMMETRIC_ENCRYPTION : KeyFamily.ASYMMETRIC_ENCRYPTION;
  }
}

/** The usage actions a key user gets for a key family. */
export function usageActionsFor(family: KeyFamily): readonly string[] {
  switch (family) {
    case KeyFamily.SYMMETRIC_ENCRYPTION: return actions.SYMMETRIC_USAGE_ACTIONS;
    case KeyFamily.HMAC: return actions.HMAC_USAGE_ACTIONS;
    case KeyFamily.ASYMMETRIC_SIGN: return actions.SIGN_USAGE_ACTIONS;
    case KeyFamily.ASYMMETRIC_ENCRYPTION: return actions.ASYMMETRIC_ENCRYPT_USAGE_ACTIONS;
    case KeyFamily.KEY_AGREEMENT: return actions.KEY_AGREEMENT_USAGE_ACTIONS;
  }
}

/** What shapes the administrator action list besides the family. */
export interface AdminActionOptions {
  readonly family: KeyFamily;
  /** Whether rotation can be managed: symmetric keys with key material in AWS KMS. */
  readonly rotatable: boolean;
  readonly multiRegionPrimary: boolean;
  /** A multi-Region replica: it can be promoted, but neither rotated nor replicated itself. */
  readonly multiRegionReplica?: boolean;
  readonly importedMaterial: boolean;
}

/** The full, explicit administrator action list for a key. */
export function adminActionsFor(options: AdminActionOptions): string[] {
  return [
    ...actions.BASE_ADMIN_ACTIONS,
    ...(options.rotatable ? actions.ROTATION_ADMIN_ACTIONS : []),
    ...(options.multiRegionPrimary ? actions.MULTI_REGION_ADMIN_ACTIONS : []),
    ...(options.multiRegionReplica ? actions.MULTI_REGION_REPLICA_ADMIN_ACTIONS : []),
    ...(options.importedMaterial ? actions.IMPORTED_MATERIAL_ADMIN_ACTIONS : []),
  ].sort();
}

/** What a key subclass tells the base about itself once it knows its type. */
export interface KeyPolicySetup {
  readonly family: KeyFamily;
  readonly adminActions: readonly string[];
  readonly usageActions: readonly string[];
}
