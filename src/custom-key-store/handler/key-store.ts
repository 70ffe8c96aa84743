/* eslint-disable import/no-extraneous-dependencies -- the Lambda Node.js runtime provides AWS SDK v3; the library must not depend on it */
import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CustomKeyStoresListEntry,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DescribeCustomKeyStoresCommandInput,
  DisconnectCustomKeyStoreCommand,
  KMSClient,
  UpdateCustomKeyStoreCommand,
  UpdateCustomKeyStoreCommandInput,
} from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type {
  CdkCustomResourceEvent,
  CdkCustomResourceIsCompleteEvent,
  CdkCustomResourceIsCompleteResponse,
  CdkCustomResourceResponse,
} from 'aws-lambda';
import { explained, isError } from './aws-errors';
import { explainConnectionError } from './connection-errors';
import { sleep, withBackoff } from './retry';

/**
 * The CloudHSM key store custom resource: onEvent starts each change, isComplete polls the
 * connection state until the change is done (connecting can take 20 minutes).
 *
 * The kmsuser password is read from Secrets Manager here, at run time, and goes only to KMS:
 * it is never in the event, the response, or a log line.
 */

const kms = new KMSClient({});
const secrets = new SecretsManagerClient({});

/** How long onEvent waits for a disconnect before an update (the Lambda timeout is longer). */
export const DISCONNECT_WAIT = { polls: 60, intervalMs: 10_000 };

/** The custom resource's properties, as CloudFormation sends them (all strings). */
interface StoreProps {
  readonly name: string;
  readonly clusterId: string;
  readonly trustAnchor: string;
  readonly secretArn: string;
  readonly passwordRevision: string;
}

function storeProps(raw: Record<string, any> | undefined): StoreProps {
  return {
    name: raw?.CustomKeyStoreName,
    clusterId: raw?.CloudHsmClusterId,
    trustAnchor: raw?.TrustAnchorCertificate,
    secretArn: raw?.PasswordSecretArn,
    passwordRevision: raw?.PasswordRevision ?? '',
  };
}

export async function onEvent(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  const props = storeProps(event.ResourceProperties);
  console.log(`${event.RequestType} CloudHSM key store "${props.name}" (${event.LogicalResourceId})`);
  switch (event.RequestType) {
    case 'Create': return create(props);
    case 'Update': return update(event.PhysicalResourceId, props, storeProps(event.OldResourceProperties));
    case 'Delete': return startDelete(event.PhysicalResourceId);
  }
}

export async function isComplete(event: CdkCustomResourceIsCompleteEvent): Promise<CdkCustomResourceIsCompleteResponse> {
  const id = event.PhysicalResourceId!;
  const store = await describeById(id);
  if (event.RequestType === 'Delete') { return finishDelete(id, store); }
  if (!store) { throw new Error(`Custom key store ${id} no longer exists; it was deleted outside CloudFormation while connecting.`); }
  const state = store.ConnectionState;
  console.log(`Custom key store ${id} is ${state}`);
  switch (state) {
    case 'CONNECTED':
      return { IsComplete: true, Data: { CustomKeyStoreId: id } };
    case 'FAILED':
      throw new Error(`Custom key store ${id} failed to connect to CloudHSM cluster ${store.CloudHsmClusterId}. ${explainConnectionError(store.ConnectionErrorCode)}`);
    case 'DISCONNECTED':
      await connect(id);
      return { IsComplete: false };
    default:
      return { IsComplete: false };
  }
}

