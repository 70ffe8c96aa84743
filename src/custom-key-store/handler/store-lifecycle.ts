/* eslint-disable import/no-extraneous-dependencies -- the Lambda Node.js runtime provides AWS SDK v3; the library must not depend on it */
import {
  ConnectCustomKeyStoreCommand,
  CustomKeyStoresListEntry,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DescribeCustomKeyStoresCommandInput,
  DisconnectCustomKeyStoreCommand,
  KMSClient,
  UpdateCustomKeyStoreCommand,
  UpdateCustomKeyStoreCommandInput,
} from '@aws-sdk/client-kms';
import type { CdkCustomResourceEvent, CdkCustomResourceIsCompleteEvent, CdkCustomResourceIsCompleteResponse, CdkCustomResourceResponse } from 'aws-lambda';
import { explained, isError } from './aws-errors';
import { sleep, withBackoff } from './retry';

/**
 * What every custom key store goes through, whatever backs it (a CloudHSM cluster or an external
 * key store proxy): find it, connect it and wait, disconnect it to update it, and disconnect it
 * to delete it. The store handlers add what differs: how to create it and what an update changes.
 */

const kms = new KMSClient({});

/** How long onEvent waits for a disconnect before an update (the Lambda timeout is longer). */
export const DISCONNECT_WAIT = { polls: 60, intervalMs: 10_000 };

/** KMS errors a store handler explains in plain words, by exception name. */
export type ErrorExplanations = Record<string, string>;

/** What a store handler does for its store type: read its properties, create, update. */
export interface StoreHandler<P extends { readonly name: string }> {
  /** "CloudHSM key store" or "external key store", for the log. */
  readonly kind: string;
  readonly props: (raw: Record<string, any> | undefined) => P;
  readonly create: (props: P) => Promise<CdkCustomResourceResponse>;
  readonly update: (id: string, props: P, old: P) => Promise<CdkCustomResourceResponse>;
}

/** onEvent of a store handler: Create and Update by the store type, Delete starts disconnecting. */
export function storeOnEvent<P extends { readonly name: string }>(event: CdkCustomResourceEvent,
  handler: StoreHandler<P>): Promise<CdkCustomResourceResponse> {
  const props = handler.props(event.ResourceProperties);
  console.log(`${event.RequestType} ${handler.kind} "${props.name}" (${event.LogicalResourceId})`);
  switch (event.RequestType) {
    case 'Create': return handler.create(props);
    case 'Update': return handler.update(event.PhysicalResourceId, props, handler.props(event.OldResourceProperties));
    case 'Delete': return startDelete(event.PhysicalResourceId);
  }
}

/**
 * isComplete of a store handler: waits for CONNECTED after a create or update, and for the
 * deletion after a delete. `failure` says why a FAILED store failed, in the handler's words.
 */
export async function storeIsComplete(event: CdkCustomResourceIsCompleteEvent, errors: ErrorExplanations,
  failure: (store: CustomKeyStoresListEntry) => string): Promise<CdkCustomResourceIsCompleteResponse> {
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
      throw new Error(`Custom key store ${id} ${failure(store)}`);
    case 'DISCONNECTED':
      await connect(id, errors);
      return { IsComplete: false };
    default:
      return { IsComplete: false };
  }
}

/** After a create: adopt a store an earlier attempt made (connect it again if needed), or connect the new one. */
export async function connectAfterCreate(id: string, existing: CustomKeyStoresListEntry | undefined,
  errors: ErrorExplanations): Promise<CdkCustomResourceResponse> {
  if (existing?.ConnectionState === 'FAILED') { await disconnect(id); }
  if (!existing || existing.ConnectionState === 'DISCONNECTED') { await connect(id, errors); }
  return { PhysicalResourceId: id, Data: { CustomKeyStoreId: id } };
}

/**
 * Applies `input` when `changes` is not empty: disconnect, wait, UpdateCustomKeyStore, connect.
 * Keys in the store are unusable meanwhile; a refusal leaves the store disconnected.
 */
export async function updateDisconnected(current: CustomKeyStoresListEntry, input: UpdateCustomKeyStoreCommandInput,
  changes: string[], errors: ErrorExplanations): Promise<CdkCustomResourceResponse> {
  const id = current.CustomKeyStoreId!;
  if (changes.length === 0) {
    console.log(`No change KMS needs to know about for custom key store ${id}`);
    return { PhysicalResourceId: id, Data: { CustomKeyStoreId: id } };
  }
  console.log(`Updating ${changes.join(', ')} of custom key store ${id}: disconnect, update, reconnect`);
  await disconnectAndWait(id, current.ConnectionState);
  try {
    await withBackoff('UpdateCustomKeyStore', () => kms.send(new UpdateCustomKeyStoreCommand(input)));
  } catch (error) {
    throw explained(error, `KMS refused to update custom key store ${id} (${changes.join(', ')}); it stays disconnected until a deployment succeeds: ${errors[(error as Error).name] ?? 'see the KMS error'}`);
  }
  await connect(id, errors);
  return { PhysicalResourceId: id, Data: { CustomKeyStoreId: id } };
}

/** The store of a physical id, or a clear error when it was deleted outside CloudFormation. */
export async function requireStore(id: string): Promise<CustomKeyStoresListEntry> {
  const current = await describeById(id);
  if (!current) {
    throw new Error(`Custom key store ${id} no longer exists; it was deleted outside CloudFormation. Remove it from the stack and add it again to create a new one.`);
  }
  return current;
}

/** onEvent's Delete: start disconnecting; isComplete deletes once DISCONNECTED. */
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

export function describeById(id: string): Promise<CustomKeyStoresListEntry | undefined> {
  return describeStore({ CustomKeyStoreId: id });
}

export function describeByName(name: string): Promise<CustomKeyStoresListEntry | undefined> {
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

async function connect(id: string, errors: ErrorExplanations): Promise<void> {
  try {
    await withBackoff('ConnectCustomKeyStore', () => kms.send(new ConnectCustomKeyStoreCommand({ CustomKeyStoreId: id })));
    console.log(`Connecting custom key store ${id}`);
  } catch (error) {
    // Already connecting or connected: a retry raced an earlier call. isComplete polls on.
    if (!isError(error, 'CustomKeyStoreInvalidStateException')) {
      throw explained(error, `KMS could not start connecting custom key store ${id}: ${errors[(error as Error).name] ?? 'see the KMS error'}`);
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
