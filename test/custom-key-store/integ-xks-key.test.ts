import { resourceOfType, synthIntegAppTemplate } from './integ-app-support';

/**
 * The XKS integ app, synthesized as the AWS runner would. Its template snapshot is taken by
 * test/integ-local/integ-snapshots.test.ts with every other integ app. Each synth here loads the
 * library afresh (seconds), so there are two: without settings, and with all of them.
 */
const APP = 'integ/integ.xks-key.ts';
const STACK = 'XksKeyIntegStack';

describe('integ/integ.xks-key.ts', () => {
  test('synthesizes without settings, with placeholders that pass the synth checks, and stable outputs', () => {
    const template = synthIntegAppTemplate(APP, STACK);
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(['CustomKeyStoreId', 'KeyArn', 'KeyId', 'AliasName']));
    const store = resourceOfType(template, 'Custom::KmsXksKeyStore').Properties;
    expect(store).toEqual(expect.objectContaining({
      XksProxyUriEndpoint: 'https://xks-proxy.example.invalid', XksProxyUriPath: '/kms/xks/v1', XksProxyConnectivity: 'PUBLIC_ENDPOINT',
    }));
    expect(store.XksProxyVpcEndpointServiceName).toBeUndefined();
    expect(resourceOfType(template, 'Custom::KmsXksKey').Properties.XksKeyId).toBe('cdk-kms-patterns-integ-external-key');
  });

  test('takes its settings from context, and from the environment where context has none', () => {
    const template = synthIntegAppTemplate(APP, STACK, {
      proxyUriEndpoint: 'https://xks.private.example.com',
      proxyUriPath: '/team/kms/xks/v1',
      vpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
      proxyCredentialSecretName: 'team/xks-credential',
    }, { XKS_KEY_ID: 'env-key-7', XKS_PROXY_URI_PATH: '/ignored/kms/xks/v1' });
    const store = resourceOfType(template, 'Custom::KmsXksKeyStore').Properties;
    expect(store).toEqual(expect.objectContaining({
      XksProxyUriEndpoint: 'https://xks.private.example.com',
      XksProxyUriPath: '/team/kms/xks/v1',
      XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE',
      XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
    }));
    expect(JSON.stringify(store.CredentialSecretArn)).toContain('secret:team/xks-credential');
    expect(resourceOfType(template, 'Custom::KmsXksKey').Properties.XksKeyId).toBe('env-key-7');
  });
});
