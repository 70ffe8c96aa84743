/* eslint-disable import/no-extraneous-dependencies -- the Lambda Node.js runtime provides AWS SDK v3; the library must not depend on it */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  KeyMetadata,
  KMSClient,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { explained, isError } from './aws-errors';
import { MANAGED_KEY_TAGS, StoreKeyOrigin } from './constants';
import { requestAlias, requestMarker } from './request-identity';
import { withBackoff } from './retry';

/**
 * The custom resource for a KMS key in a CloudHSM key store, which AWS::KMS::Key cannot create.
 *
 * Create tags the key with the CloudFormation request and gives it an alias named after the
 * request, so a retried create finds the key an earlier attempt made with one DescribeKey
 * instead of making a second one or scanning the account. Update puts the key policy and the
 * description; Delete schedules deletion with the pending window. CloudFormation only sends
 * Delete when the removal policy is DESTROY, so RETAIN keeps the key.
 */

const kms = new KMSClient({});

/** Keys this handler made but could not record are deleted after the shortest window KMS allows. */
const ABANDONED_KEY_PENDING_DAYS = 7;

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

/** The store type of the request; the tag and request alias depend on it. */
function storeKeyOrigin(origin: unknown): StoreKeyOrigin {
  if (origin === undefined || origin === 'AWS_CLOUDHSM') { return 'AWS_CLOUDHSM'; }
  if (origin === 'EXTERNAL_KEY_STORE') { return origin; }
  throw new Error(`Origin ${JSON.stringify(origin)} is not a custom key store origin; expected AWS_CLOUDHSM or EXTERNAL_KEY_STORE`);
}

function keyProps(raw: Record<string, any> | undefined): KeyProps {
  return {
    storeId: raw?.CustomKeyStoreId,
    origin: storeKeyOrigin(raw?.Origin),
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
      return create(props, requestMarker(event.LogicalResourceId, event.RequestId));
    case 'Update': {
      const old = keyProps(event.OldResourceProperties);
      // A key cannot move between stores: a new key replaces it, and CloudFormation then
      // deletes (or, with RETAIN, keeps) the old one.
      // Nor can it change its external key (XKS): that is another key too.
      if (old.storeId !== props.storeId || old.xksKeyId !== props.xksKeyId) {
        return create(props, requestMarker(event.LogicalResourceId, event.RequestId));
      }
      return update(event.PhysicalResourceId, props, old);
    }
    case 'Delete':
      return scheduleDeletion(event.PhysicalResourceId, props.pendingWindowInDays);
  }
}

async function create(props: KeyProps, marker: string): Promise<CdkCustomResourceResponse> {
  const alias = requestAlias(marker, props.origin);
  const earlier = await describe(alias);
  if (earlier) {
    console.log(`Found key ${earlier.KeyId} from an earlier attempt of this create (${alias}); continuing with it`);
    return response(earlier);
  }
  let created: KeyMetadata;
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
      Tags: [{ TagKey: MANAGED_KEY_TAGS[props.origin], TagValue: marker }],
    })), POLICY_RETRY);
    created = out.KeyMetadata!;
  } catch (error) {
    throw explained(error, `KMS could not create a key in custom key store ${props.storeId}: ${CREATE_KEY_ERRORS[(error as Error).name] ?? 'see the KMS error'}`);
  }
  console.log(`Created key ${created.KeyId}`);
  return recordUnderAlias(created, alias);
}

/**
 * Points the request alias at the new key right away. If a concurrent attempt of the same request
 * got there first, its key is the one; a key that cannot be recorded is scheduled for deletion,
 * so no retry leaves an untracked key behind. What remains: a process that dies between CreateKey
 * and CreateAlias leaves a key tagged with the request, found by that tag, not by a retry.
 */
async function recordUnderAlias(created: KeyMetadata, alias: string): Promise<CdkCustomResourceResponse> {
  try {
    await withBackoff('CreateAlias', () => kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: created.KeyId })));
    return response(created);
  } catch (error) {
    await abandon(created.KeyId!);
    const winner = isError(error, 'AlreadyExistsException') ? await describe(alias) : undefined;
    if (winner) {
      console.log(`A concurrent attempt of this create recorded key ${winner.KeyId} first; continuing with it`);
      return response(winner);
    }
    throw explained(error, `KMS could not record the new key ${created.KeyId} under alias ${alias}; the key is scheduled for deletion`);
  }
}

/** Schedules deletion of a key this attempt made and will not use; a failure here must not hide the first one. */
async function abandon(keyId: string): Promise<void> {
  try {
    await withBackoff('ScheduleKeyDeletion', () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: ABANDONED_KEY_PENDING_DAYS })));
    console.log(`Scheduled deletion of unused key ${keyId} in ${ABANDONED_KEY_PENDING_DAYS} days`);
  } catch (error) {
    console.log(`Could not schedule deletion of unused key ${keyId} (${(error as Error).name}); it carries the request tag of this handler`);
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
