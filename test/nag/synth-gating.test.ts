import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { addDeletionMonitorFilter } from './validate';
import { CustomerManagedKey, KmsChecks } from '../../src';

function appWithChecks(): { app: App; stack: Stack } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'kms-checks-')) });
  Validations.of(app).addPlugins(new KmsChecks(app));
  const stack = new Stack(app, 'Stack');
  addDeletionMonitorFilter(stack);
  return { app, stack };
}

describe('KmsChecks through Validations at synth', () => {
  test('synth fails with the report when a rule is violated', () => {
    const { app, stack } = appWithChecks();
    new CustomerManagedKey(stack, 'Key', { enableKeyRotation: false });
    expect(() => app.synth()).toThrow(/ERROR The symmetric KMS key does not rotate[^\n]*\n\s*Stack\/Key\/Resource[\s\S]*KmsChecks-KeyRotationEnabled/);
  });

  test('the id the CDK report suggests (KmsChecks::...) acknowledges too', () => {
    const { app, stack } = appWithChecks();
    const key = new CustomerManagedKey(stack, 'Key', { enableKeyRotation: false });
    Validations.of(key).acknowledge({ id: 'KmsChecks::KmsChecks-KeyRotationEnabled', reason: 'Rotation is done by re-keying the data every 90 days' });
    expect(() => app.synth()).not.toThrow();
    expect(new KmsChecks().validateScope(app).violations).toEqual([]);
  });

  test('synth passes once the finding is acknowledged on the construct', () => {
    const { app, stack } = appWithChecks();
    const key = new CustomerManagedKey(stack, 'Key', { enableKeyRotation: false });
    Validations.of(key).acknowledge({ id: 'KmsChecks-KeyRotationEnabled', reason: 'Rotation is done by re-keying the data every 90 days' });
    expect(() => app.synth()).not.toThrow();
  });

  test('one acknowledgement of the bare rule id covers all of its findings', () => {
    const { app, stack } = appWithChecks();
    new CustomerManagedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY, aliases: ['app'] });
    expect(() => app.synth()).toThrow(/KmsChecks-KeyRetained\[DeletionPolicy\]/);

    const second = appWithChecks();
    new CustomerManagedKey(second.stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY, aliases: ['app'] });
    Validations.of(second.stack).acknowledge({ id: 'KmsChecks-KeyRetained', reason: 'Throw-away test stack' });
    expect(() => second.app.synth()).not.toThrow();
  });

  test('a warning is reported without failing synth', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'kms-checks-')) });
    Validations.of(app).addPlugins(new KmsChecks(app));
    new CustomerManagedKey(new Stack(app, 'Stack'), 'Key');
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const assembly = app.synth();
    expect(printed.mock.calls.flat().join('\n')).toMatch(/WARNING The app has customer managed KMS keys but no alarm/);
    printed.mockRestore();
    const report = fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf-8');
    expect(report).toContain('KmsChecks-KeyDeletionMonitored');
  });

  test('the report at synth, read from the templates CDK wrote, is the report of the tree', () => {
    const { app, stack } = appWithChecks();
    const key = new CustomerManagedKey(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY, aliases: ['app'] });
    (key.node.defaultChild as CfnResource).addPropertyOverride('EnableKeyRotation', false);
    expect(() => app.synth()).toThrow(/KmsChecks-KeyRotationEnabled/);
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf-8'));
    const atSynth = Object.fromEntries(report.pluginReports.find((plugin: any) => plugin.pluginName === 'KmsChecks').violations
      .map((violation: any) => [violation.ruleName, violation.violatingConstructs.map((construct: any) => construct.constructPath)]));
    const fromTree = Object.fromEntries(new KmsChecks().validateScope(app).violations
      .map((violation) => [violation.ruleName, violation.violatingResources.map((resource) => resource.constructPath)]));
    expect(atSynth).toEqual(fromTree);
    expect(atSynth).toMatchObject({ 'KmsChecks-KeyRotationEnabled': ['Stack/Key/Resource'], 'KmsChecks-KeyRetained[DeletionPolicy]': ['Stack/Key/Resource', 'Stack/Key/Alias0/Resource'] });
  });

  test('outside synth a template written earlier is never read: a changed tree is checked as it is', () => {
    const { app, stack } = appWithChecks();
    new CustomerManagedKey(stack, 'Key');
    app.synth();
    new CustomerManagedKey(stack, 'Later', { enableKeyRotation: false });
    const violations = new KmsChecks().validateScope(app).violations;
    expect(violations.find((violation) => violation.ruleName === 'KmsChecks-KeyRotationEnabled')?.violatingResources
      .map((resource) => resource.constructPath)).toEqual(['Stack/Later/Resource']);
  });
});

