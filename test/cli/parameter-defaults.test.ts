/**
 * Parameters, where the two hosts differ on purpose (README, "Gate a pipeline"): the CLI judges a
 * template as deployed with each parameter's Default or `--parameter`; the cdk-nag plugin, inside
 * a CDK app whose `cdk deploy --parameters` may override any parameter, uses no default and says
 * it cannot evaluate.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { cli } from './run-cli';
import { CustomerManagedKey, KmsChecks } from '../../src';

const RULE = 'KmsChecks-KeyPendingWindowAtLeastMinimum';

function appWithParameterWindow(outdir: string): App {
  const app = new App({ outdir });
  const stack = new Stack(app, 'Params', { env: { account: '111111111111', region: 'eu-west-1' } });
  const window = new CfnParameter(stack, 'Window', { type: 'Number', default: 7 });
  new CustomerManagedKey(stack, 'Key').cfnKey.addPropertyOverride('PendingWindowInDays', window.valueAsNumber);
  return app;
}

test('the plugin uses no parameter default: the pending window is a [CannotEvaluate] finding', () => {
  const app = appWithParameterWindow(fs.mkdtempSync(path.join(os.tmpdir(), 'params-')));
  app.synth();
  const names = new KmsChecks().validateScope(app).violations.map((violation) => violation.ruleName).filter((name) => name.startsWith(RULE));
  expect(names).toEqual([`${RULE}[CannotEvaluate]`]);
});

test('the CLI uses the Default (7 days: a finding), and --parameter overrides it (30 days: none)', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'params-'));
  appWithParameterWindow(outdir).synth();
  const names = (...args: string[]) => JSON.parse(cli('check', '--format', 'json', '--rules', 'KeyPendingWindowAtLeastMinimum', ...args, outdir).stdout)
    .findings.map((finding: { name: string }) => finding.name);
  expect(names()).toEqual([RULE]);
  expect(names('--parameter', 'Window=30')).toEqual([]);
});
