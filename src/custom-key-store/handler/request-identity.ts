/**
 * Names derived from one CloudFormation request, so every attempt of that request computes the
 * same ones. Imports only node:crypto: the constructs' tests and the Lambda both load it.
 */
import { createHash } from 'crypto';
import { REQUEST_ALIAS_PREFIXES, StoreKeyOrigin } from './constants';

/** KMS tag values are at most 256 characters. */
const TAG_VALUE_MAX = 256;
/** Hex characters of the hash that keeps a shortened value unique. */
const HASH_LENGTH = 16;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * The request tag value: `<logical id>/<request id>`. A value over 256 characters is cut and ends
 * in a hash of the whole value, so two requests never share a tag value.
 */
export function requestMarker(logicalResourceId: string, requestId: string): string {
  const marker = `${logicalResourceId}/${requestId}`;
  if (marker.length <= TAG_VALUE_MAX) { return marker; }
  return `${marker.slice(0, TAG_VALUE_MAX - HASH_LENGTH - 1)}-${sha256(marker).slice(0, HASH_LENGTH)}`;
}

/**
 * The alias a create request gives its key. KMS has no idempotency token for CreateKey; this
 * alias is how a retry of the request finds the key with one DescribeKey instead of a scan.
 */
export function requestAlias(marker: string, origin: StoreKeyOrigin): string {
  return `${REQUEST_ALIAS_PREFIXES[origin]}${sha256(marker).slice(0, 32)}`;
}
