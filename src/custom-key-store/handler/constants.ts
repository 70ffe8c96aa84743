/**
 * Names shared by the handlers and the constructs. This file imports nothing, so the constructs
 * can use it without pulling the AWS SDK (which only the Lambda runtime provides) into a CDK app.
 */

/** The custom key store origins of the keys the key handler creates. */
export type StoreKeyOrigin = 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';

/**
 * Tag on every key the key handler creates, one per store type: a handler role may only change
 * keys with its own type's tag, so the external key store handler cannot touch CloudHSM keys
 * (and the reverse).
 */
export const MANAGED_KEY_TAGS: Readonly<Record<StoreKeyOrigin, string>> = {
  AWS_CLOUDHSM: 'cdk-kms-patterns:cloudhsm-key',
  EXTERNAL_KEY_STORE: 'cdk-kms-patterns:xks-key',
};

/** The handler's own aliases, one prefix per store type; a handler role may create aliases under its own only. */
export const REQUEST_ALIAS_PREFIXES: Readonly<Record<StoreKeyOrigin, string>> = {
  AWS_CLOUDHSM: 'alias/cdk-kms-patterns/cloudhsm-key/',
  EXTERNAL_KEY_STORE: 'alias/cdk-kms-patterns/xks-key/',
};
