/**
 * HSM-backed keys: a CloudHSM key store and a key in it.
 *
 * Deploys to real AWS only with a CloudHSM cluster that is initialized and has two active HSMs
 * in different Availability Zones, a `kmsuser` crypto user, and a secret with its password:
 *
 *   npx cdk deploy --app "npx ts-node --prefer-ts-exts integ/integ.cloudhsm-key.ts" \
 *     -c cloudHsmClusterId=cluster-xxxxxxxxxxx \
 *     -c trustAnchorCertificateFile=./customerCA.crt \
 *     -c kmsUserPasswordSecretName=my/kmsuser/password
 *
 * Without context it synthesizes with placeholders (for snapshots and the local harness); those
 * would fail at deploy time. The key is destroyed with a 7-day window; the store is retained,
 * because KMS refuses to delete a store while a key is pending deletion in it. Delete the store
 * after the window (disconnect, then DeleteCustomKeyStore). A cluster costs money every hour.
 */
import * as fs from 'fs';
import { IntegTest, ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, RemovalPolicy, Stack, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { CloudHsmKey, CloudHsmKeyStore } from '../src';
import { expectAccessMatrix } from './support/access-checks';
import { PLACEHOLDER_CLUSTER_ID, PLACEHOLDER_TRUST_ANCHOR } from './support/cloudhsm-placeholders';
import { CUSTOM_KEY_STORE_KEY_MATRIX } from './support/matrices/custom-key-store-key';

const app = new App();
const context = (name: string): string | undefined => app.node.tryGetContext(name);
const anchorFile = context('trustAnchorCertificateFile');
const trustAnchorCertificate = anchorFile ? fs.readFileSync(anchorFile, 'utf8') : context('trustAnchorCertificate') ?? PLACEHOLDER_TRUST_ANCHOR;

const stack = new Stack(app, 'CloudHsmKeyIntegStack');
const store = new CloudHsmKeyStore(stack, 'Store', {
  customKeyStoreName: context('customKeyStoreName') ?? 'cdk-kms-patterns-integ',
  cloudHsmClusterId: context('cloudHsmClusterId') ?? PLACEHOLDER_CLUSTER_ID,
  trustAnchorCertificate,
  kmsUserPasswordSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'KmsUserPassword', context('kmsUserPasswordSecretName') ?? 'cdk-kms-patterns/integ/kmsuser'),
});
const key = new CloudHsmKey(stack, 'Key', {
  keyStore: store,
  description: 'cdk-kms-patterns integ: HSM-backed key',
  aliases: ['cdk-kms-patterns/integ/hsm'],
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});

new CfnOutput(stack, 'CustomKeyStoreId', { value: store.customKeyStoreId });
new CfnOutput(stack, 'KeyArn', { value: key.keyArn });
new CfnOutput(stack, 'KeyId', { value: key.keyId });
new CfnOutput(stack, 'AliasName', { value: key.aliases[0].aliasName });

const assertionStack = new Stack(app, 'CloudHsmKeyIntegAssertions');
const integ = new IntegTest(app, 'CloudHsmKey', { testCases: [stack], assertionStack });
integ.assertions
  .awsApiCall('KMS', 'describeCustomKeyStores', { CustomKeyStoreId: store.customKeyStoreId })
  .expect(ExpectedResult.objectLike({ CustomKeyStores: [{ ConnectionState: 'CONNECTED' }] }));
integ.assertions
  .awsApiCall('KMS', 'describeKey', { KeyId: key.keyId })
  .expect(ExpectedResult.objectLike({ KeyMetadata: { Origin: 'AWS_CLOUDHSM', KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'Enabled' } }));
// The access matrix as the key's user and admin roles: round trips through the store, refusals both ways.
const roles = { user: key.userRole!, admin: key.adminRole! };
Object.entries(roles).forEach(([name, role]) => new CfnOutput(stack, `${name}RoleArn`, { value: role.roleArn }));
expectAccessMatrix(integ, assertionStack, 'CloudHsmKey', CUSTOM_KEY_STORE_KEY_MATRIX, { roles, keys: { key: { arn: key.keyArn, region: stack.region } } });

app.synth();