async function create(props: StoreProps): Promise<CdkCustomResourceResponse> {
  // Store names are unique per account and Region, so a store with our name is a half-finished
  // earlier attempt of this very create (CloudFormation and Lambda both retry).
  const existing = await describeByName(props.name);
  let id: string;
  if (existing) {
    if (existing.CloudHsmClusterId !== props.clusterId) {
      throw new Error(`A custom key store named "${props.name}" already exists (${existing.CustomKeyStoreId}) for cluster ${existing.CloudHsmClusterId}, not ${props.clusterId}. Choose another customKeyStoreName.`);
    }
    id = existing.CustomKeyStoreId!;
    console.log(`Found custom key store ${id} from an earlier attempt; continuing with it`);
    if (existing.ConnectionState === 'FAILED') { await disconnect(id); }
  } else {
    const password = await readPassword(props.secretArn);
    try {
      const out = await withBackoff('CreateCustomKeyStore', () => kms.send(new CreateCustomKeyStoreCommand({
        CustomKeyStoreName: props.name,
        CustomKeyStoreType: 'AWS_CLOUDHSM',
        CloudHsmClusterId: props.clusterId,
        TrustAnchorCertificate: props.trustAnchor,
        KeyStorePassword: password,
      })));
      id = out.CustomKeyStoreId!;
    } catch (error) {
      throw explained(error, `KMS refused to create custom key store "${props.name}" for cluster ${props.clusterId}: ${CREATE_ERRORS[(error as Error).name] ?? 'see the KMS error'}`);
    }
    console.log(`Created custom key store ${id}`);
  }
  if (!existing || existing.ConnectionState === 'DISCONNECTED') { await connect(id); }
  return { PhysicalResourceId: id, Data: { CustomKeyStoreId: id } };
}

const CREATE_ERRORS: Record<string, string> = {
  CloudHsmClusterInUseException: 'the cluster, or a cluster with the same backup history, already backs another custom key store',
  CloudHsmClusterInvalidConfigurationException: 'the cluster needs two active HSMs in different Availability Zones and its default security group rules (TCP 2223-2225)',
  CloudHsmClusterNotActiveException: 'the cluster is not initialized and active',
  CloudHsmClusterNotFoundException: 'no cluster with this ID exists in this account and Region',
  CustomKeyStoreNameInUseException: 'the name is taken by another custom key store',
  IncorrectTrustAnchorException: 'the trust anchor certificate is not the one the cluster was initialized with (customerCA.crt)',
};

async function update(id: string, props: StoreProps, old: StoreProps): Promise<CdkCustomResourceResponse> {
  const current = await describeById(id);
  if (!current) {
    throw new Error(`Custom key store ${id} no longer exists; it was deleted outside CloudFormation. Remove it from the stack and add it again to create a new one.`);
  }
  if (props.trustAnchor !== old.trustAnchor) {
    throw new Error(`The trust anchor certificate of custom key store ${id} cannot change: KMS keeps the one the store was created with. Create a new store instead.`);
  }
  const input: UpdateCustomKeyStoreCommandInput = { CustomKeyStoreId: id };
  const changes: string[] = [];
  if (current.CustomKeyStoreName !== props.name) {
    Object.assign(input, { NewCustomKeyStoreName: props.name });
    changes.push('name');
  }
  if (current.CloudHsmClusterId !== props.clusterId) {
    Object.assign(input, { CloudHsmClusterId: props.clusterId });
    changes.push('cluster');
  }
  if (props.secretArn !== old.secretArn || props.passwordRevision !== old.passwordRevision) {
    Object.assign(input, { KeyStorePassword: await readPassword(props.secretArn) });
    changes.push('password');
  }
  if (changes.length === 0) {
    console.log(`No change KMS needs to know about for custom key store ${id}`);
    return { PhysicalResourceId: id, Data: { CustomKeyStoreId: id } };
  }
  console.log(`Updating ${changes.join(', ')} of custom key store ${id}: disconnect, update, reconnect`);
  await disconnectAndWait(id, current.ConnectionState);
  try {
    await withBackoff('UpdateCustomKeyStore', () => kms.send(new UpdateCustomKeyStoreCommand(input)));
  } catch (error) {
    throw explained(error, `KMS refused to update custom key store ${id} (${changes.join(', ')}); it stays disconnected until a deployment succeeds: ${CREATE_ERRORS[(error as Error).name] ?? 'see the KMS error'}`);
  }
  await connect(id);
  return { PhysicalResourceId: id, Data: { CustomKeyStoreId: id } };
}

async function startDelete(id: string): Promise<CdkCustomResourceResponse> {
  const current = await describeById(id);
  if (!current) {
    console.log(`Custom key store ${id} is already gone`);
  } else if (current.ConnectionState !== 'DISCONNECTED' && current.ConnectionState !== 'DISCONNECTING') {
    await disconnect(id);
  }
  return { PhysicalResourceId: id };
}

