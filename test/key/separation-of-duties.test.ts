import { App, Aws, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountAdministration, CustomerManagedKey, GrantOperation } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function setUp(accountAdministrationScope?: AccountAdministration): { stack: Stack; key: CustomerManagedKey; role: iam.Role } {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const key = new CustomerManagedKey(stack, 'Key', { accountAdministrationScope });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, key, role };
}

function synth(stack: Stack): () => void {
  return () => Template.fromStack(stack);
}

describe('separation of duties is checked on the final key policy, whichever call wrote it', () => {
  test('grantDecrypt to the account root next to an account-wide AccountAdministration: every IAM principal of the account could do both', () => {
    const { stack, key } = setUp(AccountAdministration.wholeAccount());
    key.grantDecrypt(new iam.AccountRootPrincipal());
    expect(synth(stack)).toThrow(
      /the account principal \(every IAM principal of account 111111111111 whose identity policy allows it\) is both administrator and user of this key: it administers through Sid AccountAdministration and uses it through Sid GrantDecrypt\..*Fix: grant use to named roles/);
  });

  test('grantEncryptDecrypt to the AccountPrincipal is the same delegation', () => {
    const { stack, key } = setUp(AccountAdministration.wholeAccount());
    key.grantEncryptDecrypt(new iam.AccountPrincipal(ENV.account));
    expect(synth(stack)).toThrow(/the account principal .* uses it through Sid GrantEncryptDecrypt/);
  });

  test('a mixed list in grant() names the role by construct path and the one Sid', () => {
    const { stack, key, role } = setUp();
    key.grant(role, 'kms:Decrypt', 'kms:ScheduleKeyDeletion');
    expect(synth(stack)).toThrow(/^Validation failed with the following errors:\n\s+\[Stack\/Key\] principal Stack\/Role is both administrator and user of this key: it administers through Sid Grant[0-9a-f]{8} and uses it through Sid Grant[0-9a-f]{8}\./);
  });

  test('addToResourcePolicy with administration and use for one principal', () => {
    const { stack, key, role } = setUp();
    key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'Everything', principals: [role], actions: ['kms:PutKeyPolicy', 'kms:Encrypt'], resources: ['*'] }));
    expect(synth(stack)).toThrow(/principal Stack\/Role is both administrator and user of this key: it administers through Sid Everything and uses it through Sid Everything/);
  });

  test('kms:* written past the construct for the user role', () => {
    const { stack, key } = setUp();
    key.addToResourcePolicy(new iam.PolicyStatement({ sid: 'All', principals: [key.userRole!], actions: ['kms:*'], resources: ['*'] }));
    expect(synth(stack)).toThrow(/principal Stack\/Key\/UserRole is both administrator and user/);
  });

  test('kms:CreateGrant through grant() without kms:GrantIsForAWSResource is use', () => {
    const { stack, key } = setUp();
    key.grant(key.adminRole!, 'kms:CreateGrant');
    expect(synth(stack)).toThrow(/principal Stack\/Key\/AdminRole is both administrator and user of this key: it administers through Sid KeyAdministration and uses it through Sid Grant[0-9a-f]{8}/);
  });

  test('a KMS grant (KeyGrant) to an administrator is use', () => {
    const { stack, key } = setUp();
    key.grantWithConstraints('Grant', { grantee: key.adminRole!, operations: [GrantOperation.DECRYPT] });
    expect(synth(stack)).toThrow(/principal Stack\/Key\/AdminRole is both administrator and user of this key: it administers through Sid KeyAdministration and uses it through Sid Stack\/Key\/Grant/);
  });

  test('the same role written as arn:aws: and as arn:${Partition}: is one principal', () => {
    const { stack, key } = setUp();
    key.grantAdminister(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/ops'));
    key.grantDecrypt(new iam.ArnPrincipal(`arn:${Aws.PARTITION}:iam::111111111111:role/ops`));
    expect(synth(stack)).toThrow(/principal arn:aws:iam::111111111111:role\/ops is both administrator and user/);
  });

  test('an administrator of another account that is also granted use', () => {
    const { stack, key } = setUp();
    key.grantAdminister(new iam.ArnPrincipal('arn:aws:iam::222222222222:role/ops'));
    key.grantEncrypt(new iam.ArnPrincipal('arn:aws:iam::222222222222:role/ops'));
    expect(synth(stack)).toThrow(/principal arn:aws:iam::222222222222:role\/ops is both administrator and user/);
  });
});

describe('sound sequences are accepted', () => {
  test('grant(role, kms:DescribeKey) then grantDecrypt(role): DescribeKey is read-only', () => {
    const { stack, key, role } = setUp();
    key.grant(role, 'kms:DescribeKey');
    key.grantDecrypt(role);
    expect(synth(stack)).not.toThrow();
  });

  test('the default key with its admin and user roles, an alias, and grants to other roles', () => {
    const { stack, key, role } = setUp();
    key.addAlias('orders');
    key.grantEncryptDecrypt(role);
    key.grantGenerateDataKey(role);
    key.grant(role, 'kms:GenerateDataKey*');
    key.grantWithConstraints('Grant', { grantee: role, operations: [GrantOperation.DECRYPT] });
    key.allowServicePrincipal('logs.eu-west-1.amazonaws.com', { allowResourceGrants: true });
    expect(synth(stack)).not.toThrow();
  });

  test('an administrator may read the key (DescribeKey, GetKeyPolicy, List*) and a user may too', () => {
    const { stack, key, role } = setUp();
    key.grant(key.userRole!, 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:ListResourceTags');
    key.grantAdminister(role);
    expect(synth(stack)).not.toThrow();
  });

  test('kms:CreateGrant only for AWS resources is not use: a user keeps it, an administrator may hold it', () => {
    const { stack, key } = setUp();
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AdminAttach',
      principals: [key.adminRole!],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
    }));
    expect(synth(stack)).not.toThrow();
  });
});
