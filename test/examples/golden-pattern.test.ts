/**
 * The golden pattern in platform shape (examples/golden-pattern): a security stack with the keys
 * and the deletion monitor, app stacks that use the data key by role path, by the library's tag
 * and from a workload account, and a replica Region. What it claims about access is judged on the
 * synthesized templates by iam-simulate, an engine independent of the library's evaluator.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SECURITY_ENV, WORKLOAD_ENV, buildGoldenPattern } from '../../examples/golden-pattern/pattern';
import { AccessDecision, KeyAccessReport, KmsChecks, PrincipalAccess } from '../../src';
import { concrete, simulate } from '../support/policy-simulation';
import { dependencyCycles } from '../support/template-cycles';

const SECURITY = SECURITY_ENV.account;
const WORKLOAD = WORKLOAD_ENV.account;
const KEY_ARN = `arn:aws:kms:${SECURITY_ENV.region}:${SECURITY}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;
/** What an administrator's identity policy allows in these cases: everything, so the key policy decides. */
const EVERYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
const pattern = buildGoldenPattern(app);
const assembly = app.synth();
const template = (stack: { stackName: string }) => assembly.getStackByName(stack.stackName).template;
const appStacks = { orders: pattern.orders, billing: pattern.billing, reports: pattern.reports };

describe('checks', () => {
  test('zero unacknowledged findings from AwsSolutionsChecks and KmsChecks', () => {
    const violations = [new AwsSolutionsChecks(), new KmsChecks()].flatMap((pack) => pack.validateScope(app).violations);
    expect(violations.map((violation) => `${violation.ruleName} ${violation.violatingResources.map((resource) => resource.constructPath)}`)).toEqual([]);
  });

  test('few acknowledgements, each with its reason: two by the example, two by the library\'s own log buckets', () => {
    const acknowledged = app.node.findAll().flatMap((construct) => construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ at: construct.node.path, id, reason }))));
    expect(acknowledged.map(({ at, id }) => `${at} ${id}`).sort()).toEqual([
      'KmsGoldenPatternReports/FunctionRole Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:eu-west-1:111111111111:key/*]',
      'KmsGoldenPatternSecurity/DataBucket/AccessLogs Annotation::AwsSolutions-S1',
      'KmsGoldenPatternSecurity/KeyDeletionMonitor/TrailAccessLogsBucket Annotation::AwsSolutions-S1',
      'KmsGoldenPatternSecurity/WorkloadRole Annotation::AwsSolutions-IAM5[Resource::<DataBucketB1A7365C.Arn>/*]',
    ]);
    acknowledged.forEach(({ reason }) => expect(reason.length).toBeGreaterThan(60));
  });
});

describe('shape', () => {
  test('the security stack depends on no stack; the app stacks and the replica depend on it alone, the workload account on none', () => {
    expect(pattern.security.dependencies).toEqual([]);
    for (const stack of [pattern.orders, pattern.billing, pattern.replica]) {
      expect(stack.dependencies.map((dependency) => dependency.stackName)).toEqual([pattern.security.stackName]);
    }
    expect(pattern.reports.dependencies).toEqual([]);
    expect([pattern.reports.account, pattern.replica.region]).toEqual([WORKLOAD, 'eu-central-1']);
  });

  test('no template has a circular dependency between its resources', () => {
    for (const stack of assembly.stacks) { expect([stack.stackName, dependencyCycles(stack.template)]).toEqual([stack.stackName, []]); }
  });

  test('the replica Region has the data key\'s replica', () => {
    expect(Object.values(template(pattern.replica).Resources).map((resource: any) => resource.Type)).toContain('AWS::KMS::ReplicaKey');
  });
});

describe('the access report', () => {
  const report = KeyAccessReport.fromStage(app);
  const dataKey = report.keys.find((key) => key.stack === pattern.security.stackName && key.logicalId.startsWith('DataKey'))!;
  const rows: Record<string, PrincipalAccess> = Object.fromEntries(dataKey.principals.map((row) => [row.principal, row]));
  const billingTag = tagOf(pattern.billing);

  test.each([
    ['orders, by role path', `arn:aws:iam::${SECURITY}:role/app/orders/*`, `ArnLike aws:PrincipalArn arn:aws:iam::${SECURITY}:role/app/orders/*`],
    ['reports, from the workload account', `arn:aws:iam::${WORKLOAD}:role/app/reports/*`, `ArnLike aws:PrincipalArn arn:aws:iam::${WORKLOAD}:role/app/reports/*`],
    ['billing, by the library\'s tag', `arn:aws:iam::${SECURITY}:root`, `StringEquals aws:PrincipalTag/${billingTag} true`],
  ])('%s: use is CONDITIONAL, with the condition', (_name, principal, condition) => {
    expect(rows[principal].use.decision).toBe(AccessDecision.CONDITIONAL);
    expect(rows[principal].use.conditions).toContain(condition);
  });

  test('nobody may both administer and use any key, and nothing is CANNOT EVALUATE', () => {
    const everyRow = report.keys.flatMap((key) => key.principals);
    expect(everyRow.filter((row) => row.mayAdministerAndUse).map((row) => row.principal)).toEqual([]);
    expect(everyRow.filter((row) => [row.administer, row.use].some((access) => access.decision === AccessDecision.CANNOT_EVALUATE))).toEqual([]);
    expect(report.keys.flatMap((key) => key.problems)).toEqual([]);
  });
});

