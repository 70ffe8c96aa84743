import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addDeletionMonitorFilter } from './validate';
import { CloudHsmKey, CloudHsmKeyStore, CustomerManagedKey, EncryptedBucket, KeyDeletionMonitor, KmsChecks, ReplicaKey } from '../../src';

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

describe('every construct of the library in its default configuration', () => {
  const app = new App();
  const primaryStack = new Stack(app, 'Primary', { env: { account: '111111111111', region: 'eu-west-1' } });
  const replicaStack = new Stack(app, 'Replica', { env: { account: '111111111111', region: 'eu-central-1' } });
  const primary = new CustomerManagedKey(primaryStack, 'Primary', { multiRegion: true });
  new ReplicaKey(replicaStack, 'Replica', { primaryKey: primary });
  new CloudHsmKey(primaryStack, 'HsmKey', { keyStore: CloudHsmKeyStore.fromCustomKeyStoreId(primaryStack, 'Store', 'cks-1234567890abcdef0') });
  new EncryptedBucket(primaryStack, 'Bucket');
  new KeyDeletionMonitor(primaryStack, 'Monitor', { emailSubscriptions: ['security@example.com'] });

  test('passes KmsChecks with zero findings (replica, HSM-backed key, bucket and monitor included)', () => {
    expect(new KmsChecks().validateScope(app).violations).toEqual([]);
  });

  test('passes AwsSolutionsChecks with zero findings', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});
