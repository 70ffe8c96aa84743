import { CreateGrantCommand, KMSClient, RevokeGrantCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { onEvent, setSleep } from '../../src/key/handler/key-grant';
import { awsError, captureOutput, cfnEvent } from '../custom-key-store/handler-support';

const kms = mockClient(KMSClient);
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const GRANT_ID = '0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60';
const GRANT_TOKEN = 'AQpAM2RhZTk1MGMyNTk2ZmZmMzEyYWVhOWViN2I1MWM4Mzc0MWFiYjc0ZDE1ODkyNGFlNTIzODZhMzgyZjBlNGY3NiKIAgEBAgB4Pa6VDCWW__TOKEN';
const PROPS = {
  KeyArn: KEY_ARN,
  GranteePrincipal: 'arn:aws:iam::111111111111:role/Worker',
  Operations: ['Decrypt', 'GenerateDataKey'],
  RetiringPrincipal: 'arn:aws:iam::111111111111:role/Retirer',
  Constraints: { EncryptionContextSubset: { tenant: 'acme' } },
  Name: 'Stack-Key-WorkerGrant-1A2B3C4D',
};

let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  kms.reset();
  output = captureOutput(setSleep);
});
afterEach(() => output.restore());

describe('create', () => {
  test('calls CreateGrant with the properties as given and returns the grant id as physical id', async () => {
    kms.on(CreateGrantCommand).resolves({ GrantId: GRANT_ID, GrantToken: GRANT_TOKEN });

    const response = await onEvent(cfnEvent('Create', PROPS));

    expect(response).toEqual({ PhysicalResourceId: GRANT_ID, Data: { GrantId: GRANT_ID } });
    expect(kms.commandCalls(CreateGrantCommand)[0].args[0].input).toEqual({
      KeyId: KEY_ARN,
      GranteePrincipal: 'arn:aws:iam::111111111111:role/Worker',
      Operations: ['Decrypt', 'GenerateDataKey'],
      RetiringPrincipal: 'arn:aws:iam::111111111111:role/Retirer',
      Constraints: { EncryptionContextSubset: { tenant: 'acme' } },
      Name: 'Stack-Key-WorkerGrant-1A2B3C4D',
    });
  });

  test('the grant token is neither logged nor returned', async () => {
    kms.on(CreateGrantCommand).resolves({ GrantId: GRANT_ID, GrantToken: GRANT_TOKEN });
    const response = await onEvent(cfnEvent('Create', PROPS));
    expect(output.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify({ lines: output.lines, response })).not.toContain(GRANT_TOKEN);
    expect(output.lines.join('\n')).toContain(GRANT_ID);
  });

  test('a grantee KMS cannot see yet (InvalidArnException) is retried with growing delays', async () => {
    kms.on(CreateGrantCommand)
      .rejectsOnce(awsError('InvalidArnException'))
      .rejectsOnce(awsError('InvalidArnException'))
      .resolves({ GrantId: GRANT_ID, GrantToken: GRANT_TOKEN });
    const response = await onEvent(cfnEvent('Create', PROPS));
    expect(response.PhysicalResourceId).toBe(GRANT_ID);
    expect(output.delays).toEqual([2_000, 4_000]);
  });

  test('a grantee that never appears fails after the last attempt, saying what it means', async () => {
    kms.on(CreateGrantCommand).rejects(awsError('InvalidArnException', 'ARN does not refer to a valid principal'));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(
      `KMS could not create the grant on ${KEY_ARN} for arn:aws:iam::111111111111:role/Worker: the grantee or retiring principal does not exist, or KMS does not see it yet (InvalidArnException: ARN does not refer to a valid principal)`);
    expect(kms.commandCalls(CreateGrantCommand)).toHaveLength(6);
  });

  test.each([
    ['AccessDeniedException', /the handler role may not create this grant/],
    ['ValidationException', /KMS rejected an operation or a constraint for this key type/],
    ['DisabledException', /the key is disabled/],
    ['KMSInvalidStateException', /pending deletion or import/],
    ['LimitExceededException', /limit of grants/],
    ['NotFoundException', /the key does not exist/],
    ['SomethingNew', /see the KMS error \(SomethingNew/],
  ])('%s fails at once with its meaning', async (name, message) => {
    kms.on(CreateGrantCommand).rejects(awsError(name));
    await expect(onEvent(cfnEvent('Create', PROPS))).rejects.toThrow(message);
    expect(kms.commandCalls(CreateGrantCommand)).toHaveLength(1);
    expect(output.delays).toEqual([]);
  });

  test('without retiring principal and constraints, neither is sent', async () => {
    kms.on(CreateGrantCommand).resolves({ GrantId: GRANT_ID });
    const { RetiringPrincipal: _r, Constraints: _c, ...bare } = PROPS;
    await onEvent(cfnEvent('Create', bare));
    const input = kms.commandCalls(CreateGrantCommand)[0].args[0].input;
    expect(input.RetiringPrincipal).toBeUndefined();
    expect(input.Constraints).toBeUndefined();
  });
});

describe('update', () => {
  test('creates the changed grant and returns its new id, so CloudFormation revokes the old one', async () => {
    const newId = 'f'.repeat(64);
    kms.on(CreateGrantCommand).resolves({ GrantId: newId, GrantToken: GRANT_TOKEN });
    const response = await onEvent(cfnEvent('Update', { ...PROPS, Operations: ['Decrypt'] }, {
      PhysicalResourceId: GRANT_ID, OldResourceProperties: PROPS,
    }));
    expect(response.PhysicalResourceId).toBe(newId);
    expect(kms.commandCalls(CreateGrantCommand)[0].args[0].input.Operations).toEqual(['Decrypt']);
    expect(kms.commandCalls(RevokeGrantCommand)).toHaveLength(0);
  });

  test('an update KMS sees as the same grant (same name and parameters) keeps the id: nothing is replaced', async () => {
    kms.on(CreateGrantCommand).resolves({ GrantId: GRANT_ID, GrantToken: 'another-token' });
    const response = await onEvent(cfnEvent('Update', PROPS, { PhysicalResourceId: GRANT_ID, OldResourceProperties: { ...PROPS, ServiceToken: 'old' } }));
    expect(response.PhysicalResourceId).toBe(GRANT_ID);
  });
});

describe('delete', () => {
  test('revokes the grant by key and grant id', async () => {
    kms.on(RevokeGrantCommand).resolves({});
    const response = await onEvent(cfnEvent('Delete', PROPS, { PhysicalResourceId: GRANT_ID }));
    expect(response).toEqual({ PhysicalResourceId: GRANT_ID });
    expect(kms.commandCalls(RevokeGrantCommand)[0].args[0].input).toEqual({ KeyId: KEY_ARN, GrantId: GRANT_ID });
    expect(kms.commandCalls(CreateGrantCommand)).toHaveLength(0);
  });

  test('a grant that is already gone counts as deleted', async () => {
    kms.on(RevokeGrantCommand).rejects(awsError('NotFoundException'));
    await expect(onEvent(cfnEvent('Delete', PROPS, { PhysicalResourceId: GRANT_ID }))).resolves.toEqual({ PhysicalResourceId: GRANT_ID });
    expect(output.lines.join('\n')).toContain('already gone');
  });

  test.each(['AccessDeniedException', 'KMSInvalidStateException'])('%s fails the delete, so the grant is not silently left behind', async (name) => {
    kms.on(RevokeGrantCommand).rejects(awsError(name, 'no'));
    await expect(onEvent(cfnEvent('Delete', PROPS, { PhysicalResourceId: GRANT_ID })))
      .rejects.toThrow(`KMS could not revoke grant ${GRANT_ID} on ${KEY_ARN} (${name}: no)`);
  });
});
