import { App, CfnOutput, Stack, Validations, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { CloudHsmKey, CloudHsmKeyStore } from '../../src';

/** What the example needs from your CloudHSM set-up (README, "HSM-backed keys", prerequisites). */
export interface HsmExampleSettings {
  /** An initialized cluster with two active HSMs in different Availability Zones. */
  readonly cloudHsmClusterId: string;
  /** The PEM of the certificate that signed the cluster's HSM certificate (customerCA.crt). */
  readonly trustAnchorCertificate: string;
  /** Name of the Secrets Manager secret that holds the kmsuser password. Never the password itself. */
  readonly kmsUserSecretName: string;
}

/** A CloudHSM key store and an HSM-backed key with the library's role model. */
export function buildHsmExample(app: App, settings: HsmExampleSettings): Stack {
  const stack = new Stack(app, 'HsmBackedKeyExample', { env: { account: '111111111111', region: 'eu-west-1' } });
  const store = new CloudHsmKeyStore(stack, 'Store', {
    customKeyStoreName: 'example-hsm-store',
    cloudHsmClusterId: settings.cloudHsmClusterId,
    trustAnchorCertificate: settings.trustAnchorCertificate,
    kmsUserPasswordSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'KmsUserPassword', settings.kmsUserSecretName),
  });
  const key = new CloudHsmKey(stack, 'HsmKey', {
    keyStore: store,
    description: 'Key material in the customer-controlled CloudHSM cluster',
    aliases: ['example/hsm'],
  });
  const workload = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  key.grantEncryptDecrypt(workload);
  // One deletion monitor per account and Region is the platform's (see the golden pattern).
  Validations.of(stack).acknowledge({
    id: 'KmsChecks-KeyDeletionMonitored',
    reason: 'The platform stack of this account and Region runs the KeyDeletionMonitor',
  });
  new CfnOutput(stack, 'CustomKeyStoreId', { value: store.customKeyStoreId });
  new CfnOutput(stack, 'KeyArn', { value: key.keyArn });
  return stack;
}