async function finishDelete(id: string, store: CustomKeyStoresListEntry | undefined): Promise<CdkCustomResourceIsCompleteResponse> {
  if (!store) { return { IsComplete: true }; }
  switch (store.ConnectionState) {
    case 'DISCONNECTING':
      return { IsComplete: false };
    case 'DISCONNECTED':
      try {
        await withBackoff('DeleteCustomKeyStore', () => kms.send(new DeleteCustomKeyStoreCommand({ CustomKeyStoreId: id })));
      } catch (error) {
        if (isError(error, 'CustomKeyStoreNotFoundException')) { return { IsComplete: true }; }
        if (isError(error, 'CustomKeyStoreHasCMKsException')) {
          throw explained(error, `Custom key store ${id} still holds KMS keys (keys pending deletion count until their waiting period ends). It is left disconnected. Delete the keys, wait for the pending window, then delete again, or keep the store with RemovalPolicy.RETAIN`);
        }
        throw error;
      }
      console.log(`Deleted custom key store ${id}`);
      return { IsComplete: true };
    default:
      await disconnect(id);
      return { IsComplete: false };
  }
}

function describeById(id: string): Promise<CustomKeyStoresListEntry | undefined> {
  return describeStore({ CustomKeyStoreId: id });
}

function describeByName(name: string): Promise<CustomKeyStoresListEntry | undefined> {
  return describeStore({ CustomKeyStoreName: name });
}

/** The one store the filter names, or undefined when there is none. */
async function describeStore(filter: DescribeCustomKeyStoresCommandInput): Promise<CustomKeyStoresListEntry | undefined> {
  try {
    const out = await withBackoff('DescribeCustomKeyStores', () => kms.send(new DescribeCustomKeyStoresCommand(filter)));
    return out.CustomKeyStores?.[0];
  } catch (error) {
    if (isError(error, 'CustomKeyStoreNotFoundException')) { return undefined; }
    throw error;
  }
}

async function connect(id: string): Promise<void> {
  try {
    await withBackoff('ConnectCustomKeyStore', () => kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id })));
    console.log(`Connecting custom key store ${id}`);
  } catch (error) {
    // Already connecting or connected: a retry raced an earlier call. isComplete polls on.
    if (!isError(error, 'CustomKeyStoreInvalidStateException')) {
      throw explained(error, `KMS could not start connecting custom key store ${id}: ${CREATE_ERRORS[(error as Error).name] ?? 'see the KMS error'}`);
    }
  }
}

async function disconnect(id: string): Promise<void> {
  try {
    await withBackoff('DisconnectCustomKeyStore', () => kms.send(new DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: id })));
    console.log(`Disconnecting custom key store ${id}`);
  } catch (error) {
    if (!isError(error, 'CustomKeyStoreInvalidStateException')) { throw error; }
  }
}

async function disconnectAndWait(id: string, state: string | undefined): Promise<void> {
  if (state === 'DISCONNECTED') { return; }
  await disconnect(id);
  for (let poll = 0; poll < DISCONNECT_WAIT.polls; poll++) {
    const store = await describeById(id);
    if (store?.ConnectionState === 'DISCONNECTED') { return; }
    await sleep(DISCONNECT_WAIT.intervalMs);
  }
  throw new Error(`Custom key store ${id} did not disconnect within ${DISCONNECT_WAIT.polls * DISCONNECT_WAIT.intervalMs / 1000} seconds; it was not updated. Retry the deployment.`);
}

/** The kmsuser password. Only its absence or length is ever reported, never the value. */
async function readPassword(secretArn: string): Promise<string> {
  const out = await withBackoff('GetSecretValue', () => secrets.send(new GetSecretValueCommand({ SecretId: secretArn })));
  const value = out.SecretString;
  if (!value) {
    throw new Error(`Secret ${secretArn} has no SecretString. Store the kmsuser password as the secret's plain string value.`);
  }
  if (value.length < 7 || value.length > 32) {
    throw new Error(`Secret ${secretArn} does not hold a valid kmsuser password: KMS accepts 7 to 32 characters.`);
  }
  return value;
}
