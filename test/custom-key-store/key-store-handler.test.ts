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
import { EXPLAINED_CONNECTION_ERROR_CODES } from '../../src/custom-key-store/handler/connection-errors';
import { DISCONNECT_WAIT, isComplete, onEvent } from '../../src/custom-key-store/handler/key-store';

const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);
const PASSWORD = 'kmsuser-S3cret!pw';
const NEW_PASSWORD = 'kmsuser-N3w!pw';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:kmsuser-AbCdEf';
const STORE_ID = 'cks-1234567890abcdef0';
const PROPS = {
  CustomKeyStoreName: 'hsm-store',
  CloudHsmClusterId: 'cluster-abcdefghijk',
  TrustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
  PasswordSecretArn: SECRET_ARN,
};

function store(state: string, extra: Record<string, unknown> = {}): DescribeCustomKeyStoresCommandOutput {
  return { $metadata: {}, CustomKeyStores: [{ CustomKeyStoreId: STORE_ID, CustomKeyStoreName: 'hsm-store', CloudHsmClusterId: 'cluster-abcdefghijk', ConnectionState: state, ...extra } as CustomKeyStoresListEntry] };
}

let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  kms.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: PASSWORD });
  output = captureOutput();
});
afterEach(() => {
  // The kmsuser password never reaches a log line, whatever the test did.
  for (const line of output.lines) {
    expect(line).not.toContain(PASSWORD);
    expect(line).not.toContain(NEW_PASSWORD);
  }
  output.restore();
});

describe('create', () => {
  test('creates the store with the password from the secret, then connects', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    kms.on(CreateCustomKeyStoreCommand).resolves({ CustomKeyStoreId: STORE_ID });
    kms.on(ConnectCustomKeyStoreCommand).resolves({});

    const response = await onEvent(cfnEvent('Create', PROPS));

    expect(response).toEqual({ PhysicalResourceId: STORE_ID, Data: { CustomKeyStoreId: STORE_ID } });
    expect(kms.commandCalls(CreateCustomKeyStoreCommand)[0].args[0].input).toEqual({
      CustomKeyStoreName: 'hsm-store',
      CustomKeyStoreType: 'AWS_CLOUDHSM',
      CloudHsmClusterId: 'cluster-abcdefghijk',
      TrustAnchorCertificate: PROPS.TrustAnchorCertificate,
      KeyStorePassword: PASSWORD,
    });
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)[0].args[0].input).toEqual({ CustomKeyStoreId: STORE_ID });
    expect(JSON.stringify(response)).not.toContain(PASSWORD);
  });

  test('a retry after a half-finished create adopts the store it made instead of making another', async () => {
    kms.on(DescribeCustomKeyStoresCommand, { CustomKeyStoreName: 'hsm-store' }).resolves(store('DISCONNECTED'));
    kms.on(ConnectCustomKeyStoreCommand).resolves({});

    const response = await onEvent(cfnEvent('Create', PROPS));

    expect(response.PhysicalResourceId).toBe(STORE_ID);
    expect(kms.commandCalls(CreateCustomKeyStoreCommand)).toHaveLength(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(1);
  });

  test('a retry that finds the store already connecting does not connect again', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('CONNECTING'));
    await onEvent(cfnEvent('Create', PROPS));
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(0);
  });

  test('a retry that finds the store FAILED disconnects it so isComplete connects again', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('FAILED', { ConnectionErrorCode: 'NETWORK_ERRORS' }));
    kms.on(DisconnectCustomKeyStoreCommand).resolves({});
    await onEvent(cfnEvent('Create', PROPS));
    expect(kms.commandCalls(DisconnectCustomKeyStoreCommand)).toHaveLength(1);
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(0);
  });

  test('a store of the same name on another cluster is an error, not adopted', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('CONNECTED', { CloudHsmClusterId: 'cluster-zzzzzzzzzzz' }));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(/already exists .* for cluster cluster-zzzzzzzzzzz, not cluster-abcdefghijk/);
  });

  test('a KMS refusal is explained', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    kms.on(CreateCustomKeyStoreCommand).rejects(awsError('IncorrectTrustAnchorException'));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(/trust anchor certificate is not the one the cluster was initialized with/);
  });

  test.each([
    [{ SecretString: undefined }, /has no SecretString/],
    [{ SecretString: 'short' }, /KMS accepts 7 to 32 characters/],
    [{ SecretString: 'x'.repeat(33) }, /KMS accepts 7 to 32 characters/],
  ])('an unusable secret value is reported without the value: %o', async (secret, message) => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    secrets.on(GetSecretValueCommand).resolves(secret);
    const failure = onEvent(cfnEvent('Create', PROPS));
    await expect(failure).rejects.toThrow(message);
    await failure.catch((error: Error) => { if (secret.SecretString) { expect(error.message).not.toContain(secret.SecretString); } });
    expect(kms.commandCalls(CreateCustomKeyStoreCommand)).toHaveLength(0);
  });
});

