/**
 * Names shared by the handlers and the constructs. This file imports nothing, so the constructs
 * can use it without pulling the AWS SDK (which only the Lambda runtime provides) into a CDK app.
 */

/** Tag on every key the key handler creates; its role may only change keys with this tag. */
export const MANAGED_KEY_TAG = 'cdk-kms-patterns:cloudhsm-key';
