/**
 * Keys in an external key store: an XKS store, a key in it, and a round trip as the key's user.
 *
 * Deploys to real AWS only with a running external key store proxy (and, behind it, an external
 * key manager holding a 256-bit AES key), and a secret holding the proxy's authentication
 * credential as JSON {"AccessKeyId": "...", "RawSecretAccessKey": "..."}. Settings come from
 * context, or else from the environment:
 *
 *   npx cdk deploy --app "npx ts-node --prefer-ts-exts integ/integ.xks-key.ts" \
 *     -c proxyUriEndpoint=https://xks.example.com   (XKS_PROXY_URI_ENDPOINT)
 *     -c proxyUriPath=/example/kms/xks/v1            (XKS_PROXY_URI_PATH)
 *     -c proxyCredentialSecretName=my/xks/credential (XKS_PROXY_CREDENTIAL_SECRET_NAME)
 *     -c xksKeyId=my-external-key                    (XKS_KEY_ID)
 *     [-c vpcEndpointServiceName=com.amazonaws.vpce.<region>.vpce-svc-...] (XKS_VPC_ENDPOINT_SERVICE_NAME)
 *
 * With a VPC endpoint service name the store uses VPC_ENDPOINT_SERVICE connectivity, else a
 * public endpoint. Without settings it synthesizes with placeholders (for snapshots); those fail
 * at deploy time. The key is destroyed with a 7-day window; the store is retained, because KMS
 * refuses to delete a store while a key is pending deletion in it. Delete the store after the
 * window (disconnect, then DeleteCustomKeyStore).
 */
import { IntegTest, ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, RemovalPolicy, Stack, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { XksKey, XksKeyStore, XksProxyConnectivity } from '../src';
import { expectAccessMatrix } from './support/access-checks';
import { CUSTOM_KEY_STORE_KEY_MATRIX } from './support/matrices/custom-key-store-key';
import { XKS_PLACEHOLDERS } from './support/xks-placeholders';

const app = new App();
/** A setting from context, else from the environment, else the placeholder. */
const setting = (name: keyof typeof XKS_PLACEHOLDERS, env: string): string =>
  app.node.tryGetContext(name) ?? process.env[env] ?? XKS_PLACEHOLDERS[name];
const vpcEndpointServiceName: string | undefined = app.node.tryGetContext('vpcEndpointServiceName') ?? process.env.XKS_VPC_ENDPOINT_SERVICE_NAME;

const stack = new Stack(app, 'XksKeyIntegStack');
const store = new XksKeyStore(stack, 'Store', {
  customKeyStoreName: setting('customKeyStoreName', 'XKS_CUSTOM_KEY_STORE_NAME'),
  proxyUriEndpoint: setting('proxyUriEndpoint', 'XKS_PROXY_URI_ENDPOINT'),
  proxyUriPath: setting('proxyUriPath', 'XKS_PROXY_URI_PATH'),
  connectivity: vpcEndpointServiceName ? XksProxyConnectivity.VPC_ENDPOINT_SERVICE : XksProxyConnectivity.PUBLIC_ENDPOINT,
  vpcEndpointServiceName,
  proxyAuthenticationCredential: secretsmanager.Secret.fromSecretNameV2(stack, 'ProxyCredential',
    setting('proxyCredentialSecretName', 'XKS_PROXY_CREDENTIAL_SECRET_NAME')),
});
const key = new XksKey(stack, 'Key', {
  keyStore: store,
  xksKeyId: setting('xksKeyId', 'XKS_KEY_ID'),
  description: 'cdk-kms-patterns integ: key in an external key store',
  aliases: ['cdk-kms-patterns/integ/xks'],
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});

new CfnOutput(stack, 'CustomKeyStoreId', { value: store.customKeyStoreId });
new CfnOutput(stack, 'KeyArn', { value: key.keyArn });
new CfnOutput(stack, 'KeyId', { value: key.keyId });
new CfnOutput(stack, 'AliasName', { value: key.aliases[0].aliasName });

const assertionStack = new Stack(app, 'XksKeyIntegAssertions');
const integ = new IntegTest(app, 'XksKey', { testCases: [stack], assertionStack });
integ.assertions
  .awsApiCall('KMS', 'describeCustomKeyStores', { CustomKeyStoreId: store.customKeyStoreId })
  .expect(ExpectedResult.objectLike({ CustomKeyStores: [{ ConnectionState: 'CONNECTED', CustomKeyStoreType: 'EXTERNAL_KEY_STORE' }] }));
integ.assertions
  .awsApiCall('KMS', 'describeKey', { KeyId: key.keyId })
  .expect(ExpectedResult.objectLike({ KeyMetadata: { Origin: 'EXTERNAL_KEY_STORE', KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled' } }));
// The access matrix as the key's user and admin roles: round trips through the store, refusals both ways.
const roles = { user: key.userRole!, admin: key.adminRole! };
Object.entries(roles).forEach(([name, role]) => new CfnOutput(stack, `${name}RoleArn`, { value: role.roleArn }));
expectAccessMatrix(integ, assertionStack, 'XksKey', CUSTOM_KEY_STORE_KEY_MATRIX, { roles, keys: { key: { arn: key.keyArn, region: stack.region } } });

app.synth();
