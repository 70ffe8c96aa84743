/* eslint-disable import/no-extraneous-dependencies -- the Lambda Node.js runtime provides AWS SDK v3; the library must not depend on it */
import {
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  KeyMetadata,
  KMSClient,
} from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';
import { explained, isError } from './aws-errors';
import { VALID_TO_MAX_DAYS, WRAPPING, checkMaterial, decodeMaterial, wrapMaterial } from './key-material';
import { withBackoff } from './retry';

/**
 * The imported key material custom resource: GetParametersForImport, wrap, ImportKeyMaterial.
 *
 * The material is read from Secrets Manager here, at run time, wrapped under the public key KMS
 * gave for this one import, and only the wrapped bytes leave the function. It is never in the
 * event, the response or a log line, and the buffer is zeroed after use.
 *
 * Create and every change that matters (another key, secret, expiry or revision) import the
 * material; KMS accepts a reimport of the same material, which also sets the new expiry. Delete
 * removes the material only when the resource asks for it.
 */

const kms = new KMSClient({});
const secrets = new SecretsManagerClient({});

interface MaterialProps {
  readonly keyId: string;
  readonly secretArn: string;
  readonly validTo: string;
  readonly revision: string;
  readonly deleteOnRemoval: boolean;
}

function materialProps(raw: Record<string, any> | undefined): MaterialProps {
  return {
    keyId: raw?.KeyId,
    secretArn: raw?.KeyMaterialSecretArn,
    validTo: raw?.ValidTo ?? '',
    revision: raw?.MaterialRevision ?? '',
    // CloudFormation sends every property as a string.
    deleteOnRemoval: String(raw?.DeleteMaterialOnRemoval) === 'true',
  };
}

export async function onEvent(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  const props = materialProps(event.ResourceProperties);
  console.log(`${event.RequestType} imported key material of key ${props.keyId} (${event.LogicalResourceId})`);
  switch (event.RequestType) {
    case 'Create':
      return importMaterial(props);
    case 'Update': {
      const old = materialProps(event.OldResourceProperties);
      const changed = (['keyId', 'secretArn', 'validTo', 'revision'] as const).filter((name) => props[name] !== old[name]);
      if (changed.length === 0) {
        console.log(`No change that needs an import for key ${props.keyId}`);
        return response(props.keyId);
      }
      // A new key id means a new physical id: CloudFormation then deletes the old resource,
      // with its own properties (and its own deleteMaterialOnRemoval).
      console.log(`Importing again: ${changed.join(', ')} changed`);
      return importMaterial(props);
    }
    case 'Delete':
      return deleteMaterial(props);
  }
}

async function importMaterial(props: MaterialProps): Promise<CdkCustomResourceResponse> {
  const validTo = props.validTo ? checkValidTo(props.validTo) : undefined;
  const key = await describeImportableKey(props.keyId);
  const material = await readMaterial(props.secretArn);
  try {
    checkMaterial(material, key.KeySpec ?? 'SYMMETRIC_DEFAULT', props.secretArn);
    const parameters = await withBackoff('GetParametersForImport', () => kms.send(new GetParametersForImportCommand({
      KeyId: props.keyId, WrappingAlgorithm: WRAPPING.algorithm, WrappingKeySpec: WRAPPING.keySpec,
    })));
    const encrypted = wrapMaterial(material, parameters.PublicKey!);
    await withBackoff('ImportKeyMaterial', () => kms.send(new ImportKeyMaterialCommand({
      KeyId: props.keyId,
      ImportToken: parameters.ImportToken,
      EncryptedKeyMaterial: encrypted,
      ExpirationModel: validTo ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      ValidTo: validTo,
    })));
  } catch (error) {
    const reason = IMPORT_ERRORS[(error as Error).name];
    throw reason ? explained(error, `KMS refused the key material for key ${props.keyId}: ${reason}`) : error;
  } finally {
    material.fill(0);
  }
  console.log(`Imported key material into key ${props.keyId}; ${validTo ? `it expires at ${validTo.toISOString()}` : 'it does not expire'}`);
  return response(props.keyId);
}

