import { App, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ACCOUNT, PRIMARY_ARN, twoRegionStacks } from './multi-region-fixtures';
import { CustomerManagedKey, KeyOrigin, ReplicaKey } from '../../src';

function twoRegionApp() {
  const { app, primaryStack, replicaStack } = twoRegionStacks();
  const primary = new CustomerManagedKey(primaryStack, 'DataKey', { multiRegion: true, aliases: ['app/data'], description: 'orders' });
  const replica = primary.addReplica(replicaStack, 'DataKey');
  return { app, primaryStack, replicaStack, primary, replica };
}

function keyPolicyStatements(template: Template, type: string): any[] {
  const [key] = Object.values(template.findResources(type));
  return key.Properties.KeyPolicy.Statement;
}

function sid(statements: any[], name: string): any {
  const found = statements.find((s) => s.Sid === name);
  if (!found) { throw new Error(`no statement ${name}`); }
  return found;
}

/** The CloudFormation expression a cross-Region reference resolves to in the consuming stack. */
const CROSS_REGION_IMPORT = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExportsReader'), Match.stringLikeRegexp('^/cdk/exports/')] };

describe('a replica in a second Region (two-Region app)', () => {
  const { app, primaryStack, replicaStack, primary, replica } = twoRegionApp();
  const primaryTemplate = Template.fromStack(primaryStack);
  const replicaTemplate = Template.fromStack(replicaStack);
  const statements = keyPolicyStatements(replicaTemplate, 'AWS::KMS::ReplicaKey');

  test('creates an AWS::KMS::ReplicaKey, enabled, 30-day window, RETAIN, description from the primary', () => {
    replicaTemplate.hasResource('AWS::KMS::ReplicaKey', {
      Properties: { Enabled: true, PendingWindowInDays: 30, Description: 'orders', PrimaryKeyArn: CROSS_REGION_IMPORT },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(replica.replicaRegion).toBe('eu-central-1');
  });

  test('the primary side writes its key ARN to the replica Region (aws-cdk-lib cross-Region reference)', () => {
    const [writer] = Object.values(primaryTemplate.findResources('Custom::CrossRegionExportWriter'));
    expect(writer.Properties.WriterProps.region).toBe('eu-central-1');
    expect(Object.values(writer.Properties.WriterProps.exports)).toContainEqual({ 'Fn::GetAtt': [primaryStack.getLogicalId(primary.cfnKey), 'Arn'] });
  });

  test('the replica side reads the ARN from SSM in its own Region, and deploys after the primary', () => {
    const [reader] = Object.values(replicaTemplate.findResources('Custom::CrossRegionExportReader'));
    expect(reader.Properties.ReaderProps.region).toBe('eu-central-1');
    const [name, value] = Object.entries(reader.Properties.ReaderProps.imports).find(([, v]) => String(v).includes('Arn'))!;
    expect(value).toBe(`{{resolve:ssm:${name}}}`);
    expect(replicaStack.dependencies).toContain(primaryStack);
  });

  test('keeps the four role-model statements', () => {
    expect(statements.map((s) => s.Sid)).toEqual([
      'AccountAdministration', 'KeyAdministration', 'KeyUsage', 'AllowAttachmentOfPersistentResources',
    ]);
  });

  test('administrators can promote the replica, and get no rotation or replication actions', () => {
    const admin = sid(statements, 'KeyAdministration');
    expect(admin.Action).toEqual([
      'kms:CancelKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:DescribeKey', 'kms:DisableKey', 'kms:EnableKey',
      'kms:GetKeyPolicy', 'kms:ListGrants', 'kms:ListKeyPolicies', 'kms:ListResourceTags', 'kms:PutKeyPolicy',
      'kms:RevokeGrant', 'kms:ScheduleKeyDeletion', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateAlias',
      'kms:UpdateKeyDescription', 'kms:UpdatePrimaryRegion',
    ]);
    expect(sid(statements, 'AccountAdministration').Action).toEqual(admin.Action);
  });

  test('the primary\'s administrators keep ReplicateKey and UpdatePrimaryRegion', () => {
    const admin = sid(keyPolicyStatements(primaryTemplate, 'AWS::KMS::Key'), 'KeyAdministration');
    expect(admin.Action).toEqual(expect.arrayContaining(['kms:ReplicateKey', 'kms:UpdatePrimaryRegion', 'kms:RotateKeyOnDemand']));
  });

  test('the primary\'s admin and user roles are named by ARN (IAM is global), and no role is created', () => {
    const adminRoleName = primaryStack.resolve((primary.adminRole!.node.defaultChild as iam.CfnRole).roleName);
    expect(adminRoleName).toMatch(/^primarydatakeyadminrole/);
    expect(sid(statements, 'KeyAdministration').Principal.AWS).toEqual(
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:role/${adminRoleName}`]] });
    expect(sid(statements, 'KeyUsage').Principal).toEqual(sid(statements, 'AllowAttachmentOfPersistentResources').Principal);
    expect(sid(statements, 'KeyUsage').Action).toEqual(sid(keyPolicyStatements(primaryTemplate, 'AWS::KMS::Key'), 'KeyUsage').Action);
    // The only role is the one of aws-cdk-lib's export reader.
    expect(Object.keys(replicaTemplate.findResources('AWS::IAM::Role'))).toEqual([expect.stringMatching(/^CustomCrossRegionExportReader/)]);
    expect(replica.adminRole).toBe(primary.adminRole);
    expect(replica.userRole).toBe(primary.userRole);
  });

  test('the primary\'s aliases are created in the replica Region, RETAIN like the key', () => {
    replicaTemplate.hasResource('AWS::KMS::Alias', {
      Properties: { AliasName: 'alias/app/data', TargetKeyId: { 'Fn::GetAtt': [replicaStack.getLogicalId(replica.cfnReplicaKey), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
  });

  test('exposes the IKey contract with the replica\'s own ARN and key ID', () => {
    expect(replicaStack.resolve(replica.keyArn)).toEqual({ 'Fn::GetAtt': [replicaStack.getLogicalId(replica.cfnReplicaKey), 'Arn'] });
    expect(replicaStack.resolve(replica.keyId)).toEqual({ 'Fn::GetAtt': [replicaStack.getLogicalId(replica.cfnReplicaKey), 'KeyId'] });
  });

  test('passes AwsSolutionsChecks with zero findings', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });

  test('matches the snapshots of both stacks', () => {
    expect(primaryTemplate.toJSON()).toMatchSnapshot();
    expect(replicaTemplate.toJSON()).toMatchSnapshot();
  });
});

describe('replicas in two more Regions (three-Region app)', () => {
  const app = new App();
  const primaryStack = new Stack(app, 'Primary', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const primary = new CustomerManagedKey(primaryStack, 'DataKey', { multiRegion: true, aliases: ['app/data', 'app/orders'] });
  const replicas = ReplicaKey.replicateToRegions(app, primary, ['eu-central-1', 'us-east-1']);
  const templates = [primaryStack, ...replicas.map((r) => Stack.of(r))].map((stack) => Template.fromStack(stack));

  test('creates one stack per Region in the primary\'s account, named after the primary stack', () => {
    expect(replicas.map((r) => Stack.of(r).node.id)).toEqual(['Primary-eu-central-1', 'Primary-us-east-1']);
    expect(replicas.map((r) => Stack.of(r).region)).toEqual(['eu-central-1', 'us-east-1']);
    expect(replicas.map((r) => Stack.of(r).account)).toEqual([ACCOUNT, ACCOUNT]);
    for (const replica of replicas) { expect(Stack.of(replica).dependencies).toContain(primaryStack); }
  });

  test('the primary writes its ARN once to each replica Region', () => {
    const writers = Object.values(templates[0].findResources('Custom::CrossRegionExportWriter'));
    expect(writers.map((w) => w.Properties.WriterProps.region).sort()).toEqual(['eu-central-1', 'us-east-1']);
  });

  test.each(['eu-central-1', 'us-east-1'])('the %s stack has the replica and both aliases', (region) => {
    const replica = replicas.find((r) => r.replicaRegion === region)!;
    const template = Template.fromStack(Stack.of(replica));
    template.resourceCountIs('AWS::KMS::ReplicaKey', 1);
    const aliases = Object.values(template.findResources('AWS::KMS::Alias'));
    expect(aliases.map((a) => a.Properties.AliasName)).toEqual(['alias/app/data', 'alias/app/orders']);
    expect(aliases.map((a) => a.DeletionPolicy)).toEqual(['Retain', 'Retain']);
  });

  test('passes AwsSolutionsChecks with zero findings', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });

  test('matches the snapshots of all three stacks', () => {
    templates.forEach((template) => expect(template.toJSON()).toMatchSnapshot());
  });
});

describe('replica options', () => {
  test('Region-specific principals are added to the inherited ones', () => {
    const { primaryStack, replicaStack } = twoRegionStacks();
    const primary = new CustomerManagedKey(primaryStack, 'Key', {
      multiRegion: true,
      users: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/global-app`)],
    });
    primary.addReplica(replicaStack, 'Key', {
      administrators: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/eu-central-1-oncall`)],
      users: [new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/eu-central-1-batch`)],
    });
    const statements = keyPolicyStatements(Template.fromStack(replicaStack), 'AWS::KMS::ReplicaKey');
    expect(sid(statements, 'KeyAdministration').Principal.AWS).toEqual([expect.anything(), `arn:aws:iam::${ACCOUNT}:role/eu-central-1-oncall`]);
    expect(sid(statements, 'KeyUsage').Principal.AWS).toEqual([
      expect.anything(), `arn:aws:iam::${ACCOUNT}:role/global-app`, `arn:aws:iam::${ACCOUNT}:role/eu-central-1-batch`,
    ]);
    // Region-specific principals stay out of the primary's policy.
    expect(JSON.stringify(Template.fromStack(primaryStack).toJSON())).not.toContain('eu-central-1-batch');
  });

  test('own aliases, pending window, description, disabled and DESTROY on key and aliases', () => {
    const { primary, replicaStack } = withPrimary();
    const replica = primary.addReplica(replicaStack, 'Key', {
      aliases: ['eu/data'], pendingWindow: Duration.days(7), description: 'eu copy', enabled: false, removalPolicy: RemovalPolicy.DESTROY,
    });
    replica.addAlias('eu/later');
    const template = Template.fromStack(replicaStack);
    template.hasResource('AWS::KMS::ReplicaKey', {
      Properties: { PendingWindowInDays: 7, Description: 'eu copy', Enabled: false },
      DeletionPolicy: 'Delete',
    });
    const aliases = Object.values(template.findResources('AWS::KMS::Alias'));
    expect(aliases.map((a) => [a.Properties.AliasName, a.DeletionPolicy])).toEqual([['alias/eu/data', 'Delete'], ['alias/eu/later', 'Delete']]);
  });

  test('an empty alias list creates no alias', () => {
    const { primary, replicaStack } = withPrimary();
    primary.addReplica(replicaStack, 'Key', { aliases: [] });
    Template.fromStack(replicaStack).resourceCountIs('AWS::KMS::Alias', 0);
  });

  test('a primary managed elsewhere, by ARN: own roles, literal ARN, no cross-Region wiring', () => {
    const stack = new Stack(new App(), 'Replica', { env: { account: ACCOUNT, region: 'eu-central-1' } });
    const replica = new ReplicaKey(stack, 'Key', { primaryKeyArn: PRIMARY_ARN, aliases: ['app/data'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::ReplicaKey', { PrimaryKeyArn: PRIMARY_ARN });
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.resourceCountIs('Custom::CrossRegionExportReader', 0);
    expect(replica.primaryKeyArn).toBe(PRIMARY_ARN);
    expect(sid(keyPolicyStatements(template, 'AWS::KMS::ReplicaKey'), 'KeyUsage').Action).toContain('kms:Decrypt');
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('an HMAC primary by ARN: MAC user actions', () => {
    const stack = new Stack(new App(), 'Replica', { env: { account: ACCOUNT, region: 'eu-central-1' } });
    new ReplicaKey(stack, 'Key', { primaryKeyArn: PRIMARY_ARN, keySpec: kms.KeySpec.HMAC_256 });
    const statements = keyPolicyStatements(Template.fromStack(stack), 'AWS::KMS::ReplicaKey');
    expect(sid(statements, 'KeyUsage').Action).toEqual(['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac']);
  });

  test('a primary with imported key material: replica administrators can import it in their Region', () => {
    const { primaryStack, replicaStack } = twoRegionStacks();
    const primary = new CustomerManagedKey(primaryStack, 'External', { multiRegion: true, origin: KeyOrigin.EXTERNAL });
    primary.addReplica(replicaStack, 'External');
    const admin = sid(keyPolicyStatements(Template.fromStack(replicaStack), 'AWS::KMS::ReplicaKey'), 'KeyAdministration').Action;
    expect(admin).toEqual(expect.arrayContaining(['kms:ImportKeyMaterial', 'kms:GetParametersForImport', 'kms:DeleteImportedKeyMaterial']));
  });

  test('the same shared property as the primary is accepted', () => {
    const { primary, replicaStack } = withPrimary();
    expect(() => primary.addReplica(replicaStack, 'Key', { keySpec: kms.KeySpec.SYMMETRIC_DEFAULT, origin: KeyOrigin.AWS_KMS })).not.toThrow();
  });
});

describe('the replica is a kms.IKey for consumers in its Region', () => {
  test('grants name the principal in the replica\'s key policy', () => {
    const { primary, replicaStack } = withPrimary();
    const replica = primary.addReplica(replicaStack, 'Key');
    const reader = new iam.Role(replicaStack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    replica.grantDecrypt(reader);
    const statements = keyPolicyStatements(Template.fromStack(replicaStack), 'AWS::KMS::ReplicaKey');
    expect(sid(statements, 'GrantDecrypt')).toEqual(expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Principal: { AWS: replicaStack.resolve(reader.roleArn) },
    }));
  });

  test('plugs into aws-cdk-lib constructs, with wildcards expanded', () => {
    const { primary, replicaStack } = withPrimary();
    const replica = primary.addReplica(replicaStack, 'Key');
    const bucket = new s3.Bucket(replicaStack, 'Bucket', { encryptionKey: replica });
    bucket.grantReadWrite(new iam.Role(replicaStack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    const template = Template.fromStack(replicaStack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
    });
    const actions = keyPolicyStatements(template, 'AWS::KMS::ReplicaKey').flatMap((s) => s.Action as string[]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });
});

function withPrimary() {
  const stacks = twoRegionStacks();
  return { ...stacks, primary: new CustomerManagedKey(stacks.primaryStack, 'Key', { multiRegion: true, aliases: ['app/data'] }) };
}
