import { App, Stack, aws_logs as logs } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CustomerManagedKey, KmsChecks } from '../../src';

/** The alarm filter a deletion monitor adds; the warning for a bare key is covered in its own test. */
function addDeletionMonitorFilter(stack: Stack): void {
  new logs.CfnMetricFilter(stack, 'PendingDeletion', {
    logGroupName: 'trail',
    filterPattern: '{ $.eventSource = kms* && $.errorMessage = "* is pending deletion."}',
    metricTransformations: [{ metricName: 'KMSKeyPendingDeletionErrorCount', metricNamespace: 'CloudTrailLogMetrics', metricValue: '1' }],
  });
}

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
