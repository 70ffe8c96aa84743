import {
  CreateAliasCommand,
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
import { MANAGED_KEY_TAGS } from '../../src/custom-key-store/handler/constants';
import { onEvent } from '../../src/custom-key-store/handler/key';
import { requestAlias, requestMarker } from '../../src/custom-key-store/handler/request-identity';

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
  // The key of an earlier attempt is found by an alias named after the request, never by a scan.
  const REQUEST_ALIAS = requestAlias(MARKER, 'AWS_CLOUDHSM');
  beforeEach(() => {
    kms.on(DescribeKeyCommand, { KeyId: REQUEST_ALIAS }).rejects(awsError('NotFoundException'));
  });
  afterEach(() => {
    expect(kms.commandCalls(ListKeysCommand)).toHaveLength(0);
    expect(kms.commandCalls(ListResourceTagsCommand)).toHaveLength(0);
  });

  test('creates a symmetric AWS_CLOUDHSM key in the store with the key policy and the request tag, then the request alias', async () => {
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
      Tags: [{ TagKey: MANAGED_KEY_TAGS.AWS_CLOUDHSM, TagValue: MARKER }],
    });
    expect(kms.commandCalls(CreateAliasCommand).map((call) => call.args[0].input)).toEqual([{ AliasName: REQUEST_ALIAS, TargetKeyId: KEY_ID }]);
    expect(REQUEST_ALIAS).toMatch(/^alias\/cdk-kms-patterns\/cloudhsm-key\/[0-9a-f]{32}$/);
  });

  test('a retried create finds the key of the earlier attempt with one DescribeKey of the request alias', async () => {
    kms.on(DescribeKeyCommand, { KeyId: REQUEST_ALIAS }).resolves(metadata());

    const response = await onEvent(cfnEvent('Create', PROPS));

    expect(response).toEqual({ PhysicalResourceId: KEY_ID, Data: { Arn: KEY_ARN, KeyId: KEY_ID } });
    expect(kms.commandCalls(CreateKeyCommand)).toHaveLength(0);
    expect(kms.commandCalls(DescribeKeyCommand).map((call) => call.args[0].input)).toEqual([{ KeyId: REQUEST_ALIAS }]);
  });

  test('the request alias is the same for the same request and differs between requests', () => {
    expect(requestAlias(MARKER, 'AWS_CLOUDHSM')).toBe(REQUEST_ALIAS);
    expect(requestAlias('Resource/request-2', 'AWS_CLOUDHSM')).not.toBe(REQUEST_ALIAS);
  });

  test('a concurrent attempt that aliased its key first wins; this attempt schedules its own key for deletion', async () => {
    kms.on(CreateKeyCommand).resolves(metadata({ KeyId: 'loser', Arn: 'arn:loser' }));
    kms.on(CreateAliasCommand).rejects(awsError('AlreadyExistsException'));
    kms.on(DescribeKeyCommand, { KeyId: REQUEST_ALIAS }).rejectsOnce(awsError('NotFoundException')).resolves(metadata());

    const response = await onEvent(cfnEvent('Create', PROPS));

    expect(response.PhysicalResourceId).toBe(KEY_ID);
    expect(kms.commandCalls(ScheduleKeyDeletionCommand).map((call) => call.args[0].input)).toEqual([{ KeyId: 'loser', PendingWindowInDays: 7 }]);
  });

  test('a key that cannot be aliased is scheduled for deletion, so no untracked key is left behind', async () => {
    kms.on(CreateKeyCommand).resolves(metadata());
    kms.on(CreateAliasCommand).rejects(awsError('AccessDeniedException'));

    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(/could not record the new key .* under alias .*AccessDeniedException/);
    expect(kms.commandCalls(ScheduleKeyDeletionCommand).map((call) => call.args[0].input)).toEqual([{ KeyId: KEY_ID, PendingWindowInDays: 7 }]);
  });

  test('a long logical id keeps the tag value within 256 characters, stable and unique per request', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
    kms.on(CreateKeyCommand).resolves(metadata());
    const longId = 'L'.repeat(255);
    const tagFor = async (requestId: string) => {
      kms.resetHistory();
      await onEvent(cfnEvent('Create', PROPS, { LogicalResourceId: longId, RequestId: requestId }));
      return kms.commandCalls(CreateKeyCommand)[0].args[0].input.Tags![0].TagValue!;
    };
    const first = await tagFor('11111111-2222-3333-4444-555555555555');
    expect(first.length).toBeLessThanOrEqual(256);
    expect(first).toMatch(/^L+-[0-9a-f]{16}$/);
    expect(await tagFor('11111111-2222-3333-4444-555555555555')).toBe(first);
    expect(await tagFor('11111111-2222-3333-4444-666666666666')).not.toBe(first);
    expect(requestMarker('Resource', 'request-1')).toBe(MARKER);
  });

  test('a principal KMS cannot see yet (new IAM role) is retried with backoff', async () => {
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
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
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
