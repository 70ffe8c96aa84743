import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KeyMetadata, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, captureOutput, cfnEvent } from './handler-support';
import { MANAGED_KEY_TAGS } from '../../src/custom-key-store/handler/constants';
import { onEvent } from '../../src/custom-key-store/handler/key';
import { requestAlias, requestMarker } from '../../src/custom-key-store/handler/request-identity';

/** The key handler with the properties an XksKey gives it: Origin EXTERNAL_KEY_STORE and an XksKeyId. */

const kms = mockClient(KMSClient);
const STORE_ID = 'cks-1234567890abcdef0';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const NEW_KEY_ID = '5678abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:eu-west-1:111111111111:key/${KEY_ID}`;
const POLICY = { Version: '2012-10-17', Statement: [] };
const PROPS = { CustomKeyStoreId: STORE_ID, Origin: 'EXTERNAL_KEY_STORE', XksKeyId: 'external-key-1', KeyPolicy: POLICY, Description: 'xks key', PendingWindowInDays: '30' };

let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  kms.reset();
  // No earlier attempt: the request alias of this request does not exist yet.
  kms.on(DescribeKeyCommand, { KeyId: requestAlias(requestMarker('Resource', 'request-1'), 'EXTERNAL_KEY_STORE') }).rejects(awsError('NotFoundException'));
  kms.on(CreateAliasCommand).resolves({});
  output = captureOutput();
});
afterEach(() => output.restore());

function metadata(extra: Partial<KeyMetadata> = {}): { KeyMetadata: KeyMetadata } {
  return { KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN, CustomKeyStoreId: STORE_ID, KeyState: 'Enabled', Origin: 'EXTERNAL_KEY_STORE', ...extra } as KeyMetadata };
}

test('create: CreateKey with Origin EXTERNAL_KEY_STORE, the store and the external key id', async () => {
  kms.on(CreateKeyCommand).resolves(metadata());
  expect(await onEvent(cfnEvent('Create', PROPS))).toEqual({ PhysicalResourceId: KEY_ID, Data: { Arn: KEY_ARN, KeyId: KEY_ID } });
  expect(kms.commandCalls(CreateKeyCommand)[0].args[0].input).toEqual({
    Origin: 'EXTERNAL_KEY_STORE',
    CustomKeyStoreId: STORE_ID,
    XksKeyId: 'external-key-1',
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyUsage: 'ENCRYPT_DECRYPT',
    MultiRegion: false,
    Policy: JSON.stringify(POLICY),
    Description: 'xks key',
    Tags: [{ TagKey: MANAGED_KEY_TAGS.EXTERNAL_KEY_STORE, TagValue: requestMarker('Resource', 'request-1') }],
  });
  expect(kms.commandCalls(CreateAliasCommand)[0].args[0].input).toEqual({ AliasName: requestAlias(requestMarker('Resource', 'request-1'), 'EXTERNAL_KEY_STORE'), TargetKeyId: KEY_ID });
});

test('properties without Origin (CloudHSM keys deployed before XKS existed) still create AWS_CLOUDHSM keys, with the CloudHSM tag', async () => {
  kms.on(DescribeKeyCommand, { KeyId: requestAlias(requestMarker('Resource', 'request-1'), 'AWS_CLOUDHSM') }).rejects(awsError('NotFoundException'));
  kms.on(CreateKeyCommand).resolves(metadata());
  await onEvent(cfnEvent('Create', { CustomKeyStoreId: STORE_ID, KeyPolicy: POLICY }));
  expect(kms.commandCalls(CreateKeyCommand)[0].args[0].input).toEqual(expect.objectContaining({
    Origin: 'AWS_CLOUDHSM', XksKeyId: undefined, Tags: [{ TagKey: 'cdk-kms-patterns:cloudhsm-key', TagValue: requestMarker('Resource', 'request-1') }],
  }));
});

test.each([
  ['XksKeyAlreadyInUseException', /already backs another KMS key in this store/],
  ['XksKeyNotFoundException', /proxy does not know this xksKeyId/],
  ['XksKeyInvalidConfigurationException', /not a 256-bit AES key enabled for encryption and decryption/],
  ['CustomKeyStoreInvalidStateException', /the store is not CONNECTED/],
])('a CreateKey refusal %s is explained', async (name, message) => {
  kms.on(CreateKeyCommand).rejects(awsError(name));
  await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(message);
});

test('another xksKeyId: a new KMS key (the physical id changes; CloudFormation handles the old one by its removal policy)', async () => {
  kms.on(CreateKeyCommand).resolves(metadata({ KeyId: NEW_KEY_ID }));
  const response = await onEvent(cfnEvent('Update', { ...PROPS, XksKeyId: 'external-key-2' }, { PhysicalResourceId: KEY_ID, OldResourceProperties: PROPS }));
  expect(response.PhysicalResourceId).toBe(NEW_KEY_ID);
  expect(kms.commandCalls(CreateKeyCommand)[0].args[0].input.XksKeyId).toBe('external-key-2');
  expect(kms.commandCalls(PutKeyPolicyCommand)).toHaveLength(0);
});

test('the same xksKeyId with a new policy updates the key in place', async () => {
  kms.on(PutKeyPolicyCommand).resolves({});
  kms.on(DescribeKeyCommand).resolves(metadata());
  const newPolicy = { Version: '2012-10-17', Statement: [{ Sid: 'X', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:DescribeKey', Resource: '*' }] };
  const response = await onEvent(cfnEvent('Update', { ...PROPS, KeyPolicy: newPolicy }, { PhysicalResourceId: KEY_ID, OldResourceProperties: PROPS }));
  expect(response.PhysicalResourceId).toBe(KEY_ID);
  expect(kms.commandCalls(CreateKeyCommand)).toHaveLength(0);
  expect(output.lines.join('\n')).toContain(`Put the key policy of ${KEY_ID}`);
});

test('an XKS key gets its own tag and request alias prefix, not the CloudHSM ones: each handler role may change only keys of its own store type', () => {
  expect(MANAGED_KEY_TAGS.EXTERNAL_KEY_STORE).toBe('cdk-kms-patterns:xks-key');
  expect(requestAlias('Resource/request-1', 'EXTERNAL_KEY_STORE')).toMatch(/^alias\/cdk-kms-patterns\/xks-key\/[0-9a-f]{32}$/);
  expect(MANAGED_KEY_TAGS.EXTERNAL_KEY_STORE).not.toBe(MANAGED_KEY_TAGS.AWS_CLOUDHSM);
});
