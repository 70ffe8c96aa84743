import { App, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3, aws_sqs as sqs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CustomerManagedKey, KeyOrigin } from '../../src';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

function statements(template: Template): any[] {
  const keys = template.findResources('AWS::KMS::Key');
  const [key] = Object.values(keys);
  return key.Properties.KeyPolicy.Statement;
}

function statement(template: Template, sid: string): any {
  const found = statements(template).find((s) => s.Sid === sid);
  if (!found) { throw new Error(`no statement ${sid}`); }
  return found;
}

const CONSOLE_ADMIN_WILDCARDS = /\*$/;

describe('CustomerManagedKey defaults', () => {
  const stack = newStack();
  const key = new CustomerManagedKey(stack, 'Key', { aliases: ['app/data'] });
  const template = Template.fromStack(stack);

  test('creates a symmetric key with rotation, 30-day window and RETAIN', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Origin: 'AWS_KMS',
        MultiRegion: false,
        Enabled: true,
        EnableKeyRotation: true,
        RotationPeriodInDays: 365,
        PendingWindowInDays: 30,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('has exactly the four role-model statements', () => {
    expect(statements(template).map((s) => s.Sid)).toEqual([
      'AccountAdministration', 'KeyAdministration', 'KeyUsage', 'AllowAttachmentOfPersistentResources',
    ]);
  });

  test('account statement delegates administration only, never use', () => {
    const account = statement(template, 'AccountAdministration');
    expect(account.Principal).toEqual({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } });
    expect(account.Action).not.toContain('kms:*');
    expect(account.Action).not.toContain('kms:Decrypt');
    expect(account.Action).toContain('kms:PutKeyPolicy');
  });

  test('administrators get explicit admin actions with rotation, and no usage or CreateGrant', () => {
    const admin = statement(template, 'KeyAdministration');
    expect(admin.Principal).toEqual({ AWS: { 'Fn::GetAtt': [expect.stringMatching(/^KeyAdminRole/), 'Arn'] } });
    expect(admin.Action).toEqual([
      'kms:CancelKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:DescribeKey', 'kms:DisableKey',
      'kms:DisableKeyRotation', 'kms:EnableKey', 'kms:EnableKeyRotation', 'kms:GetKeyPolicy',
      'kms:GetKeyRotationStatus', 'kms:ListGrants', 'kms:ListKeyPolicies', 'kms:ListKeyRotations',
      'kms:ListResourceTags', 'kms:PutKeyPolicy', 'kms:RevokeGrant', 'kms:RotateKeyOnDemand',
      'kms:ScheduleKeyDeletion', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateAlias',
      'kms:UpdateKeyDescription',
    ]);
    for (const action of admin.Action) { expect(action).not.toMatch(CONSOLE_ADMIN_WILDCARDS); }
    expect(admin.Action).not.toContain('kms:CreateGrant');
    expect(admin.Action).not.toContain('kms:Decrypt');
  });

  test('users get symmetric usage actions and no administration', () => {
    const usage = statement(template, 'KeyUsage');
    expect(usage.Principal).toEqual({ AWS: { 'Fn::GetAtt': [expect.stringMatching(/^KeyUserRole/), 'Arn'] } });
    expect(usage.Action).toEqual([
      'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair',
      'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
    ]);
  });

  test('grants for AWS resources require kms:GrantIsForAWSResource', () => {
    const grants = statement(template, 'AllowAttachmentOfPersistentResources');
    expect(grants.Action).toEqual(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);
    expect(grants.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': true } });
    expect(grants.Principal).toEqual(statement(template, 'KeyUsage').Principal);
  });

  test('creates admin and user roles trusted by the account', () => {
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: Match.anyValue() }, Action: 'sts:AssumeRole' })] },
    });
  });

  test('alias gets the prefix and the key removal policy', () => {
    template.hasResource('AWS::KMS::Alias', {
      Properties: { AliasName: 'alias/app/data', TargetKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    expect(key.aliases).toHaveLength(1);
  });

  test('exposes the IKey contract', () => {
    expect(key.key).toBe(key);
    expect(stack.resolve(key.keyArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.cfnKey), 'Arn'] });
    expect(stack.resolve(key.keyRef.keyId)).toEqual({ Ref: stack.getLogicalId(key.cfnKey) });
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('key types', () => {
  test.each([
    [kms.KeySpec.HMAC_256, undefined, 'GENERATE_VERIFY_MAC', ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac']],
    [kms.KeySpec.RSA_2048, kms.KeyUsage.SIGN_VERIFY, 'SIGN_VERIFY', ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify']],
    [kms.KeySpec.RSA_3072, undefined, 'ENCRYPT_DECRYPT', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GetPublicKey']],
    [kms.KeySpec.ECC_NIST_P256, kms.KeyUsage.KEY_AGREEMENT, 'KEY_AGREEMENT', ['kms:DeriveSharedSecret', 'kms:DescribeKey', 'kms:GetPublicKey']],
    [kms.KeySpec.ECC_SECG_P256K1, undefined, 'SIGN_VERIFY', ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify']],
  ])('%s / %s gets usage %s and its own user actions, no rotation', (keySpec, keyUsage, expectedUsage, userActions) => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key', { keySpec, keyUsage });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { KeySpec: keySpec, KeyUsage: expectedUsage, EnableKeyRotation: false, RotationPeriodInDays: Match.absent() });
    expect(statement(template, 'KeyUsage').Action).toEqual(userActions);
    const admin = statement(template, 'KeyAdministration').Action;
    expect(admin).not.toContain('kms:RotateKeyOnDemand');
    expect(admin).not.toContain('kms:GetPublicKey');
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('multi-Region primary administrators can replicate and move the primary', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key', { multiRegion: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { MultiRegion: true });
    expect(statement(template, 'KeyAdministration').Action).toEqual(expect.arrayContaining(['kms:ReplicateKey', 'kms:UpdatePrimaryRegion']));
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('imported key material: import actions, no rotation', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key', { origin: KeyOrigin.EXTERNAL });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { Origin: 'EXTERNAL', EnableKeyRotation: false });
    const admin = statement(template, 'KeyAdministration').Action;
    expect(admin).toEqual(expect.arrayContaining(['kms:ImportKeyMaterial', 'kms:GetParametersForImport', 'kms:DeleteImportedKeyMaterial']));
    expect(admin).not.toContain('kms:RotateKeyOnDemand');
  });
});

describe('props', () => {
  test('custom rotation period, pending window, description, disabled', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key', {
      rotationPeriod: Duration.days(90), pendingWindow: Duration.days(7), description: 'orders', enabled: false,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      RotationPeriodInDays: 90, PendingWindowInDays: 7, Description: 'orders', Enabled: false,
    });
  });

  test.each([90, 2560])('rotation period boundary %d days is accepted', (days) => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key', { rotationPeriod: Duration.days(days) });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { RotationPeriodInDays: days });
  });

  test('rotation can be turned off explicitly', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key', { enableKeyRotation: false });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: false, RotationPeriodInDays: Match.absent() });
  });

  test('existing roles and extra principals are named in the right statements', () => {
    const stack = newStack();
    const adminRole = iam.Role.fromRoleArn(stack, 'Admin', 'arn:aws:iam::111111111111:role/kms-admin');
    const userRole = iam.Role.fromRoleArn(stack, 'User', 'arn:aws:iam::111111111111:role/app');
    const key = new CustomerManagedKey(stack, 'Key', {
      adminRole,
      userRole,
      administrators: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/break-glass')],
      users: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/batch')],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 0);
    expect(statement(template, 'KeyAdministration').Principal.AWS).toEqual([
      'arn:aws:iam::111111111111:role/kms-admin', 'arn:aws:iam::111111111111:role/break-glass',
    ]);
    expect(statement(template, 'KeyUsage').Principal.AWS).toEqual([
      'arn:aws:iam::111111111111:role/app', 'arn:aws:iam::111111111111:role/batch',
    ]);
    expect(key.adminRole).toBe(adminRole);
  });

  test('accountAdministration false removes the account statement when administrators are named', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'Key', {
      accountAdministration: false,
      administrators: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1')],
    });
    expect(statements(Template.fromStack(stack)).map((s) => s.Sid)).not.toContain('AccountAdministration');
  });

  test('removal policy DESTROY applies to key and aliases, including later ones', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key', { aliases: ['a'], removalPolicy: RemovalPolicy.DESTROY });
    key.addAlias('b');
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    expect(Object.values(template.findResources('AWS::KMS::Alias')).map((r) => r.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });

  test('applyRemovalPolicy after construction reaches existing aliases', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key', { aliases: ['a'] });
    key.applyRemovalPolicy(RemovalPolicy.DESTROY);
    const template = Template.fromStack(stack);
    expect(Object.values(template.findResources('AWS::KMS::Alias')).map((r) => r.DeletionPolicy)).toEqual(['Delete']);
  });

  test('importers return the interface', () => {
    const stack = newStack();
    const byArn = CustomerManagedKey.fromKeyArn(stack, 'ByArn', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(byArn.keyId).toBe('1234abcd-12ab-34cd-56ef-1234567890ab');
    const byAlias = CustomerManagedKey.fromAliasName(stack, 'ByAlias', 'orders');
    expect(byAlias.aliasName).toBe('alias/orders');
  });
});

describe('grants', () => {
  function grantStatement(grant: (key: CustomerManagedKey, role: iam.Role) => void, sid: string) {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key');
    const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    grant(key, role);
    const template = Template.fromStack(stack);
    return { stmt: statement(template, sid), template, stack, role };
  }

  test.each([
    ['grantEncryptDecrypt', 'GrantEncryptDecrypt', ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:Decrypt', 'kms:DescribeKey']],
    ['grantEncrypt', 'GrantEncrypt', ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey']],
    ['grantDecrypt', 'GrantDecrypt', ['kms:Decrypt', 'kms:DescribeKey']],
    ['grantGenerateDataKey', 'GrantGenerateDataKey', ['kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey']],
  ] as const)('%s names the role in statement %s of the key policy', (method, sid, expected) => {
    const { stmt, template, role, stack } = grantStatement((key, r) => (key as any)[method](r), sid);
    expect(stmt.Action).toEqual(expected);
    expect(stmt.Principal).toEqual({ AWS: stack.resolve(role.roleArn) });
    // Same account: the key policy is enough, no identity policy is needed.
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('two grants of one kind share one statement', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key');
    const a = new iam.Role(stack, 'A', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const b = new iam.Role(stack, 'B', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.grantDecrypt(a);
    key.grantDecrypt(b);
    const stmt = statement(Template.fromStack(stack), 'GrantDecrypt');
    expect(stmt.Principal.AWS).toHaveLength(2);
  });

  test('grantAdminister gives the admin list and no use', () => {
    const { stmt } = grantStatement((key, r) => key.grantAdminister(r), 'KeyAdministration');
    expect(stmt.Principal.AWS).toHaveLength(2);
    expect(stmt.Action).not.toContain('kms:Decrypt');
  });

  test('a principal of another account also gets an identity policy', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key');
    const other = new Stack(stack.node.root as App, 'Other', { env: { account: '222222222222', region: 'eu-west-1' } });
    const role = new iam.Role(other, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName: 'reader' });
    key.grantDecrypt(role);
    Template.fromStack(other).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Effect: 'Allow' })] },
    });
    expect(statement(Template.fromStack(stack), 'GrantDecrypt').Principal.AWS).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:role/reader']],
    });
  });

  test('sign, verify and MAC grants work on keys of the right type', () => {
    const stack = newStack();
    const signing = new CustomerManagedKey(stack, 'Signing', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    const mac = new CustomerManagedKey(stack, 'Mac', { keySpec: kms.KeySpec.HMAC_256 });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => { signing.grantSign(role); signing.grantVerify(role); signing.grantSignVerify(role); }).not.toThrow();
    expect(() => { mac.grantGenerateMac(role); mac.grantVerifyMac(role); }).not.toThrow();
  });

  test.each([
    ['grantSign', {}],
    ['grantGenerateMac', {}],
    ['grantEncryptDecrypt', { keySpec: kms.KeySpec.HMAC_256 }],
    ['grantGenerateDataKey', { keySpec: kms.KeySpec.RSA_2048 }],
  ] as const)('%s on the wrong key type is a synth-time error', (method, props) => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key', props);
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => (key as any)[method](role)).toThrow(/is not possible on a key of type/);
  });

  test('plugs into aws-cdk-lib constructs that take a kms.IKey', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    bucket.grantRead(reader);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
    });
    // aws-cdk-lib asks for kms:Decrypt + kms:DescribeKey: it lands in the named statement.
    expect(statement(template, 'GrantDecrypt').Principal).toEqual({ AWS: stack.resolve(reader.roleArn) });
  });

  test('wildcards from aws-cdk-lib grants are expanded, never written to the key policy', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    bucket.grantReadWrite(writer);
    const all = statements(Template.fromStack(stack)).flatMap((s) => s.Action as string[]);
    expect(all.filter((a) => a.includes('*'))).toEqual([]);
    expect(statement(Template.fromStack(stack), 'GrantS3ReadWrite').Action).toEqual(expect.arrayContaining(['kms:ReEncryptFrom', 'kms:GenerateDataKeyWithoutPlaintext']));
  });

  test('a generic grant of admin actions counts as administration', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key');
    key.grant(key.userRole!, 'kms:ScheduleKeyDeletion');
    expect(() => Template.fromStack(stack)).toThrow(/is both administrator and user/);
  });
});
