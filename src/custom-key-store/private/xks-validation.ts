import { Stack, Token, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail, received } from '../../errors';
import { XKS_ACCESS_KEY_ID, XKS_CREDENTIAL_FIELDS } from '../handler/xks-credential';

/** CreateCustomKeyStore's XksProxyUriEndpoint (KMS API reference): 10 to 128 characters. */
const URI_ENDPOINT = /^https:\/\/[a-zA-Z0-9.-]+$/;
/** XksProxyUriPath: `/kms/xks/v<n>`, or the same after a prefix; 10 to 128 characters. */
const URI_PATH = /^(\/[a-zA-Z0-9/_-]+\/kms\/xks\/v\d{1,2})$|^(\/kms\/xks\/v\d{1,2})$/;
/** The form of a VPC endpoint service name: com.amazonaws.vpce.<region>.vpce-svc-<id>. */
const VPC_ENDPOINT_SERVICE_NAME = /^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-z]+$/;
const ACCOUNT_ID = /^\d{12}$/;
/** XksKeyConfigurationType Id: 1 to 128 characters of letters, digits, `-`, `_` and `.`. */
const XKS_KEY_ID = /^[a-zA-Z0-9-_.]{1,128}$/;

function withinLength(value: string, min: number, max: number): boolean {
  return value.length >= min && value.length <= max;
}

export function validateProxyUriEndpoint(scope: IConstruct, endpoint: string): void {
  if (Token.isUnresolved(endpoint)) { return; }
  if (!URI_ENDPOINT.test(endpoint) || !withinLength(endpoint, 10, 128)) {
    fail(scope, `'proxyUriEndpoint' value ${received(endpoint)} is not an endpoint KMS accepts. Allowed: "https://" followed by a host name (letters, digits, "." and "-"; no port, path or slash), 10 to 128 characters in all, e.g. "https://xks.example.com"`);
  }
}

export function validateProxyUriPath(scope: IConstruct, path: string): void {
  if (Token.isUnresolved(path)) { return; }
  if (!URI_PATH.test(path) || !withinLength(path, 10, 128)) {
    fail(scope, `'proxyUriPath' value ${received(path)} is not a path KMS accepts. Allowed: "/kms/xks/v1" or "/<prefix>/kms/xks/v1" (prefix of letters, digits, "/", "_" and "-"; the version 1 or 2 digits), 10 to 128 characters`);
  }
}

export function validateVpcEndpointService(scope: IConstruct, connectivity: string,
  serviceName: string | undefined, owner: string | undefined): void {
  if (connectivity === 'PUBLIC_ENDPOINT') {
    const given = serviceName !== undefined ? 'vpcEndpointServiceName' : owner !== undefined ? 'vpcEndpointServiceOwner' : undefined;
    if (given) {
      fail(scope, `'${given}' is set but 'connectivity' is PUBLIC_ENDPOINT. Allowed: connectivity XksProxyConnectivity.VPC_ENDPOINT_SERVICE with it, or leave it unset`);
    }
    return;
  }
  if (serviceName === undefined) {
    fail(scope, "'vpcEndpointServiceName' is required with connectivity VPC_ENDPOINT_SERVICE. Received: undefined. Allowed: the name of the VPC endpoint service in front of the proxy, e.g. \"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0\"");
  }
  if (!Token.isUnresolved(serviceName) && !VPC_ENDPOINT_SERVICE_NAME.test(serviceName)) {
    fail(scope, `'vpcEndpointServiceName' value ${received(serviceName)} is not a VPC endpoint service name. Allowed: "com.amazonaws.vpce.<region>.vpce-svc-<id>"`);
  }
  if (owner !== undefined && !Token.isUnresolved(owner) && !ACCOUNT_ID.test(owner)) {
    fail(scope, `'vpcEndpointServiceOwner' value ${received(owner)} is not an AWS account id. Allowed: 12 digits`);
  }
}

export function validateXksKeyId(scope: IConstruct, xksKeyId: string): void {
  if (Token.isUnresolved(xksKeyId)) { return; }
  if (!XKS_KEY_ID.test(xksKeyId)) {
    fail(scope, `'xksKeyId' value ${received(xksKeyId)} is not an external key id KMS accepts. Allowed: 1 to 128 characters of letters, digits, "-", "_" and "."`);
  }
}

/**
 * Where the credential secret is made in this app with a generated value, its shape is known:
 * KMS needs JSON with an AccessKeyId (20 to 30 characters A-Z, 2-7) and a RawSecretAccessKey
 * of 43 to 64 characters from a-z, A-Z, 0-9, "/", "+" and "=". A generated password has
 * punctuation unless excluded, and is 32 characters by default: both would fail at deploy time.
 */
export function validateGeneratedCredential(scope: IConstruct, secret: secretsmanager.ISecret): void {
  const cfn = secret.node.defaultChild;
  if (!(cfn instanceof secretsmanager.CfnSecret) || cfn.generateSecretString === undefined) { return; }
  const generate = Stack.of(cfn).resolve(cfn.generateSecretString) as Record<string, unknown>;
  const problems: string[] = [];
  if (generate.generateStringKey !== XKS_CREDENTIAL_FIELDS.secretAccessKey) {
    problems.push(`generateStringKey must be "${XKS_CREDENTIAL_FIELDS.secretAccessKey}" (received ${received(String(generate.generateStringKey))})`);
  }
  let template: Record<string, unknown> | undefined;
  try { template = JSON.parse(String(generate.secretStringTemplate)); } catch { template = undefined; }
  const accessKeyId = template?.[XKS_CREDENTIAL_FIELDS.accessKeyId];
  if (typeof accessKeyId !== 'string' || !XKS_ACCESS_KEY_ID.test(accessKeyId)) {
    problems.push(`secretStringTemplate must be JSON with an ${XKS_CREDENTIAL_FIELDS.accessKeyId} of 20 to 30 characters A-Z and 2-7`);
  }
  const length = Number(generate.passwordLength ?? 32);
  if (length < 43 || length > 64) {
    problems.push(`passwordLength must be 43 to 64 (received ${length})`);
  }
  if (generate.excludePunctuation !== true) {
    problems.push('excludePunctuation must be true (KMS accepts no punctuation but "/", "+" and "=")');
  }
  if (problems.length > 0) {
    fail(scope, `'proxyAuthenticationCredential' is generated in this app with a value KMS would refuse: ${problems.join('; ')}. Allowed: a secret of JSON {"AccessKeyId": ..., "RawSecretAccessKey": ...} that matches the proxy's credential`);
  }
}
