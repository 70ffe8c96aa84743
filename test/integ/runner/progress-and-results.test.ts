import { assertionResults, checkReportLines } from '../../../integ/runner/assertions';
import { PlannedStack, formatPlan } from '../../../integ/runner/plan';
import { ProgressHost, elapsed } from '../../../integ/runner/progress';

const activity = (event: Record<string, unknown>) => ({
  time: new Date(), level: 'info', action: 'deploy', code: 'CDK_TOOLKIT_I5502', message: 'ignored', data: { event },
}) as any;

describe('ProgressHost', () => {
  test('prints each stack event, keeps the failed ones per stack, and drops toolkit-lib chatter', async () => {
    const lines: string[] = [];
    const host = new ProgressHost((line) => lines.push(line));
    await host.notify(activity({ StackName: 'A', LogicalResourceId: 'Key', ResourceType: 'AWS::KMS::Key', ResourceStatus: 'CREATE_IN_PROGRESS' }));
    await host.notify(activity({
      StackName: 'A',
      LogicalResourceId: 'Key',
      ResourceType: 'AWS::KMS::Key',
      ResourceStatus: 'CREATE_FAILED',
      ResourceStatusReason: 'MalformedPolicyDocumentException: the new key policy will not allow you to update the key policy in the future',
    }));
    await host.notify(activity({ StackName: 'A', LogicalResourceId: 'A', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'ROLLBACK_COMPLETE' }));
    await host.notify({ time: new Date(), level: 'info', action: 'deploy', code: 'CDK_TOOLKIT_I5000', message: 'Deployment time: 3s', data: {} } as any);
    await host.notify({ time: new Date(), level: 'error', action: 'synth', code: 'CDK_TOOLKIT_E9600', message: 'validation report', data: {} } as any);
    await host.notify({ time: new Date(), level: 'warn', action: 'deploy', message: 'something to know', data: {} } as any);
    expect(lines).toEqual([
      '  A | Key (AWS::KMS::Key) CREATE_IN_PROGRESS',
      '  A | Key (AWS::KMS::Key) CREATE_FAILED: MalformedPolicyDocumentException: the new key policy will not allow you to update the key policy in the future',
      '  A | A (AWS::CloudFormation::Stack) ROLLBACK_COMPLETE',
      'warning: something to know',
    ]);
    expect(host.failedEvents('A')).toEqual([lines[1].slice('  A | '.length)]);
    expect(host.failedEvents('B')).toEqual([]);
    expect(host.inProgress()).toEqual([]);
  });

  test('what is in progress follows the newest event, whatever order they arrive in', async () => {
    const host = new ProgressHost(() => undefined);
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    await host.notify(activity({ StackName: 'A', LogicalResourceId: 'Store', ResourceType: 'Custom::KmsCloudHsmKeyStore', ResourceStatus: 'CREATE_IN_PROGRESS', Timestamp: at(5) }));
    await host.notify(activity({ StackName: 'A', LogicalResourceId: 'Role', ResourceType: 'AWS::IAM::Role', ResourceStatus: 'CREATE_COMPLETE', Timestamp: at(3) }));
    await host.notify(activity({ StackName: 'A', LogicalResourceId: 'Role', ResourceType: 'AWS::IAM::Role', ResourceStatus: 'CREATE_IN_PROGRESS', Timestamp: at(3) }));
    expect(host.inProgress().map((r) => r.logicalId)).toEqual(['Store']);
  });

  test('the heartbeat speaks only after a quiet interval, names what is in progress and asks for details', async () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    try {
      const lines: string[] = [];
      const host = new ProgressHost((line) => lines.push(line));
      await host.notify(activity({ StackName: 'A', LogicalResourceId: 'Store', ResourceType: 'Custom::KmsCloudHsmKeyStore', ResourceStatus: 'CREATE_IN_PROGRESS', Timestamp: new Date(Date.now()).toISOString() }));
      const details = jest.fn(async () => ['key store integ: CONNECTING']);
      const stop = host.heartbeat('deploying A', 30_000, details);
      jest.advanceTimersByTime(29_000);
      expect(lines).toHaveLength(1);
      jest.advanceTimersByTime(2_000);
      await Promise.resolve();
      await Promise.resolve();
      expect(lines.slice(1)).toEqual([
        '... still deploying A (30s): Store (Custom::KmsCloudHsmKeyStore) CREATE_IN_PROGRESS for 30s',
        '    key store integ: CONNECTING',
      ]);
      expect(details).toHaveBeenCalledWith([expect.objectContaining({ logicalId: 'Store' })]);
      stop();
      jest.advanceTimersByTime(120_000);
      expect(lines).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });

  test.each([[0, '0s'], [59_400, '59s'], [60_000, '1m 00s'], [185_000, '3m 05s']])('elapsed %d ms is %s', (ms, text) => {
    expect(elapsed(0, ms)).toBe(text);
  });
});

const assertionStack: PlannedStack = {
  id: 'KeyAssertions',
  stackName: 'KeyAssertions',
  role: 'assertions',
  template: { Resources: {} },
  retained: [],
  assertions: ['AssertionResultsAwsApiCallKMSdescribeKey5e30dd2c96f8143f9f88ef161b8a3c1e', 'AssertionResultsLambdaInvokee5a86ac1cb58f70165a869f4c0abbed2', 'AssertionResultsOther'],
};

describe('assertion results', () => {
  test('pass, fail with integ-tests\' message, and an assertion that left no output', () => {
    expect(assertionResults(assertionStack, {
      AssertionResultsAwsApiCallKMSdescribeKey5e30dd2c96f8143f9f88ef161b8a3c1e: '{"status":"success"}',
      AssertionResultsLambdaInvokee5a86ac1cb58f70165a869f4c0abbed2: '{"status":"fail","message":"Expected failed: [] got [\\"x\\"]"}',
    })).toEqual([
      { name: 'AwsApiCallKMSdescribeKey', passed: true },
      { name: 'LambdaInvoke', passed: false, message: 'Expected failed: [] got ["x"]' },
      { name: 'Other', passed: false, message: 'no output AssertionResultsOther: the assertion did not run' },
    ]);
  });

  test('check reports become one line per check', () => {
    expect(checkReportLines({
      CheckReportKey: JSON.stringify({ passed: ['the user can Decrypt'], failed: ['the administrator cannot Decrypt'], skipped: ['only S3 can: x'] }),
      Other: 'ignored',
    })).toEqual(['✓ the user can Decrypt', '✗ the administrator cannot Decrypt', '- only S3 can: x']);
  });
});

test('the plan names each stack, where it goes and what destroying leaves behind', () => {
  const testCase: PlannedStack = {
    id: 'Key',
    stackName: 'Key',
    role: 'test case',
    assertions: [],
    retained: ['Logs1 (AWS::Logs::LogGroup)'],
    template: { Resources: { Logs1: {}, Key1: {} } },
    region: 'eu-central-1',
  };
  const text = formatPlan({ app: { name: 'key', file: 'integ/integ.key.ts', absolutePath: '/x' }, schemaVersion: '55.0.0', stacks: [testCase, assertionStack] }, { region: 'eu-west-1' });
  expect(text.split('\n')).toEqual([
    'key (integ/integ.key.ts): cloud assembly schema 55.0.0, read by @aws-cdk/toolkit-lib',
    '  test case  Key            -> aws://<account of your credentials>/eu-central-1  (2 resources)',
    '  assertions KeyAssertions  -> aws://<account of your credentials>/eu-west-1  (3 assertions)',
    '  left behind by destroy, then removed or listed by the runner: Key/Logs1 (AWS::Logs::LogGroup)',
  ]);
});
