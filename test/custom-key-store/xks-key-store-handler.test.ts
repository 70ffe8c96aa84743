import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CustomKeyStoresListEntry,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DescribeCustomKeyStoresCommandOutput,
  DisconnectCustomKeyStoreCommand,
  KMSClient,
  UpdateCustomKeyStoreCommand,
} from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, captureOutput, cfnEvent } from './handler-support';
import { EXPLAINED_XKS_CONNECTION_ERROR_CODES } from '../../src/custom-key-store/handler/connection-errors';
import { isComplete, onEvent } from '../../src/custom-key-store/handler/xks-key-store';

const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);
const ACCESS_KEY_ID = 'ABCDEFGHIJKLMNOPQRST234567';
const SECRET_ACCESS_KEY = 'k3yM4terial/For+The=Proxy0123456789abcdefghijKLMN';
const NEW_SECRET_ACCESS_KEY = 'n3wK3yM4terial/For+The=Proxy0123456789abcdefghijK';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:xks-credential-AbCdEf';
const STORE_ID = 'cks-1234567890abcdef0';
const PROPS = {
  CustomKeyStoreName: 'xks-store',
  XksProxyUriEndpoint: 'https://xks.example.com',
  XksProxyUriPath: '/example/kms/xks/v1',
  XksProxyConnectivity: 'PUBLIC_ENDPOINT',
  CredentialSecretArn: SECRET_ARN,
};
const VPC_PROPS = {
  ...PROPS,
  XksProxyUriEndpoint: 'https://xks.private.example.com',
  XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE',
  XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
  XksProxyVpcEndpointServiceOwner: '222222222222',
};

function credential(secretAccessKey = SECRET_ACCESS_KEY, accessKeyId = ACCESS_KEY_ID): string {
  return JSON.stringify({ AccessKeyId: accessKeyId, RawSecretAccessKey: secretAccessKey });
}

function store(state: string, extra: Partial<CustomKeyStoresListEntry> = {}): DescribeCustomKeyStoresCommandOutput {
  return {
    $metadata: {},
    CustomKeyStores: [{
      CustomKeyStoreId: STORE_ID,
      CustomKeyStoreName: 'xks-store',
      CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
      ConnectionState: state,
      XksProxyConfiguration: { Connectivity: 'PUBLIC_ENDPOINT', UriEndpoint: 'https://xks.example.com', UriPath: '/example/kms/xks/v1', AccessKeyId: ACCESS_KEY_ID },
      ...extra,
    } as CustomKeyStoresListEntry],
  };
}

let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  kms.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: credential() });
  output = captureOutput();
});
afterEach(() => {
  // The proxy's secret access key never reaches a log line, whatever the test did.
  for (const line of output.lines) {
    expect(line).not.toContain(SECRET_ACCESS_KEY);
    expect(line).not.toContain(NEW_SECRET_ACCESS_KEY);
  }
  output.restore();
});

