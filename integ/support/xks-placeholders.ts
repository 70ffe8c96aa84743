/**
 * Placeholders that let the XKS integ app synthesize without settings. They pass the constructs'
 * synth-time checks and fail at deploy time: no proxy answers at a `.invalid` host.
 */
export const XKS_PLACEHOLDERS = {
  customKeyStoreName: 'cdk-kms-patterns-integ-xks',
  proxyUriEndpoint: 'https://xks-proxy.example.invalid',
  proxyUriPath: '/kms/xks/v1',
  proxyCredentialSecretName: 'cdk-kms-patterns/integ/xks-proxy-credential',
  xksKeyId: 'cdk-kms-patterns-integ-external-key',
} as const;
