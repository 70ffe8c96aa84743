import { Duration, RemovalPolicy, SecretValue, Stack, aws_kms as kms, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { newStack } from './template-support';
import { XksKey, XksKeyProps, XksKeyStore, XksKeyStoreProps, XksProxyConnectivity } from '../../src';

const RAW_SECRET = 'k3yM4terial/For+The=Proxy0123456789abcdefghijKLMN';

function buildStore(props: Partial<XksKeyStoreProps>, secret?: (stack: Stack) => unknown): () => void {
  return () => {
    const stack = newStack();
    new XksKeyStore(stack, 'Store', {
      customKeyStoreName: 'xks',
      proxyUriEndpoint: 'https://xks.example.com',
      proxyUriPath: '/kms/xks/v1',
      proxyAuthenticationCredential: (secret ? secret(stack) : secretsmanager.Secret.fromSecretNameV2(stack, 'Credential', 'xks/credential')) as secretsmanager.ISecret,
      ...props,
    });
    Template.fromStack(stack);
  };
}

function buildKey(props: Partial<XksKeyProps>): () => void {
  return () => {
    const stack = newStack();
    new XksKey(stack, 'Key', { keyStore: XksKeyStore.fromCustomKeyStoreId(stack, 'Store', 'cks-1234567890abcdef0'), xksKeyId: 'key-1', ...props });
    Template.fromStack(stack);
  };
}

function generatedCredential(generate: secretsmanager.SecretStringGenerator): (stack: Stack) => secretsmanager.ISecret {
  return (stack) => new secretsmanager.Secret(stack, 'Credential', { generateSecretString: generate });
}

describe('XksKeyStore bad input is a synth-time error naming the construct, the prop, the value and what is allowed', () => {
  test.each([
    'http://xks.example.com',
    'xks.example.com',
    'https://xks.example.com/kms',
    'https://xks.example.com:8443',
    'https://xks_example.com',
    'https://a',
    `https://${'a'.repeat(121)}.com`,
    '',
  ])('proxyUriEndpoint %j', (endpoint) => {
    expect(buildStore({ proxyUriEndpoint: endpoint })).toThrow(new RegExp(
      `^Stack/Store: 'proxyUriEndpoint' value ${JSON.stringify(endpoint).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not an endpoint KMS accepts. Allowed: "https://" followed by a host name`));
  });

  test.each(['https://xks.example.com', 'https://10.0.0.1', `https://${'a'.repeat(115)}.com`])('proxyUriEndpoint %j is accepted', (endpoint) => {
    expect(buildStore({ proxyUriEndpoint: endpoint })).not.toThrow();
  });

  test.each([
    '/kms/xks/v',
    'kms/xks/v1',
    '/kms/xks/v1/',
    '/kms/xks/v123',
    '/example/kms/xks',
    '/exa mple/kms/xks/v1',
    '/kms/xks/v1?x=1',
    `/${'p'.repeat(118)}/kms/xks/v1`,
  ])('proxyUriPath %j', (path) => {
    expect(buildStore({ proxyUriPath: path })).toThrow(/'proxyUriPath' value .* is not a path KMS accepts. Allowed: "\/kms\/xks\/v1" or "\/<prefix>\/kms\/xks\/v1"/);
  });

  test.each(['/kms/xks/v1', '/kms/xks/v12', '/example/kms/xks/v1', '/a/b_c-d/kms/xks/v2'])('proxyUriPath %j is accepted', (path) => {
    expect(buildStore({ proxyUriPath: path })).not.toThrow();
  });

  test('VPC connectivity without a service name', () => {
    expect(buildStore({ connectivity: XksProxyConnectivity.VPC_ENDPOINT_SERVICE })).toThrow(
      /'vpcEndpointServiceName' is required with connectivity VPC_ENDPOINT_SERVICE. Received: undefined/);
  });

  test.each(['vpce-svc-0123456789abcdef0', 'com.amazonaws.eu-west-1.kms', 'com.amazonaws.vpce.eu-west-1.svc-123'])('vpcEndpointServiceName %j', (name) => {
    expect(buildStore({ connectivity: XksProxyConnectivity.VPC_ENDPOINT_SERVICE, vpcEndpointServiceName: name })).toThrow(
      /'vpcEndpointServiceName' value .* is not a VPC endpoint service name. Allowed: "com.amazonaws.vpce.<region>.vpce-svc-<id>"/);
  });

  test('vpcEndpointServiceOwner that is not an account id', () => {
    expect(buildStore({ connectivity: XksProxyConnectivity.VPC_ENDPOINT_SERVICE, vpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0', vpcEndpointServiceOwner: '1234' }))
      .toThrow(/'vpcEndpointServiceOwner' value "1234" is not an AWS account id. Allowed: 12 digits/);
  });

  test.each([
    ['vpcEndpointServiceName', { vpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0' }],
    ['vpcEndpointServiceOwner', { vpcEndpointServiceOwner: '222222222222' }],
  ])('%s with a public endpoint', (prop, props) => {
    expect(buildStore(props)).toThrow(new RegExp(`'${prop}' is set but 'connectivity' is PUBLIC_ENDPOINT`));
  });

  test.each([
    ['a plain string', () => RAW_SECRET],
    ['SecretValue.unsafePlainText', () => SecretValue.unsafePlainText(RAW_SECRET)],
    ['an object with the credential', () => ({ AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: RAW_SECRET })],
  ])('proxyAuthenticationCredential as %s, without repeating it', (_, value) => {
    const run = buildStore({}, value);
    expect(run).toThrow(/'proxyAuthenticationCredential' must be a secretsmanager.ISecret that holds the proxy authentication credential. Received: .* \(not shown\)/);
    try { run(); } catch (error) { expect((error as Error).message).not.toContain(RAW_SECRET); }
  });

  test('a credential secret whose value is given in the app (so in the template)', () => {
    const run = buildStore({}, (stack) => new secretsmanager.Secret(stack, 'Credential', {
      secretObjectValue: { AccessKeyId: SecretValue.unsafePlainText('ABCDEFGHIJKLMNOPQRST'), RawSecretAccessKey: SecretValue.unsafePlainText(RAW_SECRET) },
    }));
    expect(run).toThrow(/'proxyAuthenticationCredential' is a secret created in this app with its value given/);
    try { run(); } catch (error) { expect((error as Error).message).not.toContain(RAW_SECRET); }
  });

  test.each([
    ['a plain generated password (32 characters with punctuation, no JSON)', {},
      /generateStringKey must be "RawSecretAccessKey" .*secretStringTemplate must be JSON with an AccessKeyId .*passwordLength must be 43 to 64 \(received 32\); excludePunctuation must be true/],
    ['an AccessKeyId KMS refuses', { secretStringTemplate: JSON.stringify({ AccessKeyId: 'lowercase-id' }), generateStringKey: 'RawSecretAccessKey', passwordLength: 64, excludePunctuation: true },
      /secretStringTemplate must be JSON with an AccessKeyId of 20 to 30 characters A-Z and 2-7/],
    ['a key of 42 characters', { secretStringTemplate: JSON.stringify({ AccessKeyId: 'ABCDEFGHIJKLMNOPQRST' }), generateStringKey: 'RawSecretAccessKey', passwordLength: 42, excludePunctuation: true },
      /passwordLength must be 43 to 64 \(received 42\)/],
  ])('a generated credential of a shape KMS refuses: %s', (_, generate, message) => {
    expect(buildStore({}, generatedCredential(generate))).toThrow(message);
  });

  test.each(['', 'x'.repeat(257)])('customKeyStoreName of %#', (name) => {
    expect(buildStore({ customKeyStoreName: name })).toThrow(/'customKeyStoreName' must be 1 to 256 characters/);
  });

  test('removalPolicy SNAPSHOT', () => {
    expect(buildStore({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/'removalPolicy' value SNAPSHOT is not possible for a custom key store/);
  });
});

describe('XksKey bad input is a synth-time error', () => {
  test.each(['', 'key with spaces', 'key/with/slashes', 'k'.repeat(129)])('xksKeyId %j', (xksKeyId) => {
    expect(buildKey({ xksKeyId })).toThrow(/^Stack\/Key: 'xksKeyId' value .* is not an external key id KMS accepts. Allowed: 1 to 128 characters of letters, digits, "-", "_" and "."/);
  });

  test.each([
    [{ enableKeyRotation: true }, /'enableKeyRotation' value true is not possible for a key in an external key store/],
    [{ multiRegion: true }, /'multiRegion' value true is not possible for a key in an external key store/],
    [{ keySpec: kms.KeySpec.HMAC_256 }, /'keySpec' value "HMAC_256" is not possible for a key in an external key store. Allowed: SYMMETRIC_DEFAULT/],
    [{ keySpec: kms.KeySpec.RSA_2048 }, /'keySpec' value "RSA_2048"/],
    [{ accountAdministration: false }, /'accountAdministration' value false is not possible for a XksKey/],
    [{ pendingWindow: Duration.days(6) }, /'pendingWindow' value must be a whole number of days between 7 and 30. Received: 6 days/],
    [{ removalPolicy: RemovalPolicy.SNAPSHOT }, /'removalPolicy' value SNAPSHOT is not possible for a KMS key/],
    [{ aliases: ['alias/aws/xks'] }, /starts with alias\/aws\//],
  ])('%o', (props, message) => {
    expect(buildKey(props as Partial<XksKeyProps>)).toThrow(message);
  });

  test('the allowed values pass', () => {
    expect(buildKey({ xksKeyId: 'a-B_9.z', enableKeyRotation: false, multiRegion: false, keySpec: kms.KeySpec.SYMMETRIC_DEFAULT })).not.toThrow();
  });
});
