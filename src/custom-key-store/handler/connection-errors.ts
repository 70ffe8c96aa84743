/**
 * Plain-words explanations of DescribeCustomKeyStores' ConnectionErrorCode (KMS API reference,
 * CustomKeyStoresListEntry; KMS Developer Guide, "How to fix a connection failure" and
 * "Troubleshooting external key stores"). Tables, so a new code is one line. The same code can
 * mean different things for the two store types (INVALID_CREDENTIALS).
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

/** External key stores (XKS): the codes KMS documents for them, and the two all stores share. */
const XKS_EXPLANATIONS: Record<string, string> = {
  INTERNAL_ERROR: EXPLANATIONS.INTERNAL_ERROR,
  NETWORK_ERRORS: 'Network errors stop KMS reaching the external key store proxy. Check the proxy endpoint, its DNS name and that it accepts HTTPS on port 443.',
  INVALID_CREDENTIALS: 'The proxy does not accept the authentication credential in the secret (AccessKeyId or RawSecretAccessKey). Put the credential the proxy has in the secret, then deploy with a new credentialRevision.',
  XKS_PROXY_ACCESS_DENIED: 'The proxy denies KMS access. If the proxy has authorization rules, make them allow KMS to call it for this store.',
  XKS_PROXY_INVALID_CONFIGURATION: 'A configuration error stops the store reaching its proxy. Check proxyUriPath against the proxy\'s documentation.',
  XKS_PROXY_INVALID_RESPONSE: 'KMS cannot read the proxy\'s answers. If this repeats, tell the vendor of the external key store proxy.',
  XKS_PROXY_INVALID_TLS_CONFIGURATION: 'The proxy\'s TLS setup is invalid: it must offer TLS 1.2 or 1.3 with a certificate that has not expired, names the host of proxyUriEndpoint and is signed by a public certificate authority KMS trusts.',
  XKS_PROXY_NOT_REACHABLE: 'KMS cannot reach the proxy. Check proxyUriEndpoint and proxyUriPath, that the proxy is running, and that its external key manager is available (the proxy reports when no key manager instance is).',
  XKS_PROXY_TIMED_OUT: 'The proxy answered too slowly for KMS. If this repeats, tell the vendor of the external key store proxy.',
  XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION: 'The VPC endpoint service does not meet the external key store requirements: an endpoint service for interface endpoints in this account, a Network Load Balancer in at least two Availability Zones, '
    + 'cks.kms.<region>.amazonaws.com in its allowed principals, no acceptance required, and a verified private DNS name that the proxy\'s TLS certificate names.',
  XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND: 'KMS cannot find the VPC endpoint service. Check vpcEndpointServiceName and that the KMS service principal (cks.kms.<region>.amazonaws.com) is an allowed principal of the service.',
};

/** The store types KMS has, as CustomKeyStoreType. */
export type StoreType = 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';

/** A sentence for an error message: the code and what to do about it. */
export function explainConnectionError(code: string | undefined, storeType: StoreType = 'AWS_CLOUDHSM'): string {
  if (!code) { return 'KMS gave no ConnectionErrorCode. Check the store in the KMS console.'; }
  const table = storeType === 'EXTERNAL_KEY_STORE' ? XKS_EXPLANATIONS : EXPLANATIONS;
  return `${code}: ${table[code] ?? 'an error code this library does not know; see "How to fix a connection failure" in the KMS Developer Guide.'}`;
}

/** The codes explained for CloudHSM key stores. */
export const EXPLAINED_CONNECTION_ERROR_CODES = Object.keys(EXPLANATIONS);
/** The codes explained for external key stores. */
export const EXPLAINED_XKS_CONNECTION_ERROR_CODES = Object.keys(XKS_EXPLANATIONS);