const IMPORT_ERRORS: Record<string, string> = {
  IncorrectKeyMaterialException: 'it is not the material first imported into this key. KMS accepts only that material, ever; '
    + 'put the original material back in the secret, or create a new key (origin EXTERNAL) for new material',
  InvalidCiphertextException: `the wrapped material did not decrypt under the import parameters (${WRAPPING.algorithm}); retry the deployment`,
  ExpiredImportTokenException: 'the import token expired (tokens last 24 hours); retry the deployment',
  InvalidImportTokenException: 'the import token is not the one for this key; retry the deployment',
  KMSInvalidStateException: 'the key is not in a state that accepts material (pending deletion or unavailable); cancel the key deletion first',
  UnsupportedOperationException: 'the key does not support imported material',
};

/** The key, if it exists and takes imported material; a clear error otherwise. */
async function describeImportableKey(keyId: string): Promise<KeyMetadata> {
  let metadata: KeyMetadata | undefined;
  try {
    metadata = (await withBackoff('DescribeKey', () => kms.send(new DescribeKeyCommand({ KeyId: keyId })))).KeyMetadata;
  } catch (error) {
    if (isError(error, 'NotFoundException')) { throw explained(error, `Key ${keyId} does not exist; it was deleted outside CloudFormation`); }
    throw error;
  }
  if (metadata?.Origin !== 'EXTERNAL') {
    throw new Error(`Key ${keyId} has origin ${metadata?.Origin}; KMS imports material only into keys with origin EXTERNAL.`);
  }
  if (metadata.KeyState === 'PendingDeletion' || metadata.KeyState === 'PendingReplicaDeletion') {
    throw new Error(`Key ${keyId} is pending deletion; KMS does not import material into it. Cancel the key deletion first.`);
  }
  return metadata;
}

/** The material's bytes. Only the secret's ARN, the kind of value and lengths are ever reported. */
async function readMaterial(secretArn: string): Promise<Buffer> {
  const value = await withBackoff('GetSecretValue', () => secrets.send(new GetSecretValueCommand({ SecretId: secretArn })));
  return decodeMaterial(value, secretArn);
}

/** The expiry as a date KMS accepts now: in the future, at most 365 days ahead. */
function checkValidTo(text: string): Date {
  const validTo = new Date(text);
  const now = Date.now();
  if (Number.isNaN(validTo.getTime())) { throw new Error(`ValidTo ${JSON.stringify(text)} is not a date.`); }
  if (validTo.getTime() <= now) {
    throw new Error(`validTo ${validTo.toISOString()} has passed; the material would expire on import. Deploy with a later validTo (at most ${VALID_TO_MAX_DAYS} days ahead).`);
  }
  if (validTo.getTime() > now + VALID_TO_MAX_DAYS * 86_400_000) {
    throw new Error(`validTo ${validTo.toISOString()} is more than ${VALID_TO_MAX_DAYS} days after this import; KMS refuses it. Deploy with an earlier validTo.`);
  }
  return validTo;
}

async function deleteMaterial(props: MaterialProps): Promise<CdkCustomResourceResponse> {
  if (!props.deleteOnRemoval) {
    console.log(`Leaving the imported key material in key ${props.keyId} (deleteMaterialOnRemoval is false)`);
    return response(props.keyId);
  }
  try {
    await withBackoff('DeleteImportedKeyMaterial', () => kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: props.keyId })));
    console.log(`Deleted the imported key material of key ${props.keyId}; the key is unusable until the same material is imported again`);
  } catch (error) {
    // No key, or no material (PendingImport) or a key pending deletion: nothing left to delete.
    if (!isError(error, 'NotFoundException', 'KMSInvalidStateException')) { throw error; }
    console.log(`No imported key material to delete in key ${props.keyId} (${(error as Error).name})`);
  }
  return response(props.keyId);
}

function response(keyId: string): CdkCustomResourceResponse {
  return { PhysicalResourceId: keyId, Data: { KeyId: keyId } };
}