describe('iam-simulate on the synthesized templates', () => {
  const keyPolicy = concrete(keyResource().Properties.KeyPolicy, SECURITY_ENV.region);
  const deploymentRole = `arn:aws:iam::${SECURITY}:role/cdk-hnb659fds-cfn-exec-role-${SECURITY}-${SECURITY_ENV.region}`;
  const adminRole = `arn:aws:iam::${SECURITY}:role/${Object.keys(template(pattern.security).Resources).find((id) => id.startsWith('DataKeyAdminRole'))}`;

  /** Whether `principal` may do `action` on the data key, with `identityPolicies` and the tags it carries. */
  async function allowed(principal: string, action: string, identityPolicies: any[], tags: Record<string, string> = {}): Promise<boolean> {
    const context = { 'aws:PrincipalArn': principal, ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value])) };
    return (await simulate(keyPolicy, { principal, action, identityPolicies, context, keyArn: KEY_ARN })) === 'Allowed';
  }

  test.each(Object.entries(appStacks))('the %s function role decrypts under its condition', async (_name, stack) => {
    const tags = stack === pattern.billing ? { [tagOf(stack)]: 'true' } : {};
    expect(await allowed(functionRoleArn(stack), 'kms:Decrypt', identityPoliciesOf(stack), tags)).toBe(true);
  });

  test('without the tag, the billing role cannot decrypt', async () => {
    expect(await allowed(functionRoleArn(pattern.billing), 'kms:Decrypt', identityPoliciesOf(pattern.billing))).toBe(false);
  });

  test.each([
    ['of the security account outside /app/orders/', `arn:aws:iam::${SECURITY}:role/app/other/Fn`, pattern.orders],
    ['of the workload account outside /app/reports/', `arn:aws:iam::${WORKLOAD}:role/app/other/Fn`, pattern.reports],
  ])('a role %s, with the same identity statement, cannot decrypt', async (_name, principal, stack) => {
    expect(await allowed(principal, 'kms:Decrypt', identityPoliciesOf(stack))).toBe(false);
  });

  test.each([['the key administrator role', adminRole], ['the deployment role', deploymentRole]])('%s administers the key and cannot use it', async (_name, principal) => {
    expect(await allowed(principal, 'kms:PutKeyPolicy', [EVERYTHING])).toBe(true);
    for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']) { expect(await allowed(principal, action, [EVERYTHING])).toBe(false); }
  });
});

function keyResource(): any {
  const resources = template(pattern.security).Resources;
  return resources[Object.keys(resources).find((id) => id.startsWith('DataKey') && resources[id].Type === 'AWS::KMS::Key')!];
}

function functionRole(stack: { stackName: string }): [string, any] {
  return Object.entries<any>(template(stack).Resources).find(([, resource]) => resource.Type === 'AWS::IAM::Role')!;
}

/** The function role's ARN: its path, and a name of our choosing (CloudFormation generates it). */
function functionRoleArn(stack: { stackName: string; account: string }): string {
  return `arn:aws:iam::${stack.account}:role${functionRole(stack)[1].Properties.Path}FunctionRole`;
}

/** The consumer tag the billing grant put on its role. */
function tagOf(stack: { stackName: string }): string {
  return functionRole(stack)[1].Properties.Tags.find((tag: any) => tag.Key.startsWith('kms-consumer-')).Key;
}

/** The function role's identity policies, the imported key ARN replaced by the data key's. */
function identityPoliciesOf(stack: { stackName: string }): any[] {
  const [roleId] = functionRole(stack);
  return Object.values<any>(template(stack).Resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.some((role: any) => role.Ref === roleId))
    .map((resource) => concrete(JSON.parse(JSON.stringify(resource.Properties.PolicyDocument).replace(/\{"Fn::ImportValue":"[^"]*"\}/g, JSON.stringify(KEY_ARN))), SECURITY_ENV.region));
}