describe('create', () => {
  test('public endpoint: creates the store with the credential from the secret, then connects', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    kms.on(CreateCustomKeyStoreCommand).resolves({ CustomKeyStoreId: STORE_ID });
    kms.on(ConnectCustomKeyStoreCommand).resolves({});

    const response = await onEvent(cfnEvent('Create', PROPS));

    expect(response).toEqual({ PhysicalResourceId: STORE_ID, Data: { CustomKeyStoreId: STORE_ID } });
    expect(kms.commandCalls(CreateCustomKeyStoreCommand)[0].args[0].input).toEqual({
      CustomKeyStoreName: 'xks-store',
      CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
      XksProxyUriEndpoint: 'https://xks.example.com',
      XksProxyUriPath: '/example/kms/xks/v1',
      XksProxyConnectivity: 'PUBLIC_ENDPOINT',
      XksProxyVpcEndpointServiceName: undefined,
      XksProxyVpcEndpointServiceOwner: undefined,
      XksProxyAuthenticationCredential: { AccessKeyId: ACCESS_KEY_ID, RawSecretAccessKey: SECRET_ACCESS_KEY },
    });
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)[0].args[0].input).toEqual({ CustomKeyStoreId: STORE_ID });
    expect(JSON.stringify(response)).not.toContain(SECRET_ACCESS_KEY);
  });

  test('VPC endpoint service: the service name and owner go to KMS', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    kms.on(CreateCustomKeyStoreCommand).resolves({ CustomKeyStoreId: STORE_ID });
    kms.on(ConnectCustomKeyStoreCommand).resolves({});
    await onEvent(cfnEvent('Create', VPC_PROPS));
    expect(kms.commandCalls(CreateCustomKeyStoreCommand)[0].args[0].input).toEqual(expect.objectContaining({
      XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE',
      XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
      XksProxyVpcEndpointServiceOwner: '222222222222',
    }));
  });

  test('a retry after a half-finished create adopts the store of the same name and proxy, without reading the secret', async () => {
    kms.on(DescribeCustomKeyStoresCommand, { CustomKeyStoreName: 'xks-store' }).resolves(store('DISCONNECTED'));
    kms.on(ConnectCustomKeyStoreCommand).resolves({});
    expect((await onEvent(cfnEvent('Create', PROPS))).PhysicalResourceId).toBe(STORE_ID);
    expect(kms.commandCalls(CreateCustomKeyStoreCommand)).toHaveLength(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(1);
  });

  test('a retry that finds the store FAILED disconnects it so isComplete connects again', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('FAILED', { ConnectionErrorCode: 'XKS_PROXY_TIMED_OUT' }));
    kms.on(DisconnectCustomKeyStoreCommand).resolves({});
    await onEvent(cfnEvent('Create', PROPS));
    expect(kms.commandCalls(DisconnectCustomKeyStoreCommand)).toHaveLength(1);
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(0);
  });

  test.each([
    ['a CloudHSM key store', { CustomKeyStoreType: 'AWS_CLOUDHSM', XksProxyConfiguration: undefined }, /already exists \(cks-.*, AWS_CLOUDHSM\), not an external key store/],
    ['another proxy', { XksProxyConfiguration: { UriEndpoint: 'https://other.example.com', UriPath: '/kms/xks/v1' } }, /at https:\/\/other.example.com\/kms\/xks\/v1\), not an external key store at https:\/\/xks.example.com/],
  ])('a store of the same name that is %s is an error, not adopted', async (_, extra, message) => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('CONNECTED', extra as Partial<CustomKeyStoresListEntry>));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(message);
  });

  test.each([
    ['XksProxyUriUnreachableException', /KMS cannot reach the proxy at this endpoint and path/],
    ['XksProxyIncorrectAuthenticationCredentialException', /proxy rejected the authentication credential .*new credentialRevision/],
    ['XksProxyUriInUseException', /uses this endpoint and path/],
    ['XksProxyUriEndpointInUseException', /uses this endpoint \(a public store and a VPC store cannot share it/],
    ['XksProxyVpcEndpointServiceNotFoundException', /no VPC endpoint service of that name/],
    ['XksProxyVpcEndpointServiceInUseException', /already serves another external key store/],
    ['XksProxyVpcEndpointServiceInvalidConfigurationException', /does not meet the external key store requirements/],
    ['XksProxyInvalidConfigurationException', /proxy is not configured correctly/],
    ['XksProxyInvalidResponseException', /cannot read the proxy's answer/],
    ['CustomKeyStoreNameInUseException', /name is taken/],
    ['LimitExceededException', /quota of custom key stores/],
  ])('a KMS refusal %s is explained', async (name, message) => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    kms.on(CreateCustomKeyStoreCommand).rejects(awsError(name));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(new RegExp(`KMS refused to create external key store "xks-store" at https://xks.example.com/example/kms/xks/v1: .*${message.source}`));
  });

  test.each([
    ['not JSON', 'AKIA-not-json', /does not hold JSON/],
    ['no AccessKeyId', JSON.stringify({ RawSecretAccessKey: SECRET_ACCESS_KEY }), /no valid AccessKeyId: KMS accepts 20 to 30 characters A-Z and 2-7 \(not shown\)/],
    ['an AccessKeyId with lower case', credential(SECRET_ACCESS_KEY, 'abcdefghijklmnopqrstu'), /no valid AccessKeyId/],
    ['a secret access key of 42 characters', credential('x'.repeat(42)), /no valid RawSecretAccessKey: KMS accepts 43 to 64 characters/],
    ['a secret access key with punctuation', credential(`${'x'.repeat(43)}!`), /no valid RawSecretAccessKey/],
    ['a secret access key of 65 characters', credential('y'.repeat(65)), /no valid RawSecretAccessKey/],
  ])('an unusable credential (%s) is reported without the value, and nothing reaches KMS', async (_, value, message) => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    secrets.on(GetSecretValueCommand).resolves({ SecretString: value });
    const failure = onEvent(cfnEvent('Create', PROPS));
    await expect(failure).rejects.toThrow(message);
    await failure.catch((error: Error) => {
      expect(error.message).not.toContain(value);
      expect(error.message).not.toMatch(/xxxxx|yyyyy|abcdefghijklmnopqrstu|AKIA-not-json/);
    });
    expect(kms.commandCalls(CreateCustomKeyStoreCommand)).toHaveLength(0);
  });
});

