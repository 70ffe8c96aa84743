import { App, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CustomerManagedKey, EncryptedBucket, KeyDeletionMonitor } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function roleIds(stack: Stack): string[] {
  return Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role'));
}

function sids(stack: Stack): Array<string | undefined> {
  const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy.Statement.map((statement: any) => statement.Sid);
}

describe('keys the library makes for its own plumbing create no roles', () => {
  test("an EncryptedBucket's default key", () => {
    const stack = new Stack(new App(), 'Bucket', { env: ENV });
    const bucket = new EncryptedBucket(stack, 'Data');
    expect(roleIds(stack)).toEqual([]);
    expect(bucket.encryptionKey).toBeInstanceOf(CustomerManagedKey);
    expect((bucket.encryptionKey as CustomerManagedKey).adminRole).toBeUndefined();
    expect(sids(stack)).toEqual(['AccountAdministration']);
  });

  test("the deletion monitor's key (the only role left is the trail's CloudWatch Logs delivery role)", () => {
    const stack = new Stack(new App(), 'Monitor', { env: ENV });
    const monitor = new KeyDeletionMonitor(stack, 'Monitor', { emailSubscriptions: ['security@example.com'] });
    expect(monitor.key!.adminRole).toBeUndefined();
    expect(monitor.key!.userRole).toBeUndefined();
    expect(roleIds(stack).filter((id) => id.startsWith('MonitorKey'))).toEqual([]);
    expect(roleIds(stack)).toEqual([expect.stringMatching(/^MonitorTrailLogsRole/)]);
  });
});

describe('createRoles on request', () => {
  test('false: the key policy names only the given principals', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const admin = iam.Role.fromRoleArn(stack, 'Admin', 'arn:aws:iam::111111111111:role/kms-admin');
    const app = iam.Role.fromRoleArn(stack, 'App', 'arn:aws:iam::111111111111:role/app');
    const key = new CustomerManagedKey(stack, 'Key', { createRoles: false, administrators: [admin], users: [app] });
    expect(roleIds(stack)).toEqual([]);
    expect(key.adminRole).toBeUndefined();
    expect(key.userRole).toBeUndefined();
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    const principals = Object.fromEntries(resource.Properties.KeyPolicy.Statement.map((statement: any) => [statement.Sid, statement.Principal.AWS]));
    expect(principals.KeyAdministration).toBe('arn:aws:iam::111111111111:role/kms-admin');
    expect(principals.KeyUsage).toBe('arn:aws:iam::111111111111:role/app');
  });

  test('false with no principals at all: only the account statement, grants add the rest', () => {
    const bare = new Stack(new App(), 'Bare', { env: ENV });
    new CustomerManagedKey(bare, 'Key', { createRoles: false });
    expect(sids(bare)).toEqual(['AccountAdministration']);

    const granted = new Stack(new App(), 'Granted', { env: ENV });
    const key = new CustomerManagedKey(granted, 'Key', { createRoles: false });
    key.grantDecrypt(new iam.Role(granted, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    expect(sids(granted)).toEqual(['AccountAdministration', 'GrantDecrypt']);
    expect(roleIds(granted)).toEqual([expect.stringMatching(/^Reader/)]);
  });

  test('the default for a user key is unchanged: an admin role and a user role', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const key = new CustomerManagedKey(stack, 'Key');
    expect(roleIds(stack).sort()).toEqual([expect.stringMatching(/^KeyAdminRole/), expect.stringMatching(/^KeyUserRole/)]);
    expect(key.adminRole).toBeDefined();
    expect(key.userRole).toBeDefined();
  });

  test('a replica of a primary without roles makes none either', () => {
    const app = new App();
    const primaryStack = new Stack(app, 'Primary', { env: ENV });
    const replicaStack = new Stack(app, 'Replica', { env: { ...ENV, region: 'eu-central-1' } });
    const primary = new CustomerManagedKey(primaryStack, 'Key', { multiRegion: true, createRoles: false });
    const replica = primary.addReplica(replicaStack, 'Key');
    expect(replica.adminRole).toBeUndefined();
    // The only roles are aws-cdk-lib's writer and reader of the primary's ARN (a cross-Region reference).
    expect(roleIds(replicaStack)).toEqual([expect.stringMatching(/^CustomCrossRegionExportReader/)]);
    expect(roleIds(primaryStack)).toEqual([expect.stringMatching(/^CustomCrossRegionExportWriter/)]);
  });
});