describe('throttling', () => {
  test('throttled calls back off exponentially and then succeed', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    kms.on(CreateCustomKeyStoreCommand)
      .rejectsOnce(awsError('ThrottlingException'))
      .rejectsOnce(awsError('ThrottlingException'))
      .rejectsOnce(awsError('ThrottlingException'))
      .resolves({ CustomKeyStoreId: STORE_ID });
    kms.on(ConnectCustomKeyStoreCommand).resolves({});
    const random = jest.spyOn(Math, 'random').mockReturnValue(1);

    await onEvent(cfnEvent('Create', PROPS));
    random.mockRestore();

    expect(kms.commandCalls(CreateCustomKeyStoreCommand)).toHaveLength(4);
    expect(output.delays).toEqual([500, 1000, 2000]);
    expect(output.lines.filter((line) => line.includes('ThrottlingException'))).toHaveLength(3);
  });

  test('throttling that never ends fails after the last attempt', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('ThrottlingException'));
    await expect(isComplete(cfnEvent('Create', PROPS, { PhysicalResourceId: STORE_ID }))).rejects.toThrow(/ThrottlingException/);
    expect(kms.commandCalls(DescribeCustomKeyStoresCommand)).toHaveLength(8);
    expect(Math.max(...output.delays)).toBeLessThanOrEqual(20_000);
  });

  test('errors that are not transient are not retried', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('AccessDeniedException'));
    await expect(isComplete(cfnEvent('Create', PROPS, { PhysicalResourceId: STORE_ID }))).rejects.toThrow(/AccessDeniedException/);
    expect(kms.commandCalls(DescribeCustomKeyStoresCommand)).toHaveLength(1);
  });
});

describe('isComplete while creating or updating', () => {
  const poll = () => isComplete(cfnEvent('Create', PROPS, { PhysicalResourceId: STORE_ID }));

  test('CONNECTING then CONNECTED', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolvesOnce(store('CONNECTING')).resolvesOnce(store('CONNECTING')).resolves(store('CONNECTED'));
    expect(await poll()).toEqual({ IsComplete: false });
    expect(await poll()).toEqual({ IsComplete: false });
    expect(await poll()).toEqual({ IsComplete: true, Data: { CustomKeyStoreId: STORE_ID } });
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(0);
  });

  test('DISCONNECTED (the connect call was lost) connects again and keeps waiting', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    kms.on(ConnectCustomKeyStoreCommand).resolves({});
    expect(await poll()).toEqual({ IsComplete: false });
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(1);
  });

  test('a connect that races an earlier one is not an error', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    kms.on(ConnectCustomKeyStoreCommand).rejects(awsError('CustomKeyStoreInvalidStateException'));
    expect(await poll()).toEqual({ IsComplete: false });
  });

  test('DISCONNECTING keeps waiting', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTING'));
    expect(await poll()).toEqual({ IsComplete: false });
  });

  test.each(EXPLAINED_CONNECTION_ERROR_CODES)('FAILED with %s fails with the code explained', async (code) => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('FAILED', { ConnectionErrorCode: code }));
    const failure = poll();
    await expect(failure).rejects.toThrow(new RegExp(`failed to connect to CloudHSM cluster cluster-abcdefghijk. ${code}: [A-Z]`));
    await failure.catch((error: Error) => expect(error.message).not.toMatch(/does not know/));
  });

  test('FAILED with a code this library does not know still fails, pointing at the guide', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('FAILED', { ConnectionErrorCode: 'SOMETHING_NEW' }));
    await expect(poll()).rejects.toThrow(/SOMETHING_NEW: an error code this library does not know; see "How to fix a connection failure"/);
  });

  test('FAILED without a code', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('FAILED'));
    await expect(poll()).rejects.toThrow(/KMS gave no ConnectionErrorCode/);
  });

  test('a store deleted outside CloudFormation while connecting', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    await expect(poll()).rejects.toThrow(/no longer exists/);
  });
});

