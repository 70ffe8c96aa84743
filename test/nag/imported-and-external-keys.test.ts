import { App, Stack, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { addDeletionMonitorFilter, violationsOf } from './validate';
import { CustomerManagedKey, ImportedKeyMaterial, KeyOrigin, KmsChecks, XksKey, XksKeyStore } from '../../src';

/**
 * KmsChecks on keys whose material is not KMS's own: imported material (origin EXTERNAL) and
 * keys in an external key store, whose key policy is a custom resource property.
 */
function newApp(): { app: App; stack: Stack } {
  const app = new App();
  return { app, stack: new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } }) };
}

describe('a key with imported material, an external key store and a key in it, in their default configuration', () => {
  const { app, stack } = newApp();
  const byok = new CustomerManagedKey(stack, 'Byok', { origin: KeyOrigin.EXTERNAL });
  new ImportedKeyMaterial(stack, 'Material', {
    key: byok, keyMaterialSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'byok/key'), deleteMaterialOnRemoval: true,
  });
  const store = new XksKeyStore(stack, 'Store', {
    customKeyStoreName: 'payments-xks',
    proxyUriEndpoint: 'https://xks.example.com',
    proxyUriPath: '/kms/xks/v1',
    proxyAuthenticationCredential: secretsmanager.Secret.fromSecretNameV2(stack, 'Credential', 'payments/xks'),
  });
  new XksKey(stack, 'Payments', { keyStore: store, xksKeyId: 'payments-aes-256' });
  addDeletionMonitorFilter(stack);

  test('pass KmsChecks with zero findings: the import handler administers without using, and no key is asked to rotate', () => {
    expect(new KmsChecks().validateScope(app).violations).toEqual([]);
  });
});

describe('KmsChecks reads the key policy of a key in an external key store', () => {
  test('account root kms:* written into the XksKey policy is a finding on the XksKey', () => {
    const { stack } = newApp();
    const key = new XksKey(stack, 'Payments', { keyStore: XksKeyStore.fromCustomKeyStoreId(stack, 'Store', 'cks-1234567890abcdef0'), xksKeyId: 'k' });
    // What the construct never writes, added by hand.
    key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'RootEverything', principals: [new iam.AccountRootPrincipal()], actions: ['kms:*'], resources: ['*'] }));
    expect(violationsOf(stack, 'KmsChecks-KeyPolicyNoRootFullAccess')).toEqual({
      'KmsChecks-KeyPolicyNoRootFullAccess[arn:aws:iam::111111111111:root]': ['Stack/Payments/Resource/Default'],
    });
    expect(Object.keys(violationsOf(stack, 'KmsChecks-KeyAdminAndUseSeparated'))).toContain('KmsChecks-KeyAdminAndUseSeparated[arn:aws:iam::111111111111:root]');
  });

  test('a user statement without a principal limit is a finding on the XksKey', () => {
    const { stack } = newApp();
    const key = new XksKey(stack, 'Payments', { keyStore: XksKeyStore.fromCustomKeyStoreId(stack, 'Store', 'cks-1234567890abcdef0'), xksKeyId: 'k' });
    key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'Anyone', principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] }));
    expect(violationsOf(stack, 'KmsChecks-KeyPolicyWildcardPrincipalRestricted')).toEqual({
      'KmsChecks-KeyPolicyWildcardPrincipalRestricted[Anyone]': ['Stack/Payments/Resource/Default'],
    });
  });
});

describe('an EXTERNAL key whose material import handler could also use the key', () => {
  test('is a separation-of-duties finding for the handler role', () => {
    const { stack } = newApp();
    const key = new CustomerManagedKey(stack, 'Byok', { origin: KeyOrigin.EXTERNAL });
    new ImportedKeyMaterial(stack, 'Material', { key, keyMaterialSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'byok/key') });
    const handlerRole = stack.node.findAll().find((construct) => construct instanceof iam.Role && construct.node.path.includes('ImportedKeyMaterialProvider')) as iam.Role;
    key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'HandlerDecrypts', principals: [handlerRole], actions: ['kms:Decrypt'], resources: ['*'] }));
    expect(Object.keys(violationsOf(stack, 'KmsChecks-KeyAdminAndUseSeparated'))).toEqual([
      expect.stringMatching(/^KmsChecks-KeyAdminAndUseSeparated\[\$\{CdkKmsPatternsImportedKeyMaterialProviderHandlerRole[0-9A-F]{8}\.Arn\}\]$/),
    ]);
  });
});