describe('isComplete while creating or updating', () => {
  const poll = () => isComplete(cfnEvent('Create', PROPS, { PhysicalResourceId: STORE_ID }));

  test('CONNECTING then CONNECTED', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolvesOnce(store('CONNECTING')).resolves(store('CONNECTED'));
    expect(await poll()).toEqual({ IsComplete: false });
    expect(await poll()).toEqual({ IsComplete: true, Data: { CustomKeyStoreId: STORE_ID } });
  });

  test('DISCONNECTED (the connect call was lost) connects again and keeps waiting', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    kms.on(ConnectCustomKeyStoreCommand).resolves({});
    expect(await poll()).toEqual({ IsComplete: false });
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(1);
  });

  test('a connect refusal is explained with the XKS table', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    kms.on(ConnectCustomKeyStoreCommand).rejects(awsError('XksProxyUriUnreachableException'));
    await expect(poll()).rejects.toThrow(/KMS could not start connecting custom key store cks-.*: KMS cannot reach the proxy/);
  });

  test('DISCONNECTING keeps waiting', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTING'));
    expect(await poll()).toEqual({ IsComplete: false });
  });

  test('the XKS table explains every code KMS documents for external key stores', () => {
    expect([...EXPLAINED_XKS_CONNECTION_ERROR_CODES].sort()).toEqual([
      'INTERNAL_ERROR', 'INVALID_CREDENTIALS', 'NETWORK_ERRORS',
      'XKS_PROXY_ACCESS_DENIED', 'XKS_PROXY_INVALID_CONFIGURATION', 'XKS_PROXY_INVALID_RESPONSE', 'XKS_PROXY_INVALID_TLS_CONFIGURATION',
      'XKS_PROXY_NOT_REACHABLE', 'XKS_PROXY_TIMED_OUT', 'XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION', 'XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND',
    ]);
  });

  test.each(EXPLAINED_XKS_CONNECTION_ERROR_CODES)('FAILED with %s fails with the code explained for an external key store', async (code) => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('FAILED', { ConnectionErrorCode: code as CustomKeyStoresListEntry['ConnectionErrorCode'] }));
    const failure = poll();
    await expect(failure).rejects.toThrow(new RegExp(`failed to connect to its external key store proxy https://xks.example.com/example/kms/xks/v1 \\(PUBLIC_ENDPOINT\\). ${code}: [A-Z]`));
    await failure.catch((error: Error) => expect(error.message).not.toMatch(/does not know|kmsuser|cluster/));
  });

  test('INVALID_CREDENTIALS means the proxy credential here, not the kmsuser password', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('FAILED', { ConnectionErrorCode: 'INVALID_CREDENTIALS' }));
    await expect(poll()).rejects.toThrow(/proxy does not accept the authentication credential in the secret .*new credentialRevision/);
  });

  test('FAILED with a code this library does not know still fails, pointing at the guide', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('FAILED', { ConnectionErrorCode: 'USER_LOCKED_OUT' }));
    await expect(poll()).rejects.toThrow(/USER_LOCKED_OUT: an error code this library does not know/);
  });

  test('a store deleted outside CloudFormation while connecting', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    await expect(poll()).rejects.toThrow(/no longer exists/);
  });
});

