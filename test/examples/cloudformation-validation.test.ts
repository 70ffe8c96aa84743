/**
 * aws-cdk-lib's built-in template validation (the "CloudFormation Validate" plugin) on every
 * example a user copies. The other suites turn it off for speed (test/support/jest-setup.ts);
 * here it is on, and its findings, which aws-cdk-lib only prints as warnings, must be none.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { ALL_EXAMPLES } from './example-apps';

const PLUGIN = 'CloudFormation Validate';

function newApp(): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-validate-')),
    context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' },
  });
}

/**
 * Each finding of the built-in validation in `app`'s report, as `rule at construct path: why`.
 * The report lists only plugins that found something, so an absent plugin means no finding.
 */
function builtinFindings(app: App): string[] {
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
  return report.pluginReports.filter((plugin: any) => plugin.pluginName === PLUGIN)
    .flatMap((plugin: any) => plugin.violations)
    .flatMap((violation: any) => violation.violatingConstructs
      .map((construct: any) => `${violation.ruleName} at ${construct.constructPath}: ${violation.description}`));
}

beforeAll(() => { process.env.CDK_VALIDATION = 'true'; });
beforeEach(() => { jest.spyOn(console, 'error').mockImplementation(() => undefined); });

test('the validation is on in this suite: a key with a property CloudFormation does not know is found', () => {
  const app = newApp();
  new CfnResource(new Stack(app, 'Control'), 'Key', { type: 'AWS::KMS::Key', properties: { KeyPolicyy: {} } });
  expect(builtinFindings(app)).toEqual([expect.stringMatching(/at Control\/Key/)]);
});

test.each(ALL_EXAMPLES)('%s: the CloudFormation schemas find nothing', (_name, build) => {
  const app = newApp();
  build(app);
  expect(builtinFindings(app)).toEqual([]);
});