describe('update', () => {
  const update = (props: Record<string, unknown>, old: Record<string, unknown> = PROPS) =>
    onEvent(cfnEvent('Update', { ...PROPS, ...props }, { PhysicalResourceId: STORE_ID, OldResourceProperties: old }));

  test('a no-op update keeps the physical id and touches nothing', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('CONNECTED'));
    expect(await update({})).toEqual({ PhysicalResourceId: STORE_ID, Data: { CustomKeyStoreId: STORE_ID } });
    expect(kms.commandCalls(DisconnectCustomKeyStoreCommand)).toHaveLength(0);
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)).toHaveLength(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('rename: disconnect, wait, update the name, reconnect', async () => {
    kms.on(DescribeCustomKeyStoresCommand)
      .resolvesOnce(store('CONNECTED'))
      .resolvesOnce(store('DISCONNECTING'))
      .resolves(store('DISCONNECTED'));
    kms.on(DisconnectCustomKeyStoreCommand).resolves({});
    kms.on(UpdateCustomKeyStoreCommand).resolves({});
    kms.on(ConnectCustomKeyStoreCommand).resolves({});

    const response = await update({ CustomKeyStoreName: 'renamed' });

    expect(response.PhysicalResourceId).toBe(STORE_ID);
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)[0].args[0].input).toEqual({ CustomKeyStoreId: STORE_ID, NewCustomKeyStoreName: 'renamed' });
    expect(output.delays).toEqual([DISCONNECT_WAIT.intervalMs]);
    expect(kms.commandCalls(ConnectCustomKeyStoreCommand)).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('password change (new revision) re-reads the secret and updates the password only', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolvesOnce(store('CONNECTED')).resolves(store('DISCONNECTED'));
    secrets.on(GetSecretValueCommand).resolves({ SecretString: NEW_PASSWORD });
    await update({ PasswordRevision: '2' });
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)[0].args[0].input).toEqual({ CustomKeyStoreId: STORE_ID, KeyStorePassword: NEW_PASSWORD });
  });

  test('a different secret is a password change too', async () => {
    const other = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:other-XyZabc';
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    secrets.on(GetSecretValueCommand, { SecretId: other }).resolves({ SecretString: NEW_PASSWORD });
    await update({ PasswordSecretArn: other });
    expect(kms.commandCalls(DisconnectCustomKeyStoreCommand)).toHaveLength(0);
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)[0].args[0].input.KeyStorePassword).toBe(NEW_PASSWORD);
  });

  test('a retried rename that already happened does not update again', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('CONNECTED', { CustomKeyStoreName: 'renamed' }));
    await update({ CustomKeyStoreName: 'renamed' });
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)).toHaveLength(0);
  });

  test('a store that does not disconnect in time fails before updating anything', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('CONNECTED'));
    kms.on(DisconnectCustomKeyStoreCommand).resolves({});
    await expect(update({ CustomKeyStoreName: 'renamed' })).rejects.toThrow(/did not disconnect within 600 seconds; it was not updated/);
    expect(output.delays).toHaveLength(DISCONNECT_WAIT.polls);
    expect(kms.commandCalls(UpdateCustomKeyStoreCommand)).toHaveLength(0);
  });

  test('a new trust anchor is refused: KMS cannot change it', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('CONNECTED'));
    await expect(update({ TrustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----' }))
      .rejects.toThrow(/trust anchor certificate .* cannot change/);
  });

  test('a store deleted outside CloudFormation', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    await expect(update({ CustomKeyStoreName: 'renamed' })).rejects.toThrow(/no longer exists/);
  });

  test('an UpdateCustomKeyStore refusal says the store stays disconnected', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    kms.on(UpdateCustomKeyStoreCommand).rejects(awsError('CloudHsmClusterNotActiveException'));
    await expect(update({ CustomKeyStoreName: 'renamed' })).rejects.toThrow(/stays disconnected .*not initialized and active/);
  });
});

