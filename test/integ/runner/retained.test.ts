import { DescribeKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { Ledger } from '../../../integ/runner/ledger';
import { RetainedResource, removalCommand, removeRetained } from '../../../integ/runner/retained';

const resource = (type: string, physicalId: string): RetainedResource => ({ stackName: 'S', region: 'eu-west-1', logicalId: 'R', type, physicalId });

test.each([
  ['AWS::KMS::Key', 'k-1', 'aws kms schedule-key-deletion --key-id k-1 --pending-window-in-days 7 --region eu-west-1'],
  ['AWS::KMS::Alias', 'alias/a', 'aws kms delete-alias --alias-name alias/a --region eu-west-1'],
  ['AWS::Logs::LogGroup', '/l', 'aws logs delete-log-group --log-group-name /l --region eu-west-1'],
  ['AWS::S3::Bucket', 'b', 'empty the bucket (all versions), then: aws s3 rb s3://b --region eu-west-1'],
  ['Custom::KmsCloudHsmKeyStore', 'cks-1', "after its keys' pending window: aws kms disconnect-custom-key-store --custom-key-store-id cks-1 --region eu-west-1"
    + ' && aws kms delete-custom-key-store --custom-key-store-id cks-1 --region eu-west-1'],
  ['AWS::SNS::Topic', 'arn:t', 'aws cloudcontrol delete-resource --type-name AWS::SNS::Topic --identifier arn:t --region eu-west-1'],
])('%s is removed with: %s', (type, id, command) => {
  expect(removalCommand(resource(type, id))).toBe(command);
});

describe('removeRetained', () => {
  const kms = mockClient(KMSClient);
  afterEach(() => kms.reset());
  afterAll(() => kms.restore());

  test('keys are scheduled with the shortest window; a key already pending is left as it is', async () => {
    kms.on(DescribeKeyCommand, { KeyId: 'k-1' }).resolves({ KeyMetadata: { KeyId: 'k-1', KeyState: 'Enabled' } });
    kms.on(DescribeKeyCommand, { KeyId: 'k-2' }).resolves({ KeyMetadata: { KeyId: 'k-2', KeyState: 'PendingDeletion', DeletionDate: new Date('2026-01-08T00:00:00Z') } });
    kms.on(ScheduleKeyDeletionCommand).resolves({ DeletionDate: new Date('2026-01-09T00:00:00Z') });
    const outcomes = await removeRetained([resource('AWS::KMS::Key', 'k-1'), resource('AWS::KMS::Key', 'k-2')]);
    expect(outcomes.map((o) => [o.removed, o.line])).toEqual([
      [true, 'S/R (AWS::KMS::Key) k-1: scheduled for deletion on 2026-01-09T00:00:00.000Z'],
      [true, 'S/R (AWS::KMS::Key) k-2: already pending deletion (2026-01-08T00:00:00.000Z)'],
    ]);
    expect(kms.commandCalls(ScheduleKeyDeletionCommand).map((call) => call.args[0].input)).toEqual([{ KeyId: 'k-1', PendingWindowInDays: 7 }]);
  });

  test('a failure and an unknown type are left, each with the command that removes it; the ledger lists them', async () => {
    kms.on(DescribeKeyCommand).rejects(Object.assign(new Error('not yours'), { name: 'AccessDeniedException' }));
    const outcomes = await removeRetained([resource('AWS::KMS::Key', 'k-3'), resource('AWS::SNS::Topic', 'arn:t')]);
    expect(outcomes.map((o) => [o.removed, o.line])).toEqual([
      [false, 'S/R (AWS::SNS::Topic) arn:t: aws cloudcontrol delete-resource --type-name AWS::SNS::Topic --identifier arn:t --region eu-west-1'],
      [false, 'S/R (AWS::KMS::Key) k-3: could not remove (AccessDeniedException: not yours); aws kms schedule-key-deletion --key-id k-3 --pending-window-in-days 7 --region eu-west-1'],
    ]);
    const ledger = new Ledger();
    ledger.stackCreated('S', 'eu-west-1');
    ledger.retainedFound(outcomes.map((o) => o.resource));
    expect(ledger.remaining()).toEqual([
      'stack S: aws cloudformation delete-stack --stack-name S --region eu-west-1',
      'S/R (AWS::SNS::Topic): aws cloudcontrol delete-resource --type-name AWS::SNS::Topic --identifier arn:t --region eu-west-1',
      'S/R (AWS::KMS::Key): aws kms schedule-key-deletion --key-id k-3 --pending-window-in-days 7 --region eu-west-1',
    ]);
  });
});
