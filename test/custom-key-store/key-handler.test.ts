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
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, captureOutput, cfnEvent } from './handler-support';
import { MANAGED_KEY_TAG } from '../../src/custom-key-store/handler/constants';
import { onEvent } from '../../src/custom-key-store/handler/key';

const kms = mockClient(KMSClient);
const STORE_ID = 'cks-1234567890abcdef0';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:eu-west-1:111111111111:key/${KEY_ID}`;
const POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'KeyUsage', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/user' }, Action: ['kms:Decrypt'], Resource: '*' }] };
const PROPS = { CustomKeyStoreId: STORE_ID, KeyPolicy: POLICY, Description: 'hsm key', PendingWindowInDays: '30' };
const MARKER = 'Resource/request-1';

let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  kms.reset();
  output = captureOutput();
});
afterEach(() => output.restore());

function metadata(extra: Record<string, unknown> = {}): { KeyMetadata: KeyMetadata } {
  return { KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN, CustomKeyStoreId: STORE_ID, KeyState: 'Enabled', ...extra } as KeyMetadata };
}

describe('create', () => {
  test('creates a symmetric AWS_CLOUDHSM key in the store with the key policy and the request tag', async () => {
    kms.on(ListKeysCommand).resolves({ Keys: [] });
    kms.on(CreateKeyCommand).resolves(metadata());

    const response = await onEvent(cfnEvent('Create', PROPS));

    expect(response).toEqual({ PhysicalResourceId: KEY_ID, Data: { Arn: KEY_ARN, KeyId: KEY_ID } });
    expect(kms.commandCalls(CreateKeyCommand)[0].args[0].input).toEqual({
      Origin: 'AWS_CLOUDHSM',
      CustomKeyStoreId: STORE_ID,
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      MultiRegion: false,
      Policy: JSON.stringify(POLICY),
      Description: 'hsm key',
      Tags: [{ TagKey: MANAGED_KEY_TAG, TagValue: MARKER }],
    });
  });

  test('a retried create finds the key of the earlier attempt by its tag, among the keys of this store', async () => {
    kms.on(ListKeysCommand)
      .resolvesOnce({ Keys: [{ KeyId: 'other-store' }, { KeyId: 'pending' }], Truncated: true, NextMarker: 'page2' })
      .resolves({ Keys: [{ KeyId: 'same-store-other-request' }, { KeyId: KEY_ID }] });
    kms.on(DescribeKeyCommand, { KeyId: 'other-store' }).resolves(metadata({ KeyId: 'other-store', CustomKeyStoreId: 'cks-other' }));
    kms.on(DescribeKeyCommand, { KeyId: 'pending' }).resolves(metadata({ KeyId: 'pending', KeyState: 'PendingDeletion' }));
    kms.on(DescribeKeyCommand, { KeyId: 'same-store-other-request' }).resolves(metadata({ KeyId: 'same-store-other-request' }));
    kms.on(DescribeKeyCommand, { KeyId: KEY_ID }).resolves(metadata());
    kms.on(ListResourceTagsCommand, { KeyId: 'same-store-other-request' }).resolves({ Tags: [{ TagKey: MANAGED_KEY_TAG, TagValue: 'Resource/request-0' }] });
    kms.on(ListResourceTagsCommand, { KeyId: KEY_ID }).resolves({ Tags: [{ TagKey: MANAGED_KEY_TAG, TagValue: MARKER }] });

    const response = await onEvent(cfnEvent('Create', PROPS));

    expect(response.PhysicalResourceId).toBe(KEY_ID);
    expect(kms.commandCalls(CreateKeyCommand)).toHaveLength(0);
    expect(kms.commandCalls(ListKeysCommand)[1].args[0].input).toEqual({ Marker: 'page2' });
    expect(kms.commandCalls(ListResourceTagsCommand).map((call) => call.args[0].input.KeyId)).toEqual(['same-store-other-request', KEY_ID]);
  });

  test('a principal KMS cannot see yet (new IAM role) is retried with backoff', async () => {
    kms.on(ListKeysCommand).resolves({ Keys: [] });
    kms.on(CreateKeyCommand).rejectsOnce(awsError('MalformedPolicyDocumentException')).resolves(metadata());
    await onEvent(cfnEvent('Create', PROPS));
    expect(kms.commandCalls(CreateKeyCommand)).toHaveLength(2);
    expect(output.delays).toHaveLength(1);
  });

  test.each([
    ['CustomKeyStoreInvalidStateException', /the store is not CONNECTED/],
    ['CloudHsmClusterInvalidConfigurationException', /at least two active HSMs in different Availability Zones/],
    ['CustomKeyStoreNotFoundException', /the store does not exist/],
  ])('%s is explained', async (name, message) => {
    kms.on(ListKeysCommand).resolves({ Keys: [] });
    kms.on(CreateKeyCommand).rejects(awsError(name));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(message);
  });
});

describe('update', () => {
  const update = (props: Record<string, unknown>, old: Record<string, unknown> = PROPS) =>
    onEvent(cfnEvent('Update', { ...PROPS, ...props }, { PhysicalResourceId: KEY_ID, OldResourceProperties: old }));

  test('a no-op update keeps the physical id and changes nothing', async () => {
    kms.on(DescribeKeyCommand).resolves(metadata());
    expect(await update({})).toEqual({ PhysicalResourceId: KEY_ID, Data: { Arn: KEY_ARN, KeyId: KEY_ID } });
    expect(kms.commandCalls(PutKeyPolicyCommand)).toHaveLength(0);
    expect(kms.commandCalls(UpdateKeyDescriptionCommand)).toHaveLength(0);
  });

  test('a new key policy is put on the key', async () => {
    kms.on(DescribeKeyCommand).resolves(metadata());
    const policy = { ...POLICY, Statement: [{ ...POLICY.Statement[0], Sid: 'Changed' }] };
    await update({ KeyPolicy: policy });
    expect(kms.commandCalls(PutKeyPolicyCommand)[0].args[0].input).toEqual({ KeyId: KEY_ID, PolicyName: 'default', Policy: JSON.stringify(policy) });
  });

  test('a new description is set', async () => {
    kms.on(DescribeKeyCommand).resolves(metadata());
    await update({ Description: 'new' });
    expect(kms.commandCalls(UpdateKeyDescriptionCommand)[0].args[0].input).toEqual({ KeyId: KEY_ID, Description: 'new' });
  });

  test('another store means a new key (CloudFormation then deletes or retains the old one)', async () => {
    kms.on(ListKeysCommand).resolves({ Keys: [] });
    kms.on(CreateKeyCommand).resolves(metadata({ KeyId: 'new-key', Arn: 'arn:new' }));
    const response = await update({ CustomKeyStoreId: 'cks-other' });
    expect(response.PhysicalResourceId).toBe('new-key');
    expect(kms.commandCalls(CreateKeyCommand)[0].args[0].input.CustomKeyStoreId).toBe('cks-other');
  });

  test('a key deleted outside CloudFormation', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
    await expect(update({})).rejects.toThrow(/no longer exists/);
  });
});

describe('delete', () => {
  const deleteEvent = (props: Record<string, unknown> = PROPS) => cfnEvent('Delete', props, { PhysicalResourceId: KEY_ID });

  test('schedules deletion with the pending window', async () => {
    kms.on(DescribeKeyCommand).resolves(metadata());
    expect(await onEvent(deleteEvent({ ...PROPS, PendingWindowInDays: '7' }))).toEqual({ PhysicalResourceId: KEY_ID });
    expect(kms.commandCalls(ScheduleKeyDeletionCommand)[0].args[0].input).toEqual({ KeyId: KEY_ID, PendingWindowInDays: 7 });
  });

  test.each([
    ['already pending deletion', () => kms.on(DescribeKeyCommand).resolves(metadata({ KeyState: 'PendingDeletion' }))],
    ['already deleted', () => kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'))],
  ])('a key %s is fine', async (_, arrange) => {
    arrange();
    expect(await onEvent(deleteEvent())).toEqual({ PhysicalResourceId: KEY_ID });
    expect(kms.commandCalls(ScheduleKeyDeletionCommand)).toHaveLength(0);
  });

  test('throttled deletion backs off and succeeds', async () => {
    kms.on(DescribeKeyCommand).resolves(metadata());
    kms.on(ScheduleKeyDeletionCommand).rejectsOnce(awsError('ThrottlingException')).resolves({});
    await onEvent(deleteEvent());
    expect(kms.commandCalls(ScheduleKeyDeletionCommand)).toHaveLength(2);
  });
});
