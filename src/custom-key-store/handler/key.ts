/* eslint-disable import/no-extraneous-dependencies -- the Lambda Node.js runtime provides AWS SDK v3; the library must not depend on it */
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  KeyMetadata,
  KMSClient,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { explained, isError } from './aws-errors';
import { MANAGED_KEY_TAG } from './constants';
import { withBackoff } from './retry';

/**
 * The custom resource for a KMS key in a CloudHSM key store, which AWS::KMS::Key cannot create.
 *
 * Create tags the key with the CloudFormation request, so a retried create finds the key an
 * earlier attempt made instead of making a second one. Update puts the key policy and the
 * description; Delete schedules deletion with the pending window. CloudFormation only sends
 * Delete when the removal policy is DESTROY, so RETAIN keeps the key.
 */

const kms = new KMSClient({});

/** New roles in a key policy can take seconds to be visible to KMS ("invalid principal"). */
const POLICY_RETRY = { alsoRetry: ['MalformedPolicyDocumentException'], attempts: 7, baseDelayMs: 2_000 };

interface KeyProps {
  readonly storeId: string;
  /** AWS_CLOUDHSM, or EXTERNAL_KEY_STORE with the external key's id. */
  readonly origin: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  readonly xksKeyId?: string;
  readonly policy: string;
  readonly description: string;
  readonly pendingWindowInDays: number;
}

function keyProps(raw: Record<string, any> | undefined): KeyProps {
  return {
    storeId: raw?.CustomKeyStoreId,
    origin: raw?.Origin ?? 'AWS_CLOUDHSM',
    xksKeyId: raw?.XksKeyId,
    policy: JSON.stringify(raw?.KeyPolicy ?? {}),
    description: raw?.Description ?? '',
    pendingWindowInDays: Number(raw?.PendingWindowInDays ?? 30),
  };
}

export async function onEvent(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  const props = keyProps(event.ResourceProperties);
  console.log(`${event.RequestType} KMS key in custom key store ${props.storeId} (${event.LogicalResourceId})`);
  switch (event.RequestType) {
    case 'Create':
      return create(props, `${event.LogicalResourceId}/${event.RequestId}`);
    case 'Update': {
      const old = keyProps(event.OldResourceProperties);
      // A key cannot move between stores: a new key replaces it, and CloudFormation then
      // deletes (or, with RETAIN, keeps) the old one.
      if (old.storeId !== props.storeId || old.xksKeyId !== props.xksKeyId) { return create(props, `${event.LogicalResourceId}/${event.RequestId}`); }
      return update(event.PhysicalResourceId, props, old);
    }
    case 'Delete':
      return scheduleDeletion(event.PhysicalResourceId, props.pendingWindowInDays);
  }
}

async function create(props: KeyProps, marker: string): Promise<CdkCustomResourceResponse> {
  const earlier = await findKeyFromEarlierAttempt(props.storeId, marker);
  if (earlier) {
    console.log(`Found key ${earlier.KeyId} from an earlier attempt of this create; continuing with it`);
    return response(earlier);
  }
  try {
    const out = await withBackoff('CreateKey', () => kms.send(new CreateKeyCommand({
      Origin: props.origin,
      CustomKeyStoreId: props.storeId,
      XksKeyId: props.xksKeyId,
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      MultiRegion: false,
      Policy: props.policy,
      Description: props.description || undefined,
      Tags: [{ TagKey: MANAGED_KEY_TAG, TagValue: marker }],
    })), POLICY_RETRY);
    console.log(`Created key ${out.KeyMetadata!.KeyId}`);
    return response(out.KeyMetadata!);
  } catch (error) {
    throw explained(error, `KMS could not create a key in custom key store ${props.storeId}: ${CREATE_KEY_ERRORS[(error as Error).name] ?? 'see the KMS error'}`);
  }
}

const CREATE_KEY_ERRORS: Record<string, string> = {
  CustomKeyStoreInvalidStateException: 'the store is not CONNECTED',
  CustomKeyStoreNotFoundException: 'the store does not exist',
  CloudHsmClusterInvalidConfigurationException: 'the cluster needs at least two active HSMs in different Availability Zones',
  MalformedPolicyDocumentException: 'KMS rejected the key policy, usually because a principal in it does not exist',
  XksKeyAlreadyInUseException: 'the external key (xksKeyId) already backs another KMS key in this store',
  XksKeyNotFoundException: 'the external key store proxy does not know this xksKeyId',
  XksKeyInvalidConfigurationException: 'the external key is not a 256-bit AES key enabled for encryption and decryption in the external key manager',
};

async function update(keyId: string, props: KeyProps, old: KeyProps): Promise<CdkCustomResourceResponse> {
  if (props.policy !== old.policy) {
    await withBackoff('PutKeyPolicy', () => kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: props.policy })), POLICY_RETRY);
    console.log(`Put the key policy of ${keyId}`);
  }
  if (props.description !== old.description) {
    await withBackoff('UpdateKeyDescription', () => kms.send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: props.description })));
  }
  const metadata = await describe(keyId);
  if (!metadata) { throw new Error(`Key ${keyId} no longer exists; it was deleted outside CloudFormation.`); }
  return response(metadata);
}

async function scheduleDeletion(keyId: string, pendingWindowInDays: number): Promise<CdkCustomResourceResponse> {
  const metadata = await describe(keyId);
  if (!metadata || metadata.KeyState === 'PendingDeletion') {
    console.log(`Key ${keyId} is already gone or pending deletion`);
    return { PhysicalResourceId: keyId };
  }
  await withBackoff('ScheduleKeyDeletion', () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: pendingWindowInDays })));
  console.log(`Scheduled deletion of key ${keyId} in ${pendingWindowInDays} days`);
  return { PhysicalResourceId: keyId };
}

/**
 * The key a previous attempt of the same create made, if any. KMS has no idempotency token for
 * CreateKey, so the key is found by its tag among the keys of this store.
 */
async function findKeyFromEarlierAttempt(storeId: string, marker: string): Promise<KeyMetadata | undefined> {
  let pageMarker: string | undefined;
  do {
    const page = await withBackoff('ListKeys', () => kms.send(new ListKeysCommand({ Marker: pageMarker })));
    for (const entry of page.Keys ?? []) {
      const metadata = await describe(entry.KeyId!);
      if (metadata?.CustomKeyStoreId !== storeId || metadata.KeyState === 'PendingDeletion') { continue; }
      const tags = await withBackoff('ListResourceTags', () => kms.send(new ListResourceTagsCommand({ KeyId: entry.KeyId })));
      if (tags.Tags?.some((tag) => tag.TagKey === MANAGED_KEY_TAG && tag.TagValue === marker)) { return metadata; }
    }
    pageMarker = page.Truncated ? page.NextMarker : undefined;
  } while (pageMarker);
  return undefined;
}

async function describe(keyId: string): Promise<KeyMetadata | undefined> {
  try {
    const out = await withBackoff('DescribeKey', () => kms.send(new DescribeKeyCommand({ KeyId: keyId })));
    return out.KeyMetadata;
  } catch (error) {
    if (isError(error, 'NotFoundException')) { return undefined; }
    throw error;
  }
}

function response(metadata: KeyMetadata): CdkCustomResourceResponse {
  return { PhysicalResourceId: metadata.KeyId!, Data: { Arn: metadata.Arn!, KeyId: metadata.KeyId! } };
}
