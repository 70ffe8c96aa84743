import { constants, generateKeyPairSync, privateDecrypt, randomBytes } from 'crypto';
import {
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  KeyMetadata,
  KMSClient,
} from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, captureOutput, cfnEvent } from './handler-support';
import { onEvent } from '../../src/custom-key-store/handler/imported-key-material';

const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ID = '9999abcd-12ab-34cd-56ef-1234567890ab';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:material-AbCdEf';
const MATERIAL = randomBytes(32);
const MATERIAL_B64 = MATERIAL.toString('base64');
const IMPORT_TOKEN = Uint8Array.from([1, 2, 3, 4]);
const PROPS = { KeyId: KEY_ID, KeyMaterialSecretArn: SECRET_ARN, DeleteMaterialOnRemoval: 'false' };
const DAY = 86_400_000;

/** KMS's wrapping key pair: the test keeps the private half, so it can check what was sent. */
const wrapping = generateKeyPairSync('rsa', { modulusLength: 2048 });
const WRAPPING_PUBLIC_DER = wrapping.publicKey.export({ format: 'der', type: 'spki' });

function unwrap(encrypted: Uint8Array): Buffer {
  return privateDecrypt({ key: wrapping.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, encrypted);
}

function key(extra: Partial<KeyMetadata> = {}): { KeyMetadata: KeyMetadata } {
  return { KeyMetadata: { KeyId: KEY_ID, Origin: 'EXTERNAL', KeySpec: 'SYMMETRIC_DEFAULT', KeyState: 'PendingImport', ...extra } as KeyMetadata };
}

let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  kms.reset();
  secrets.reset();
  kms.on(DescribeKeyCommand).resolves(key());
  kms.on(GetParametersForImportCommand).resolves({ KeyId: KEY_ID, ImportToken: IMPORT_TOKEN, PublicKey: WRAPPING_PUBLIC_DER });
  kms.on(ImportKeyMaterialCommand).resolves({ KeyId: KEY_ID });
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: MATERIAL_B64 });
  output = captureOutput();
});
afterEach(() => {
  // The material never reaches a log line, in any encoding, whatever the test did.
  for (const line of output.lines) {
    expect(line).not.toContain(MATERIAL_B64);
    expect(line).not.toContain(MATERIAL.toString('hex'));
  }
  output.restore();
});

function importCall() {
  return kms.commandCalls(ImportKeyMaterialCommand)[0].args[0].input;
}

