/* eslint-disable import/no-extraneous-dependencies -- the Lambda Node.js runtime provides AWS SDK v3; the library must not depend on it */
import { CreateCustomKeyStoreCommand, CreateCustomKeyStoreCommandInput, CustomKeyStoresListEntry, KMSClient } from '@aws-sdk/client-kms';
import type { CdkCustomResourceResponse } from 'aws-lambda';
import { explained } from './aws-errors';
import { withBackoff } from './retry';
import { ErrorExplanations, connectAfterCreate, describeByName } from './store-lifecycle';

const kms = new KMSClient({});

/** What a store handler gives to create its store; the rest is the same for every store type. */
export interface StoreCreation {
  readonly name: string;
  /** The store for error messages: `custom key store "x" for cluster c`, `external key store "x" at https://...`. */
  readonly description: string;
  readonly errors: ErrorExplanations;
  /** Why a store of this name is not the one this request creates, or undefined when it is. */
  readonly mismatch: (existing: CustomKeyStoresListEntry) => string | undefined;
  /** The CreateCustomKeyStore input. The secret is read here, only when a store is created. */
  readonly input: () => Promise<CreateCustomKeyStoreCommandInput>;
}

/**
 * Creates the store, then connects it. Store names are unique per account and Region, so a store
 * with our name is a half-finished earlier attempt of this very create (CloudFormation and
 * Lambda both retry): it is adopted instead, if it is the same store.
 */
export async function createStore(creation: StoreCreation): Promise<CdkCustomResourceResponse> {
  const existing = await describeByName(creation.name);
  let id: string;
  if (existing) {
    const mismatch = creation.mismatch(existing);
    if (mismatch) { throw new Error(mismatch); }
    id = existing.CustomKeyStoreId!;
    console.log(`Found custom key store ${id} from an earlier attempt; continuing with it`);
  } else {
    const input = await creation.input();
    try {
      const out = await withBackoff('CreateCustomKeyStore', () => kms.send(new CreateCustomKeyStoreCommand(input)));
      id = out.CustomKeyStoreId!;
    } catch (error) {
      throw explained(error, `KMS refused to create ${creation.description}: ${creation.errors[(error as Error).name] ?? 'see the KMS error'}`);
    }
    console.log(`Created custom key store ${id}`);
  }
  return connectAfterCreate(id, existing, creation.errors);
}