describe('delete', () => {
  const deleteEvent = () => cfnEvent('Delete', PROPS, { PhysicalResourceId: STORE_ID });

  test('disconnects a connected store, waits, then deletes it', async () => {
    kms.on(DescribeCustomKeyStoresCommand)
      .resolvesOnce(store('CONNECTED'))
      .resolvesOnce(store('DISCONNECTING'))
      .resolves(store('DISCONNECTED'));
    kms.on(DisconnectCustomKeyStoreCommand).resolves({});
    kms.on(DeleteCustomKeyStoreCommand).resolves({});

    expect(await onEvent(deleteEvent())).toEqual({ PhysicalResourceId: STORE_ID });
    expect(kms.commandCalls(DisconnectCustomKeyStoreCommand)).toHaveLength(1);
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: false });
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: true });
    expect(kms.commandCalls(DeleteCustomKeyStoreCommand)[0].args[0].input).toEqual({ CustomKeyStoreId: STORE_ID });
  });

  test('an already deleted store is fine at every step', async () => {
    kms.on(DescribeCustomKeyStoresCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    expect(await onEvent(deleteEvent())).toEqual({ PhysicalResourceId: STORE_ID });
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: true });
    expect(kms.commandCalls(DisconnectCustomKeyStoreCommand)).toHaveLength(0);
    expect(kms.commandCalls(DeleteCustomKeyStoreCommand)).toHaveLength(0);
  });

  test('a store deleted between describe and delete is fine', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    kms.on(DeleteCustomKeyStoreCommand).rejects(awsError('CustomKeyStoreNotFoundException'));
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: true });
  });

  test('a store that reconnected meanwhile is disconnected again', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('CONNECTING'));
    kms.on(DisconnectCustomKeyStoreCommand).resolves({});
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: false });
    expect(kms.commandCalls(DisconnectCustomKeyStoreCommand)).toHaveLength(1);
  });

  test('a store that still holds keys fails with what to do', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolves(store('DISCONNECTED'));
    kms.on(DeleteCustomKeyStoreCommand).rejects(awsError('CustomKeyStoreHasCMKsException'));
    await expect(isComplete(deleteEvent())).rejects.toThrow(/still holds KMS keys .*RemovalPolicy.RETAIN/);
  });

  test('a FAILED store (rollback of a failed create) is disconnected and deleted', async () => {
    kms.on(DescribeCustomKeyStoresCommand).resolvesOnce(store('FAILED', { ConnectionErrorCode: 'INVALID_CREDENTIALS' })).resolves(store('DISCONNECTED'));
    kms.on(DisconnectCustomKeyStoreCommand).resolves({});
    kms.on(DeleteCustomKeyStoreCommand).resolves({});
    await onEvent(deleteEvent());
    expect(await isComplete(deleteEvent())).toEqual({ IsComplete: true });
  });
});
