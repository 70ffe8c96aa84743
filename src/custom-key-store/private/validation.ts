import { Token, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { validateSecretProp } from './secret-validation';
import { fail, received } from '../../errors';

/** A CloudHSM cluster id, as the CloudHSM API reference documents it: `cluster-[2-7a-zA-Z]{11,16}`. */
const CLUSTER_ID = /^cluster-[2-7a-zA-Z]{11,16}$/;
/** One PEM certificate: header, base64 body, footer. */
const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n(?:[A-Za-z0-9+/=]+\r?\n)+-----END CERTIFICATE-----$/;
/** CreateCustomKeyStore's CustomKeyStoreName: 1 to 256 characters. */
const STORE_NAME_MAX = 256;

export function validateClusterId(scope: IConstruct, clusterId: string): void {
  if (Token.isUnresolved(clusterId)) { return; }
  if (!CLUSTER_ID.test(clusterId)) {
    fail(scope, `'cloudHsmClusterId' value ${received(clusterId)} is not a CloudHSM cluster id. Allowed: "cluster-" followed by 11 to 16 characters a-z, A-Z or 2-7, e.g. "cluster-jxhlf7644ne"`);
  }
}

export function validateTrustAnchor(scope: IConstruct, certificate: string): void {
  if (Token.isUnresolved(certificate)) { return; }
  if (!PEM_CERTIFICATE.test(certificate.trim())) {
    const start = certificate.trim().slice(0, 40);
    fail(scope, `'trustAnchorCertificate' is not a PEM certificate. Received: a value starting with ${JSON.stringify(start)}. Allowed: the content of customerCA.crt, from "-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----"`);
  }
}

export function validateStoreName(scope: IConstruct, name: string): void {
  if (Token.isUnresolved(name)) { return; }
  if (name.length < 1 || name.length > STORE_NAME_MAX) {
    fail(scope, `'customKeyStoreName' must be 1 to ${STORE_NAME_MAX} characters. Received: ${name.length} characters`);
  }
}

/** The password must come from a Secrets Manager secret that the handler reads at run time. */
export function validatePasswordSecret(scope: IConstruct, secret: unknown): asserts secret is secretsmanager.ISecret {
  validateSecretProp(scope, 'kmsUserPasswordSecret', secret, 'the kmsuser password');
}
