import { Stack, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Expect, addDeletionMonitorFilter, newStack, validateStack, violationsOf } from './validate';
import { KmsChecks } from '../../src';

describe('KmsChecks-KeyDeletionMonitored', () => {
  test('a key in an app without a pending-deletion filter gets a warning', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key');
    const report = new KmsChecks().validateScope(stack);
    const violation = report.violations.find((v) => v.ruleName === 'KmsChecks-KeyDeletionMonitored');
    expect(violation?.severity).toEqual('warning');
    expect(violation?.violatingResources.map((r) => r.constructPath)).toEqual(['Stack/Key/Resource']);
  });

  test('a hand-written filter with the exact pattern, in another stack of the app, satisfies it', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key');
    addDeletionMonitorFilter(new Stack(stack.node.root, 'Monitoring'));
    validateStack(stack.node.root, 'KmsChecks-KeyDeletionMonitored', Expect.COMPLIANCE);
  });

  test('a filter with another pattern does not count', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key');
    addDeletionMonitorFilter(stack, '{ $.eventSource = kms* }');
    validateStack(stack, 'KmsChecks-KeyDeletionMonitored', Expect.NON_COMPLIANCE);
  });

  test('an app without keys has nothing to monitor', () => {
    const stack = newStack();
    new logs.LogGroup(stack, 'Logs');
    validateStack(stack, 'KmsChecks-KeyDeletionMonitored', Expect.COMPLIANCE);
  });

  test('the warning can be turned off', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key');
    expect(violationsOf(stack, 'KmsChecks-KeyDeletionMonitored', { deletionMonitorWarning: false })).toEqual({});
  });
});