describe('create', () => {
  test('asks for an RSA_4096 / RSAES_OAEP_SHA_256 wrapping key and imports the material wrapped under it, not expiring', async () => {
    const response = await onEvent(cfnEvent('Create', PROPS));

    expect(response).toEqual({ PhysicalResourceId: KEY_ID, Data: { KeyId: KEY_ID } });
    expect(kms.commandCalls(GetParametersForImportCommand)[0].args[0].input).toEqual({
      KeyId: KEY_ID, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_4096',
    });
    const input = importCall();
    expect(input).toEqual({
      KeyId: KEY_ID,
      ImportToken: IMPORT_TOKEN,
      EncryptedKeyMaterial: expect.any(Uint8Array),
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      ValidTo: undefined,
    });
    // Independent check of the wrap: the private half of the wrapping key gives the material back.
    expect(unwrap(input.EncryptedKeyMaterial!).equals(MATERIAL)).toBe(true);
    expect(Buffer.from(input.EncryptedKeyMaterial!).includes(MATERIAL)).toBe(false);
    expect(JSON.stringify(response)).not.toContain(MATERIAL_B64);
  });

  test('material as the secret binary value works the same', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: Uint8Array.from(MATERIAL) });
    await onEvent(cfnEvent('Create', PROPS));
    expect(unwrap(importCall().EncryptedKeyMaterial!).equals(MATERIAL)).toBe(true);
  });

  test('expiring material: KEY_MATERIAL_EXPIRES with the ValidTo of the properties', async () => {
    const validTo = new Date(Date.now() + 90 * DAY);
    await onEvent(cfnEvent('Create', { ...PROPS, ValidTo: validTo.toISOString() }));
    expect(importCall()).toEqual(expect.objectContaining({ ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: validTo }));
    expect(output.lines.join('\n')).toContain(`it expires at ${validTo.toISOString()}`);
  });

  test('an ECC key takes a PKCS #8 private key on its curve', async () => {
    const ecc = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    kms.on(DescribeKeyCommand).resolves(key({ KeySpec: 'ECC_NIST_P256' }));
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: Uint8Array.from(ecc) });
    await onEvent(cfnEvent('Create', PROPS));
    expect(unwrap(importCall().EncryptedKeyMaterial!).equals(ecc)).toBe(true);
  });

  test('reimport after the material was deleted (key PendingImport again) imports the same material', async () => {
    kms.on(DescribeKeyCommand).resolves(key({ KeyState: 'PendingImport' }));
    await onEvent(cfnEvent('Update', { ...PROPS, MaterialRevision: '2' }, { PhysicalResourceId: KEY_ID, OldResourceProperties: PROPS }));
    expect(unwrap(importCall().EncryptedKeyMaterial!).equals(MATERIAL)).toBe(true);
  });

  test('different material than the key first had is a clear error', async () => {
    kms.on(ImportKeyMaterialCommand).rejects(awsError('IncorrectKeyMaterialException', 'The key material is incorrect'));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(
      /KMS refused the key material for key 1234abcd-.*: it is not the material first imported into this key. KMS accepts only that material, ever; .*create a new key/);
  });

  test.each([
    ['InvalidCiphertextException', /did not decrypt under the import parameters .*retry/],
    ['ExpiredImportTokenException', /import token expired/],
    ['InvalidImportTokenException', /import token is not the one for this key/],
    ['KMSInvalidStateException', /not in a state that accepts material/],
    ['UnsupportedOperationException', /does not support imported material/],
  ])('%s from ImportKeyMaterial is explained', async (name, message) => {
    kms.on(ImportKeyMaterialCommand).rejects(awsError(name));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(message);
  });

  test('an error KMS gives that is not in the table is passed on as it is', async () => {
    kms.on(GetParametersForImportCommand).rejects(awsError('AccessDeniedException', 'not allowed'));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(/^not allowed$/);
    expect(kms.commandCalls(ImportKeyMaterialCommand)).toHaveLength(0);
  });

  test('a throttled GetParametersForImport is retried', async () => {
    kms.on(GetParametersForImportCommand).rejectsOnce(awsError('ThrottlingException'))
      .resolves({ KeyId: KEY_ID, ImportToken: IMPORT_TOKEN, PublicKey: WRAPPING_PUBLIC_DER });
    await onEvent(cfnEvent('Create', PROPS));
    expect(kms.commandCalls(GetParametersForImportCommand)).toHaveLength(2);
    expect(output.delays).toHaveLength(1);
  });
});

describe('the key must take imported material', () => {
  test.each([
    [{ Origin: 'AWS_KMS' }, /has origin AWS_KMS; KMS imports material only into keys with origin EXTERNAL/],
    [{ KeyState: 'PendingDeletion' }, /is pending deletion; .*Cancel the key deletion first/],
  ])('%o', async (metadata, message) => {
    kms.on(DescribeKeyCommand).resolves(key(metadata as Partial<KeyMetadata>));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(message);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('a key deleted outside CloudFormation', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(/does not exist; it was deleted outside CloudFormation/);
  });

  test('an enabled key (material present) takes the same material again, e.g. for a new expiry', async () => {
    kms.on(DescribeKeyCommand).resolves(key({ KeyState: 'Enabled' }));
    await onEvent(cfnEvent('Create', PROPS));
    expect(kms.commandCalls(ImportKeyMaterialCommand)).toHaveLength(1);
  });
});

describe('unusable secret values are reported without the value, and nothing reaches KMS', () => {
  const badValues: Array<[string, Record<string, unknown>, RegExp, string]> = [
    ['no value', {}, /has no value/, ''],
    ['a string that is not base64', { SecretString: 'not base64! but a passphrase' }, /string value that is not base64 \(\d+ characters, not shown\)/, 'passphrase'],
    ['31 bytes for a symmetric key', { SecretString: randomBytes(31).toString('base64') }, /holds 31 bytes of key material; a SYMMETRIC_DEFAULT key takes exactly 32 bytes/, ''],
    ['33 bytes for a symmetric key', { SecretBinary: Uint8Array.from(randomBytes(33)) }, /holds 33 bytes/, ''],
  ];
  test.each(badValues)('%s', async (_, value, message, secretPart) => {
    secrets.on(GetSecretValueCommand).resolves(value);
    const failure = onEvent(cfnEvent('Create', PROPS));
    await expect(failure).rejects.toThrow(message);
    if (secretPart) { await failure.catch((error: Error) => expect(error.message).not.toContain(secretPart)); }
    expect(kms.commandCalls(GetParametersForImportCommand)).toHaveLength(0);
  });

  test('an ECC key with material that is not a private key, or on another curve', async () => {
    kms.on(DescribeKeyCommand).resolves(key({ KeySpec: 'ECC_NIST_P384' }));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(/does not hold a PKCS #8 DER private key \(32 bytes, not shown\); a ECC_NIST_P384 key/);
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: Uint8Array.from(p256) });
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(/holds a ec private key on curve prime256v1; a ECC_NIST_P384 key takes an EC private key on secp384r1/);
  });

  test('a key spec the handler does not wrap (RSA) is refused before reading further', async () => {
    kms.on(DescribeKeyCommand).resolves(key({ KeySpec: 'RSA_2048' }));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(/Key spec RSA_2048 cannot be imported by this handler/);
    expect(kms.commandCalls(GetParametersForImportCommand)).toHaveLength(0);
  });
});

