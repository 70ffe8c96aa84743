/**
 * The shape of an external key store proxy authentication credential (KMS API reference,
 * XksProxyAuthenticationCredentialType). This file imports nothing, so the constructs use it
 * for synth-time checks and the handler for run-time checks.
 */

/** AccessKeyId: 20 to 30 characters A-Z and 2-7. */
export const XKS_ACCESS_KEY_ID = /^[A-Z2-7]{20,30}$/;

/** RawSecretAccessKey: 43 to 64 characters a-z, A-Z, 0-9, /, + and =. */
export const XKS_SECRET_ACCESS_KEY = /^[A-Za-z0-9/+=]{43,64}$/;

/** The JSON fields of the credential secret. */
export const XKS_CREDENTIAL_FIELDS = { accessKeyId: 'AccessKeyId', secretAccessKey: 'RawSecretAccessKey' } as const;
