/**
 * One rule code path, two hosts: the cdk-nag plugin on the app and the `check` CLI on the cloud
 * assembly the app synthesizes report the same findings on the same resources, and the CLI honours
 * the acknowledgements made in the app (`Validations.of(scope).acknowledge(...)`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { cli } from './run-cli';
import { CustomerManagedKey, KmsChecks } from '../../src';
import { addWeakStack } from '../nag/weak-app';

/** An app that gets many things wrong, from several key sources, in two stacks (one environment-agnostic). */
function weakApp(outdir: string): App {
  const app = new App({ outdir });
  const { stack, key } = addWeakStack(app);
  const agnostic = new Stack(app, 'Agnostic');
  const shared = new CustomerManagedKey(agnostic, 'Shared');
  shared.cfnKey.addPropertyOverride('KeyPolicy.Statement.0.Principal.AWS', 'arn:aws:iam::222222222222:root');
  shared.cfnKey.addPropertyOverride('KeyPolicy.Statement.0.Action', 'kms:*');
  // Statement 0 is AccountAdministration, scoped to the deployment role by a condition: without
  // it, the other account's root holds every KMS action unconditionally.
  shared.cfnKey.addDeletionOverride('Properties.KeyPolicy.Statement.0.Condition');
  // Acknowledged in the app: the CLI must read it from the cloud assembly.
  Validations.of(key).acknowledge({ id: 'KmsChecks-KeyRotationEnabled', reason: 'Rotation is scheduled in SEC-1' });
  Validations.of(stack).acknowledge({ id: 'KmsChecks-S3BucketKeyEnabled[NotAFinding]', reason: 'names no finding of the app' });
  return app;
}

test('the plugin and the CLI report the same findings on the same resources', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hosts-agree-'));
  const app = weakApp(outdir);
  app.synth();
  const plugin = new KmsChecks().validateScope(app).violations
    .flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`)).sort();

  const { stdout } = cli('check', '--format', 'json', outdir);
  const findings: any[] = JSON.parse(stdout).findings;
  const open = findings.filter((finding) => finding.acknowledged === undefined).map((finding) => `${finding.name} ${finding.path}`).sort();

  expect(open).toEqual(plugin);
  expect(plugin.length).toBeGreaterThan(10);
  expect(findings.filter((finding) => finding.acknowledged !== undefined).map((finding) => [finding.name, finding.path, finding.acknowledged]))
    .toEqual([['KmsChecks-KeyRotationEnabled', 'Weak/PlainKey/Resource', 'Rotation is scheduled in SEC-1']]);
  // The environment-agnostic stack's key gives another account's root full control.
  expect(open).toContain('KmsChecks-KeyPolicyNoRootFullAccess[arn:aws:iam::222222222222:root] Agnostic/Shared/Resource');
});
