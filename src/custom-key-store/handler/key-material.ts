/**
 * What imported key material must look like, and how it is wrapped for KMS. Pure functions on
 * Node.js's own crypto, shared by the construct (synth-time checks) and the handler.
 *
 * Nothing here puts the material, or any part of it, into a message: errors give lengths and
 * kinds only.
 */
import { constants, createPrivateKey, createPublicKey, publicEncrypt } from 'crypto';

/** The wrapping this library uses: the longest RSA key and OAEP with SHA-256 (KMS guide). */
export const WRAPPING = { algorithm: 'RSAES_OAEP_SHA_256', keySpec: 'RSA_4096' } as const;

/** KMS accepts a ValidTo at most 365 days after the import request. */
export const VALID_TO_MAX_DAYS = 365;

/** The curve Node.js reports for each ECC key spec KMS imports. */
const ECC_CURVES: Record<string, string> = {
  ECC_NIST_P256: 'prime256v1',
  ECC_NIST_P384: 'secp384r1',
  ECC_NIST_P521: 'secp521r1',
  ECC_SECG_P256K1: 'secp256k1',
};

const HMAC_SPECS = ['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'];

/** Key specs whose material RSAES_OAEP_SHA_256 can wrap (KMS: every kind but RSA private keys). */
export const IMPORTABLE_KEY_SPECS: readonly string[] = ['SYMMETRIC_DEFAULT', ...HMAC_SPECS, ...Object.keys(ECC_CURVES)];

/** The most an RSA_4096 key wraps with OAEP SHA-256: 512 - 2 * 32 - 2 bytes. */
const MAX_WRAPPED_BYTES = 446;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The material from a secret's value: SecretBinary as raw bytes, SecretString as base64.
 * `source` names the secret in messages.
 */
export function decodeMaterial(value: { SecretBinary?: Uint8Array; SecretString?: string }, source: string): Buffer {
  if (value.SecretBinary && value.SecretBinary.length > 0) { return Buffer.from(value.SecretBinary); }
  const text = value.SecretString?.replace(/\s+/g, '');
  if (!text) {
    throw new Error(`Secret ${source} has no value. Store the key material as the secret's binary value, or base64 as its string value.`);
  }
  if (!BASE64.test(text)) {
    throw new Error(`Secret ${source} has a string value that is not base64 (${text.length} characters, not shown). Store the key material base64-encoded, or as the secret's binary value.`);
  }
  return Buffer.from(text, 'base64');
}

/**
 * Throws unless `material` fits a key of `keySpec`: 32 bytes for SYMMETRIC_DEFAULT; a PKCS #8
 * DER private key on the right curve for ECC specs; for HMAC specs, bytes that fit the wrapping
 * (KMS checks the length it accepts for the spec).
 */
export function checkMaterial(material: Buffer, keySpec: string, source: string): void {
  if (!IMPORTABLE_KEY_SPECS.includes(keySpec)) {
    throw new Error(`Key spec ${keySpec} cannot be imported by this handler. Supported: ${IMPORTABLE_KEY_SPECS.join(', ')}.`);
  }
  if (keySpec === 'SYMMETRIC_DEFAULT' && material.length !== 32) {
    throw new Error(`Secret ${source} holds ${material.length} bytes of key material; a SYMMETRIC_DEFAULT key takes exactly 32 bytes (256 bits).`);
  }
  if (material.length === 0 || material.length > MAX_WRAPPED_BYTES) {
    throw new Error(`Secret ${source} holds ${material.length} bytes of key material; ${WRAPPING.algorithm} with ${WRAPPING.keySpec} wraps 1 to ${MAX_WRAPPED_BYTES} bytes.`);
  }
  const curve = ECC_CURVES[keySpec];
  if (curve) { checkEccPrivateKey(material, keySpec, curve, source); }
}

function checkEccPrivateKey(material: Buffer, keySpec: string, curve: string, source: string): void {
  let details: { type?: string; curve?: string };
  try {
    const key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
    details = { type: key.asymmetricKeyType, curve: key.asymmetricKeyDetails?.namedCurve };
  } catch {
    throw new Error(`Secret ${source} does not hold a PKCS #8 DER private key (${material.length} bytes, not shown); a ${keySpec} key takes its private key in that form.`);
  }
  if (details.type !== 'ec' || details.curve !== curve) {
    throw new Error(`Secret ${source} holds a ${details.type} private key${details.curve ? ` on curve ${details.curve}` : ''}; a ${keySpec} key takes an EC private key on ${curve}.`);
  }
}

/** Wraps the material with the wrapping public key (DER SubjectPublicKeyInfo) KMS returned. */
export function wrapMaterial(material: Buffer, wrappingPublicKey: Uint8Array): Buffer {
  const publicKey = createPublicKey({ key: Buffer.from(wrappingPublicKey), format: 'der', type: 'spki' });
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, material);
}