describe('validTo is checked again at deploy time', () => {
  test.each([
    ['in the past', -DAY, /has passed; the material would expire on import/],
    ['beyond 365 days', 366 * DAY, /more than 365 days after this import; KMS refuses it/],
  ])('%s', async (_, offset, message) => {
    const validTo = new Date(Date.now() + offset).toISOString();
    await expect(onEvent(cfnEvent('Create', { ...PROPS, ValidTo: validTo }))).rejects.toThrow(message);
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(0);
  });
});

describe('update', () => {
  const update = (props: Record<string, unknown>, old: Record<string, unknown> = PROPS) =>
    onEvent(cfnEvent('Update', { ...PROPS, ...props }, { PhysicalResourceId: KEY_ID, OldResourceProperties: old }));

  test('nothing that needs an import changed (only deleteMaterialOnRemoval): no call at all', async () => {
    expect(await update({ DeleteMaterialOnRemoval: 'true' })).toEqual({ PhysicalResourceId: KEY_ID, Data: { KeyId: KEY_ID } });
    expect(kms.calls()).toHaveLength(0);
    expect(secrets.calls()).toHaveLength(0);
  });

  test.each([
    ['a new validTo', { ValidTo: new Date(Date.now() + 200 * DAY).toISOString() }],
    ['a new revision', { MaterialRevision: 'r2' }],
    ['another secret', { KeyMaterialSecretArn: `${SECRET_ARN}2` }],
  ])('%s imports again', async (_, props) => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: MATERIAL_B64 });
    expect((await update(props)).PhysicalResourceId).toBe(KEY_ID);
    expect(kms.commandCalls(ImportKeyMaterialCommand)).toHaveLength(1);
  });

  test('another key: imported there, with the new key id as physical id (CloudFormation then deletes the old one)', async () => {
    kms.on(DescribeKeyCommand, { KeyId: OTHER_KEY_ID }).resolves(key({ KeyId: OTHER_KEY_ID }));
    const response = await update({ KeyId: OTHER_KEY_ID });
    expect(response.PhysicalResourceId).toBe(OTHER_KEY_ID);
    expect(importCall().KeyId).toBe(OTHER_KEY_ID);
  });
});

describe('delete', () => {
  const deleteEvent = (deleteMaterial: string) => cfnEvent('Delete', { ...PROPS, DeleteMaterialOnRemoval: deleteMaterial }, { PhysicalResourceId: KEY_ID });

  test('by default the material stays in the key', async () => {
    expect(await onEvent(deleteEvent('false'))).toEqual({ PhysicalResourceId: KEY_ID, Data: { KeyId: KEY_ID } });
    expect(kms.calls()).toHaveLength(0);
  });

  test('deleteMaterialOnRemoval: DeleteImportedKeyMaterial on the key', async () => {
    kms.on(DeleteImportedKeyMaterialCommand).resolves({});
    await onEvent(deleteEvent('true'));
    expect(kms.commandCalls(DeleteImportedKeyMaterialCommand)[0].args[0].input).toEqual({ KeyId: KEY_ID });
  });

  test.each(['NotFoundException', 'KMSInvalidStateException'])('nothing left to delete (%s) is fine', async (name) => {
    kms.on(DeleteImportedKeyMaterialCommand).rejects(awsError(name));
    expect((await onEvent(deleteEvent('true'))).PhysicalResourceId).toBe(KEY_ID);
  });

  test('any other failure fails the delete', async () => {
    kms.on(DeleteImportedKeyMaterialCommand).rejects(awsError('AccessDeniedException'));
    await expect(onEvent(deleteEvent('true'))).rejects.toThrow(/AccessDeniedException/);
  });
});
