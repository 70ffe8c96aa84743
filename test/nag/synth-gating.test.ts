import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, RemovalPolicy, Stack, Validations, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { KmsChecks } from '../../src';

function appWithChecks(): { app: App; stack: Stack } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'kms-checks-')) });
  Validations.of(app).addPlugins(new KmsChecks(app));
  const stack = new Stack(app, 'Stack');
  new logs.CfnMetricFilter(stack, 'PendingDeletion', {
    logGroupName: 'trail',
    filterPattern: '{ $.eventSource = kms* && $.errorMessage = "* is pending deletion."}',
    metricTransformations: [{ metricName: 'KMSKeyPendingDeletionErrorCount', metricNamespace: 'CloudTrailLogMetrics', metricValue: '1' }],
  });
  return { app, stack };
}

describe('KmsChecks through Validations at synth', () => {
  test('synth fails with the report when a rule is violated', () => {
    const { app, stack } = appWithChecks();
    new kms.Key(stack, 'Key', { enableKeyRotation: false, removalPolicy: RemovalPolicy.RETAIN });
    expect(() => app.synth()).toThrow(/ERROR The symmetric KMS key does not rotate[^\n]*\n\s*Stack\/Key\/Resource[\s\S]*KmsChecks-KeyRotationEnabled/);
  });

  test('the id the CDK report suggests (KmsChecks::...) acknowledges too', () => {
    const { app, stack } = appWithChecks();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: false, removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(key).acknowledge({ id: 'KmsChecks::KmsChecks-KeyRotationEnabled', reason: 'Rotation is done by re-keying the data every 90 days' });
    expect(() => app.synth()).not.toThrow();
    expect(new KmsChecks().validateScope(app).violations).toEqual([]);
  });

  test('synth passes once the finding is acknowledged on the construct', () => {
    const { app, stack } = appWithChecks();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: false, removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(key).acknowledge({ id: 'KmsChecks-KeyRotationEnabled', reason: 'Rotation is done by re-keying the data every 90 days' });
    expect(() => app.synth()).not.toThrow();
  });

  test('one acknowledgement of the bare rule id covers all of its findings', () => {
    const { app, stack } = appWithChecks();
    new kms.CfnKey(stack, 'Key', { keyPolicy: {}, enableKeyRotation: true });
    expect(() => app.synth()).toThrow(/KmsChecks-KeyRetained\[DeletionPolicy\]/);

    const second = appWithChecks();
    new kms.CfnKey(second.stack, 'Key', { keyPolicy: {}, enableKeyRotation: true });
    Validations.of(second.stack).acknowledge({ id: 'KmsChecks-KeyRetained', reason: 'Throw-away test stack' });
    expect(() => second.app.synth()).not.toThrow();
  });

  test('a warning is reported without failing synth', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'kms-checks-')) });
    Validations.of(app).addPlugins(new KmsChecks(app));
    new kms.Key(new Stack(app, 'Stack'), 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    const assembly = app.synth();
    const report = fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf-8');
    expect(report).toContain('KmsChecks-KeyDeletionMonitored');
  });
});
