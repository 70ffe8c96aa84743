/**
 * Plain-words explanations of DescribeCustomKeyStores' ConnectionErrorCode for CloudHSM key
 * stores (KMS API reference, CustomKeyStoresListEntry; KMS Developer Guide, "How to fix a
 * connection failure"). A table, so a new code is one line.
 */
const EXPLANATIONS: Record<string, string> = {
  CLUSTER_NOT_FOUND: 'KMS cannot find the CloudHSM cluster with this cluster ID. Check the cluster ID and that the cluster was not deleted.',
  INSUFFICIENT_CLOUDHSM_HSMS: 'The cluster has no active HSM. Connecting needs at least one active HSM; creating keys needs two in different Availability Zones.',
  INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET: 'A subnet of the cluster has no free IP address for the network interface KMS creates. Free addresses (KMS needs 1 per subnet) and retry.',
  INTERNAL_ERROR: 'KMS had an internal error. The store must be disconnected before it can be connected again; redeploy to retry.',
  INVALID_CREDENTIALS: 'The password in the secret is not the kmsuser password in the cluster. Set the right password in the secret, then deploy with a new passwordRevision.',
  NETWORK_ERRORS: 'Network errors stop KMS reaching the cluster. Check the cluster security group allows TCP 2223-2225 within itself and that the subnets still exist.',
  SUBNET_NOT_FOUND: 'A subnet in the cluster configuration was deleted. Restore the subnet or re-create the cluster from a backup in existing subnets.',
  USER_LOCKED_OUT: 'The kmsuser crypto user is locked out after too many failed logins. Change the kmsuser password in the cluster, store it in the secret, and deploy with a new passwordRevision.',
  USER_LOGGED_IN: 'The kmsuser crypto user is logged in to the cluster, which stops KMS from rotating its password and logging in. Log kmsuser out of every HSM client and retry.',
  USER_NOT_FOUND: 'The cluster has no kmsuser crypto user. Create a crypto user named kmsuser with the password stored in the secret and retry.',
};

/** A sentence for an error message: the code and what to do about it. */
export function explainConnectionError(code: string | undefined): string {
  if (!code) { return 'KMS gave no ConnectionErrorCode. Check the store in the KMS console.'; }
  return `${code}: ${EXPLANATIONS[code] ?? 'an error code this library does not know; see "How to fix a connection failure" in the KMS Developer Guide.'}`;
}

/** The codes this table explains. */
export const EXPLAINED_CONNECTION_ERROR_CODES = Object.keys(EXPLANATIONS);