describe('update: disconnect, update what changed, reconnect', () => {
  const update = (props: Record<string, unknown>, old: Record<string, unknown> = PROPS) =>
    onEvent(cfnEvent('Update', { ...PROPS, ...props }, { PhysicalResourceId: STORE_ID, OldResourceProperties: old }));

  beforeEach(() => {
    kms.on(DisconnectCustomKeyStoreCommand).resolves({});
    kms.on(UpdateCustomKeyStoreCommand).resolves({});
    kms.on(ConnectCustomKeyStoreCommand).resolves({});
  });

  test('a no-op update touches nothing and reads no secret', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('CONNECTED'));
    expect(await update({})).toEqual({ PhysicalResourceId: STORE_ID, Data: { CustomKeyStoreId: STORE_ID } });
    expect(kms.commandCalls(DisconnectCustomKeyStoreCommand)).toHaveLength(0);
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)).toHaveLength(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test.each([
    ['name', { CustomKeyStoreName: 'renamed' }, { NewCustomKeyStoreName: 'renamed' }],
    ['endpoint', { XksProxyUriEndpoint: 'https://xks2.example.com' }, { XksProxyUriEndpoint: 'https://xks2.example.com' }],
    ['path', { XksProxyUriPath: '/kms/xks/v1' }, { XksProxyUriPath: '/kms/xks/v1' }],
  ])('%s', async (_, props, expected) => {
    kms.on(DescribeCustomKeyStoresCommand).resolvesOnce(store('CONNECTED')).resolves(store('DISCONNECTED'));
    await update(props);
    expect(kms.commandCalls(DisconnectCustomKeyStoreCommand)).toHaveLength(1);
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)[0].args[0].input).toEqual({ CustomKeyStoreId: STORE_ID, ...expected });
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('public to VPC endpoint service: connectivity, endpoint and service in one update', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    await update(VPC_PROPS);
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)[0].args[0].input).toEqual({
      CustomKeyStoreId: STORE_ID,
      XksProxyUriEndpoint: 'https://xks.private.example.com',
      XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE',
      XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
      XksProxyVpcEndpointServiceOwner: '222222222222',
    });
  });

  test('a new credentialRevision re-reads the secret and updates the credential only', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolvesOnce(store('CONNECTED')).resolves(store('DISCONNECTED'));
    secrets.on(GetSecretValueCommand).resolves({ SecretString: credential(NEW_SECRET_ACCESS_KEY) });
    await update({ CredentialRevision: '2' });
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)[0].args[0].input).toEqual({
      CustomKeyStoreId: STORE_ID, XksProxyAuthenticationCredential: { AccessKeyId: ACCESS_KEY_ID, RawSecretAccessKey: NEW_SECRET_ACCESS_KEY },
    });
  });

  test('a different secret is a credential change too', async () => {
    const other = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:other-XyZabc';
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    secrets.on(GetSecretValueCommand, { SecretId: other }).resolves({ SecretString: credential(NEW_SECRET_ACCESS_KEY) });
    await update({ CredentialSecretArn: other });
    const input = kms.commandCalls(UpdateCustomKeyStoreCommand)[0].args[0].input;
    expect(input.XksProxyAuthenticationCredential?.RawSecretAccessKey).toBe(NEW_SECRET_ACCESS_KEY);
  });

  test('a refused update leaves the store disconnected, and says so with the reason', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    kms.on(UpdateCustomKeyStoreCommand).rejects(awsError('XksProxyUriUnreachableException'));
    await expect(update({ XksProxyUriPath: '/kms/xks/v1' })).rejects.toThrow(/\(path\); it stays disconnected until a deployment succeeds: KMS cannot reach the proxy/);
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(0);
  });

  test('a store deleted outside CloudFormation', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    await expect(update({ CustomKeyStoreName: 'renamed' })).rejects.toThrow(/no longer exists; it was deleted outside CloudFormation/);
  });
});

describe('delete', () => {
  const deleteEvent = () => cfnEvent('Delete', PROPS, { PhysicalResourceId: STORE_ID });

  test('disconnects a connected store, waits, then deletes it', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolvesOnce(store('CONNECTED')).resolvesOnce(store('DISCONNECTING')).resolves(store('DISCONNECTED'));
    kms.on(DisconnectCustomKeyStoreCommand).resolves({});
    kms.on(DeleteCustomKeyStoreCommand).resolves({});
    expect(await onEvent(deleteEvent())).toEqual({ PhysicalResourceId: STORE_ID });
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: false });
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: true });
    expect(kms.commandCalls(DeleteCustomKeyStoreCommand)[0].args[0].input).toEqual({ CustomKeyStoreId: STORE_ID });
  });

  test('a store that still holds keys fails with what to do', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    kms.on(DeleteCustomKeyStoreCommand).rejects(awsError('CustomKeyStoreHasCMKsException'));
    await expect(isComplete(deleteEvent())).rejects.toThrow(/still holds KMS keys .*RemovalPolicy.RETAIN/);
  });

  test('an already deleted store is fine', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    expect(await onEvent(deleteEvent())).toEqual({ PhysicalResourceId: STORE_ID });
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: true });
  });
});
