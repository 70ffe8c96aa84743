import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addDeletionMonitorFilter } from './validate';
import { CustomerManagedKey, KmsChecks } from '../../src';

describe('CustomerManagedKey in its default configuration', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  new CustomerManagedKey(stack, 'Key', { aliases: ['app/data'] });

  test('passes AwsSolutionsChecks with zero findings', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });

  test('alone in an app, gets only the deletion-monitor warning', () => {
    const report = new KmsChecks().validateScope(app);
    expect(report.violations.map((violation) => [violation.ruleName, violation.severity])).toEqual([['KmsChecks-KeyDeletionMonitored', 'warning']]);
    expect(report.success).toBe(true);
  });

  test('passes KmsChecks with zero findings once the app monitors deletions', () => {
    addDeletionMonitorFilter(stack);
    expect(new KmsChecks().validateScope(app).violations).toEqual([]);
  });
});
