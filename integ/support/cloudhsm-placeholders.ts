/**
 * Placeholders that let the CloudHSM integ app synthesize without context. They pass the
 * constructs' synth-time checks and fail at deploy time: no such cluster exists.
 */
export const PLACEHOLDER_CLUSTER_ID = 'cluster-placehldrzz';
export const PLACEHOLDER_TRUST_ANCHOR = [
  '-----BEGIN CERTIFICATE-----',
  'UExBQ0VIT0xERVItVFJVU1QtQU5DSE9SLU5PVC1BLVJFQUwtQ0VSVElGSUNBVEU=',
  '-----END CERTIFICATE-----',
].join('\n');
