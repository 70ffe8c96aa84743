import { Duration, RemovalPolicy, SecretValue, aws_kms as kms, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CLUSTER_ID, TRUST_ANCHOR, newStack, passwordSecret } from './template-support';
import { CloudHsmKey, CloudHsmKeyProps, CloudHsmKeyStore, CloudHsmKeyStoreProps } from '../../src';

function buildStore(props: Partial<CloudHsmKeyStoreProps>, secret?: (stack: any) => any): () => void {
  return () => {
    const stack = newStack();
    new CloudHsmKeyStore(stack, 'Store', {
      customKeyStoreName: 'hsm',
      cloudHsmClusterId: CLUSTER_ID,
      trustAnchorCertificate: TRUST_ANCHOR,
      kmsUserPasswordSecret: secret ? secret(stack) : passwordSecret(stack),
      ...props,
    });
    Template.fromStack(stack);
  };
}

function buildKey(props: Partial<CloudHsmKeyProps>): () => void {
  return () => {
    const stack = newStack();
    new CloudHsmKey(stack, 'Key', { keyStore: CloudHsmKeyStore.fromCustomKeyStoreId(stack, 'Store', 'cks-1234567890abcdef0'), ...props });
    Template.fromStack(stack);
  };
}

describe('CloudHsmKeyStore bad input is a synth-time error', () => {
  // The CloudHSM API pattern: cluster-[2-7a-zA-Z]{11,16}.
  test.each([
    'cluster-abcdefghij', 'cluster-abcdefghijklmnopq', 'cluster-abcdefghij1', 'cluster-abcdefghij8', 'cluster-abcdefghij0',
    'abcdefghijk', 'cluster_abcdefghijk', 'Cluster-abcdefghijk', 'cluster-abcdefghijk ', '',
  ])('cloudHsmClusterId %j', (clusterId) => {
    expect(buildStore({ cloudHsmClusterId: clusterId })).toThrow(
      new RegExp(`'cloudHsmClusterId' value ${JSON.stringify(clusterId)} is not a CloudHSM cluster id. Allowed: "cluster-" followed by 11 to 16 characters a-z, A-Z or 2-7`));
  });

  test.each([
    'cluster-2345677abcz', 'cluster-abcdefghijk', 'cluster-ABCDEFGHIJK', 'cluster-abcdefghijklmnop', 'cluster-aBcD234567zZ',
  ])('a cluster id of the documented pattern passes: %j', (clusterId) => {
    expect(buildStore({ cloudHsmClusterId: clusterId })).not.toThrow();
  });

  test('the example the error message gives is itself accepted', () => {
    let message = '';
    try { buildStore({ cloudHsmClusterId: 'not-a-cluster' })(); } catch (error) { message = (error as Error).message; }
    const example = /e\.g\. "([^"]+)"/.exec(message)?.[1];
    expect(example).toBeDefined();
    expect(buildStore({ cloudHsmClusterId: example })).not.toThrow();
  });

  test.each([
    ['not a certificate', 'hello'],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----'],
    ['no footer', '-----BEGIN CERTIFICATE-----\nMIIB\n'],
    ['no body', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----'],
    ['a body that is not base64', '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----'],
    ['a file path', './customerCA.crt'],
  ])('trustAnchorCertificate: %s', (_, certificate) => {
    expect(buildStore({ trustAnchorCertificate: certificate })).toThrow(/'trustAnchorCertificate' is not a PEM certificate. Received: a value starting with .* Allowed: the content of customerCA.crt/);
  });

  test.each([
    ['a plain string', () => 'kmsuser-password'],
    ['SecretValue.unsafePlainText', () => SecretValue.unsafePlainText('kmsuser-password')],
    ['SecretValue.secretsManager (a reference, not a secret)', () => SecretValue.secretsManager('kmsuser')],
    ['an object without secretArn', () => ({ password: 'kmsuser-password' })],
    ['undefined', () => undefined],
  ])('kmsUserPasswordSecret as %s, without repeating it', (_, value) => {
    const build = buildStore({}, value as any);
    expect(build).toThrow(/'kmsUserPasswordSecret' must be a secretsmanager.ISecret that holds the kmsuser password. Received: .* \(not shown\)/);
    try { build(); } catch (error) { expect((error as Error).message).not.toContain('kmsuser-password'); }
  });

  test('an imported secret is fine', () => {
    expect(buildStore({}, (stack) => secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'kmsuser'))).not.toThrow();
  });

  test.each(['', 'x'.repeat(257)])('customKeyStoreName of %#', (name) => {
    expect(buildStore({ customKeyStoreName: name })).toThrow(/'customKeyStoreName' must be 1 to 256 characters. Received: \d+ characters/);
  });

  test('removalPolicy SNAPSHOT', () => {
    expect(buildStore({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/'removalPolicy' value SNAPSHOT is not possible for a custom key store/);
  });
});

describe('CloudHsmKey bad input is a synth-time error', () => {
  test.each([
    [{ enableKeyRotation: true }, /'enableKeyRotation' value true is not possible for a key in a CloudHSM key store/],
    [{ multiRegion: true }, /'multiRegion' value true is not possible for a key in a CloudHSM key store. Allowed: false or unset/],
    [{ keySpec: kms.KeySpec.RSA_2048 }, /'keySpec' value "RSA_2048" is not possible for a key in a CloudHSM key store. Allowed: SYMMETRIC_DEFAULT/],
    [{ keySpec: kms.KeySpec.HMAC_256 }, /'keySpec' value "HMAC_256"/],
    [{ keySpec: kms.KeySpec.ECC_NIST_P256 }, /'keySpec' value "ECC_NIST_P256"/],
    [{ accountAdministration: false, administrators: [] }, /'accountAdministration' value false is not possible for a CloudHsmKey/],
    [{ pendingWindow: Duration.days(6) }, /'pendingWindow' value must be a whole number of days between 7 and 30. Received: 6 days/],
    [{ pendingWindow: Duration.days(31) }, /Received: 31 days/],
    [{ aliases: ['alias/aws/hsm'] }, /starts with alias\/aws\//],
    [{ removalPolicy: RemovalPolicy.SNAPSHOT }, /'removalPolicy' value SNAPSHOT is not possible for a KMS key/],
  ])('%o', (props, message) => {
    expect(buildKey(props as Partial<CloudHsmKeyProps>)).toThrow(message);
  });

  test('the allowed values of the guarded props pass', () => {
    expect(buildKey({ enableKeyRotation: false, multiRegion: false, keySpec: kms.KeySpec.SYMMETRIC_DEFAULT })).not.toThrow();
  });
});
