import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, PhysicalName, Stack, Validations, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccessDecision, CustomerManagedKey, KeyAccessReport, KmsChecks } from '../../src';

const ACCOUNT = '111111111111';
const PRIMARY_ENV = { account: ACCOUNT, region: 'eu-west-1' };
const REPLICA_ENV = { account: ACCOUNT, region: 'eu-central-1' };

function replicaStatements(stack: Stack): any[] {
  const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::ReplicaKey'));
  return key.Properties.KeyPolicy.Statement;
}

function principalsOf(statements: any[]): string {
  return JSON.stringify(statements.map((statement) => statement.Principal));
}

describe.each([true, false])('a replica names its primary roles by ARN (crossRegionReferences %s)', (crossRegionReferences) => {
  const app = new App();
  const primaryStack = new Stack(app, 'Primary', { env: PRIMARY_ENV });
  const replicaStack = new Stack(app, 'Replica', { env: REPLICA_ENV, crossRegionReferences });
  const primary = new CustomerManagedKey(primaryStack, 'Data', { multiRegion: true });
  const reader = new iam.Role(primaryStack, 'Reader', { roleName: PhysicalName.GENERATE_IF_NEEDED, path: '/app/orders/', assumedBy: new iam.AccountRootPrincipal() });
  const replica = primary.addReplica(replicaStack, 'Data');
  replica.grantDecrypt(reader);
  const statements = replicaStatements(replicaStack);

  test('no principal is a deploy-time export', () => {
    expect(principalsOf(statements)).not.toContain('ExportsReader');
    expect(principalsOf(statements)).not.toContain('Fn::ImportValue');
  });

  test('the admin role, and a granted role with a path, by the ARN of their names', () => {
    const adminName = primaryStack.resolve((primary.adminRole!.node.defaultChild as iam.CfnRole).roleName);
    const readerName = primaryStack.resolve((reader.node.defaultChild as iam.CfnRole).roleName);
    const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:role/${resource}`]] });
    expect(statements.find((statement) => statement.Sid === 'KeyAdministration').Principal.AWS).toEqual(arn(adminName));
    expect(statements.find((statement) => statement.Sid === 'GrantDecrypt').Principal.AWS).toEqual(arn(`app/orders/${readerName}`));
  });

  test('the access report reads every principal of the replica', () => {
    const [key] = KeyAccessReport.fromStage(app).keys.filter((entry) => entry.stack === 'Replica');
    expect(key.problems).toEqual([]);
    // The account, the admin role, the user role and the reader.
    expect(key.principals).toHaveLength(4);
    expect(key.principals.filter((row) => row.use.decision === AccessDecision.ALLOWED).map((row) => row.principal)).toEqual([
      expect.stringMatching(/:role\/primarymarydatauserrole/), expect.stringMatching(/:role\/app\/orders\/primaryprimaryreader/),
    ]);
  });
});

test('a role of another Region without a name known at synth is refused, with the fixes', () => {
  const app = new App();
  const primaryStack = new Stack(app, 'Primary', { env: PRIMARY_ENV });
  const replicaStack = new Stack(app, 'Replica', { env: REPLICA_ENV, crossRegionReferences: true });
  const unnamed = new iam.Role(primaryStack, 'Unnamed', { assumedBy: new iam.AccountRootPrincipal() });
  const primary = new CustomerManagedKey(primaryStack, 'Data', { multiRegion: true, users: [unnamed] });
  expect(() => primary.addReplica(replicaStack, 'Data')).toThrow(
    /Replica\/Data: 'users' Primary\/Unnamed .* in eu-west-1 without a name, so the replica in eu-central-1 cannot name it in its key policy\. Allowed: set roleName on Primary\/Unnamed \(or roleName: PhysicalName\.GENERATE_IF_NEEDED\)/);
});

/** A replica key whose policy names a role of the primary's Region directly: aws-cdk-lib passes it through an export reader. */
function handWrittenReplica(app: App): void {
  const primaryStack = new Stack(app, 'Primary', { env: PRIMARY_ENV });
  const replicaStack = new Stack(app, 'Replica', { env: REPLICA_ENV, crossRegionReferences: true });
  const admin = new iam.Role(primaryStack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
  new kms.CfnReplicaKey(replicaStack, 'Replica', {
    primaryKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`,
    keyPolicy: new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ sid: 'KeyAdministration', principals: [admin], actions: ['kms:PutKeyPolicy'], resources: ['*'] })],
    }),
  });
}

describe('a key policy that names a principal through a cross-Region export (written by hand)', () => {
  const app = new App();
  handWrittenReplica(app);

  test('the access report says CANNOT_EVALUATE for that statement and lists the problem', () => {
    const [key] = KeyAccessReport.fromStage(app).keys.filter((entry) => entry.stack === 'Replica');
    expect(key.problems).toEqual([expect.stringMatching(/statement 0 \(Sid KeyAdministration\): Principal value cannot be evaluated .*ExportsReader/)]);
    const exported = key.principals.find((row) => row.principal.includes('ExportsReader'));
    expect(exported?.administer.decision).toBe(AccessDecision.CANNOT_EVALUATE);
    // Any role of the template could be the one behind the export: none is declared out of it.
    expect(key.principals.every((row) => row.administer.decision === AccessDecision.CANNOT_EVALUATE)).toBe(true);
  });
});

test('KmsChecks at synth reports a principal named through a cross-Region export', () => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'replica-principals-')) });
  Validations.of(app).addPlugins(new KmsChecks(app));
  handWrittenReplica(app);
  expect(() => app.synth()).toThrow(/KmsChecks-KeyPolicyEvaluable\[KeyPolicy\.Statement0\.Principal\]/);
});

test('in a stack whose account is known at deploy time only, the library names its own roles (with their Region)', () => {
  const app = new App();
  const primaryStack = new Stack(app, 'Primary', { env: { region: 'eu-west-1' } });
  const replicaStack = new Stack(app, 'Replica', { env: { region: 'eu-central-1' }, crossRegionReferences: true });
  const primary = new CustomerManagedKey(primaryStack, 'Data', { multiRegion: true });
  primary.addReplica(replicaStack, 'Data');
  const adminName = (primary.adminRole!.node.defaultChild as iam.CfnRole).roleName;
  expect(adminName).toMatch(/^Primary-Data-AdminRole-[0-9A-F]{8}-eu-west-1$/);
  expect(replicaStatements(replicaStack).find((statement) => statement.Sid === 'KeyAdministration').Principal.AWS).toEqual(
    { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:role/${adminName}`]] });
});
