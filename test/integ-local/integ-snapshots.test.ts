/**
 * Every integ app (integ/integ.*.ts) goes through the runner's dry run (`npm run integ:aws --
 * --dry-run`): it synthesizes through @aws-cdk/toolkit-lib, which must read the cloud assembly
 * (schema 55+), with no credentials and no AWS call; the plan names each stack and where it goes.
 * The test-case stacks' templates match the committed snapshots. Asset hashes and integ-tests
 * assertion salts are normalised, so only a change in what would be deployed changes a snapshot.
 */
import { integApps } from '../../integ/runner/apps';
import { DryRun, dryRun } from '../../integ/runner/dry-run';
import { dependencyCycles } from '../support/template-cycles';

const ASSET_HASH = /[0-9a-f]{64}/g;

/** The template with asset hashes and integ-tests salts replaced by stable placeholders. */
function normalised(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template, (key, value) => (key === 'salt' ? '<salt>' : value)).replace(ASSET_HASH, '<asset-hash>'));
}

const printed: string[] = [];
let result: DryRun;
const savedEnv = { ...process.env };

beforeAll(async () => {
  // No credentials anywhere: the dry run must not need them.
  for (const name of Object.keys(process.env).filter((n) => n.startsWith('AWS_'))) { delete process.env[name]; }
  Object.assign(process.env, { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' });
  result = await dryRun(integApps(), {}, (line) => printed.push(line));
}, 600_000);
afterAll(() => { process.env = savedEnv; });

test('the dry run covers every integ app, and each has test-case stacks and an assertion stack', () => {
  expect(result.plans.map((plan) => plan.app.file)).toEqual(integApps().map((app) => app.file));
  expect(result.plans.map((plan) => plan.app.name)).toContain('key');
  for (const plan of result.plans) {
    expect(plan.stacks.filter((stack) => stack.role === 'test case').length).toBeGreaterThan(0);
    const assertionStacks = plan.stacks.filter((stack) => stack.role === 'assertions');
    expect(assertionStacks).toHaveLength(1);
    expect(assertionStacks[0].assertions.length).toBeGreaterThan(0);
  }
});

test('toolkit-lib read each assembly: schema 55 or later, and the plan says what goes where', () => {
  const output = printed.join('\n');
  for (const plan of result.plans) {
    expect(Number(plan.schemaVersion.split('.')[0])).toBeGreaterThanOrEqual(55);
    expect(output).toContain(`${plan.app.name} (${plan.app.file}): cloud assembly schema ${plan.schemaVersion}, read by @aws-cdk/toolkit-lib`);
  }
  expect(output).toMatch(/test case\s+KmsPatternsKeyInteg\s+-> aws:\/\/<account of your credentials>\/<your Region>/);
  expect(output).toMatch(/test case\s+KmsPatternsMultiRegionReplica\s+-> aws:\/\/<account of your credentials>\/eu-central-1/);
});

test('an app that needs what an ordinary account lacks is named with what to pass', () => {
  expect(result.skipped).toEqual([
    { app: 'cloudhsm-key', why: expect.stringContaining('-c cloudHsmClusterId=...') },
    { app: 'xks-key', why: expect.stringContaining('-c proxyUriEndpoint=...') },
  ]);
});

describe.each(integApps().map((app) => app.file))('%s', (file) => {
  test('has test-case stacks, and their templates match the snapshots', () => {
    const plan = result.plans.find((p) => p.app.file === file)!;
    for (const stack of plan.stacks.filter((s) => s.role === 'test case')) {
      expect(normalised(stack.template)).toMatchSnapshot(stack.id);
    }
  });

  test('no stack has a circular dependency between its resources (CloudFormation refuses it; CDK does not check)', () => {
    const plan = result.plans.find((p) => p.app.file === file)!;
    expect(plan.stacks.map((stack) => [stack.id, dependencyCycles(stack.template as any)])).toEqual(plan.stacks.map((stack) => [stack.id, []]));
  });
});
