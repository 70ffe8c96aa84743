import { App, CfnElement, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { CustomerManagedKey, GrantOperation, KeyGrant } from '../../src';
import { concrete, roleArn, simulate } from '../support/policy-simulation';

const ENV = { account: '111111111111', region: 'us-east-1' };

function keyPolicyOf(template: Template): any {
  const [key] = Object.values(template.findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy;
}

function logicalIdOf(scope: IConstruct): string {
  return Stack.of(scope).getLogicalId(scope.node.defaultChild as CfnElement);
}

describe('a grant with an encryption context constraint on a symmetric key', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const key = new CustomerManagedKey(stack, 'Key');
  const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.AccountRootPrincipal() });
  const retirer = new iam.Role(stack, 'Retirer', { assumedBy: new iam.AccountRootPrincipal() });
  const grant = key.grantWithConstraints('WorkerGrant', {
    grantee: worker,
    operations: [GrantOperation.GENERATE_DATA_KEY, GrantOperation.DECRYPT, GrantOperation.DECRYPT],
    encryptionContextSubset: { tenant: 'acme' },
    retiringPrincipal: retirer,
  });
  const template = Template.fromStack(stack);
  const policy = keyPolicyOf(template);
  const workerId = logicalIdOf(worker);
  const retirerId = logicalIdOf(retirer);
  const handlerRoleId = logicalIdOf(stack.node.findChild('CdkKmsPatternsKeyGrantProvider').node.findChild('HandlerRole'));
  const createSid = policy.Statement.find((s: any) => s.Action === 'kms:CreateGrant')?.Sid;

  test('the custom resource carries the key, grantee, sorted operations, retiring principal, constraint and a name', () => {
    const [resource] = Object.values(template.findResources('Custom::KmsKeyGrant'));
    expect(resource.Properties).toEqual({
      ServiceToken: expect.anything(),
      KeyArn: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
      GranteePrincipal: { 'Fn::GetAtt': [workerId, 'Arn'] },
      Operations: ['Decrypt', 'GenerateDataKey'],
      RetiringPrincipal: { 'Fn::GetAtt': [retirerId, 'Arn'] },
      Constraints: { EncryptionContextSubset: { tenant: 'acme' } },
      Name: expect.stringMatching(/^Stack-Key-WorkerGrant-[A-Za-z0-9]+$/),
    });
    expect(grant.grantId).toBeDefined();
  });

  test('the key policy lets the handler role create exactly this grant: grantee, retiring principal, constraint type and operations pinned', () => {
    expect(createSid).toMatch(/^KeyGrant[0-9A-F]{8}$/);
    expect(policy.Statement.find((s: any) => s.Sid === createSid)).toEqual({
      Sid: createSid,
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [handlerRoleId, 'Arn'] } },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        'StringEquals': {
          'kms:GranteePrincipal': { 'Fn::GetAtt': [workerId, 'Arn'] },
          'kms:RetiringPrincipal': { 'Fn::GetAtt': [retirerId, 'Arn'] },
          'kms:GrantConstraintType': 'EncryptionContextSubset',
        },
        'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'GenerateDataKey'] },
      },
    });
  });

  test('the key policy lets the handler role revoke grants, and nothing else', () => {
    expect(policy.Statement.find((s: any) => s.Sid === 'KeyGrantRevocation')).toEqual({
      Sid: 'KeyGrantRevocation',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [handlerRoleId, 'Arn'] } },
      Action: 'kms:RevokeGrant',
      Resource: '*',
    });
    const handlerStatements = policy.Statement.filter((s: any) => JSON.stringify(s.Principal).includes(handlerRoleId));
    expect(handlerStatements.map((s: any) => s.Sid)).toEqual([createSid, 'KeyGrantRevocation']);
  });

  test('the grantee is not in the key policy: the grant is its only access', () => {
    expect(JSON.stringify(policy.Statement.map((s: any) => s.Principal))).not.toContain(workerId);
  });

  test('the handler role has no KMS permission outside the key policy', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles).includes(handlerRoleId));
    expect(JSON.stringify(policies)).not.toMatch(/kms:/);
  });

  describe('judged by iam-simulate', () => {
    const resolved = concrete(policy);
    const handler = roleArn(handlerRoleId);
    const exactly = {
      'kms:GranteePrincipal': roleArn(workerId),
      'kms:RetiringPrincipal': roleArn(retirerId),
      'kms:GrantConstraintType': 'EncryptionContextSubset',
      'kms:GrantOperations': ['Decrypt', 'GenerateDataKey'],
    };

    test.each([
      ['this grant', 'Allowed', exactly],
      ['fewer operations', 'Allowed', { ...exactly, 'kms:GrantOperations': ['Decrypt'] }],
      ['another grantee', 'ImplicitlyDenied', { ...exactly, 'kms:GranteePrincipal': roleArn('Someone') }],
      ['an extra operation', 'ImplicitlyDenied', { ...exactly, 'kms:GrantOperations': ['Decrypt', 'GenerateDataKey', 'Encrypt'] }],
      ['another retiring principal', 'ImplicitlyDenied', { ...exactly, 'kms:RetiringPrincipal': roleArn('Someone') }],
      ['no encryption context constraint', 'ImplicitlyDenied', (({ 'kms:GrantConstraintType': _type, ...rest }) => rest)(exactly)],
    ])('the handler role creating %s: %s', async (_name, expected, context) => {
      expect(await simulate(resolved, { principal: handler, action: 'kms:CreateGrant', context })).toBe(expected);
    });

    test.each(['kms:Decrypt', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'])('the handler role cannot %s', async (action) => {
      expect(await simulate(resolved, { principal: handler, action })).toBe('ImplicitlyDenied');
    });

    test('the grantee cannot use the key through the key policy', async () => {
      expect(await simulate(resolved, { principal: roleArn(workerId), action: 'kms:Decrypt' })).toBe('ImplicitlyDenied');
    });
  });
});

describe('several grants in one stack', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const key = new CustomerManagedKey(stack, 'Key');
  const other = new CustomerManagedKey(stack, 'Other');
  const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.AccountRootPrincipal() });
  key.grantWithConstraints('A', { grantee: worker, operations: [GrantOperation.DECRYPT] });
  key.grantWithConstraints('B', { grantee: worker, operations: [GrantOperation.ENCRYPT] });
  other.grantWithConstraints('C', { grantee: worker, operations: [GrantOperation.DECRYPT] });
  const template = Template.fromStack(stack);

  test('share one handler function', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'))
      .filter((fn: any) => fn.Properties.Handler === 'key-grant.onEvent');
    expect(functions).toHaveLength(1);
  });

  test('each key gets one CreateGrant statement per grant and one revocation statement', () => {
    const policies = Object.values(template.findResources('AWS::KMS::Key')).map((k: any) => k.Properties.KeyPolicy.Statement);
    const grantSids = (statements: any[]) => statements.filter((s) => /^KeyGrant/.test(s.Sid)).map((s) => s.Action);
    expect(grantSids(policies[0]).sort()).toEqual(['kms:CreateGrant', 'kms:CreateGrant', 'kms:RevokeGrant']);
    expect(grantSids(policies[1]).sort()).toEqual(['kms:CreateGrant', 'kms:RevokeGrant']);
  });

  test('a grant without constraint or retiring principal pins only grantee and operations', () => {
    const statement = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement
      .find((s: any) => s.Action === 'kms:CreateGrant');
    expect(statement.Condition).toEqual({
      'StringEquals': { 'kms:GranteePrincipal': { 'Fn::GetAtt': [expect.stringMatching(/^Worker/), 'Arn'] } },
      'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] },
    });
  });
});

describe('grants on keys of other libraries', () => {
  test('an aws-cdk-lib kms.Key: the statement goes into its key policy', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const key = new kms.Key(stack, 'Key');
    new KeyGrant(stack, 'Grant', { key, grantee: new iam.ArnPrincipal('arn:aws:iam::222222222222:role/Partner'), operations: [GrantOperation.DECRYPT] });
    const statements = keyPolicyOf(Template.fromStack(stack)).Statement;
    expect(statements.find((s: any) => s.Action === 'kms:CreateGrant').Condition.StringEquals)
      .toEqual({ 'kms:GranteePrincipal': 'arn:aws:iam::222222222222:role/Partner' });
  });

  test('an imported key: the handler role gets the same pinned CreateGrant, and RevokeGrant, in its identity policy on that key', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const keyArn = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const key = kms.Key.fromKeyArn(stack, 'Key', keyArn);
    new KeyGrant(stack, 'Grant', { key, grantee: new iam.ArnPrincipal('arn:aws:iam::111111111111:role/App'), operations: [GrantOperation.SIGN] });
    const template = Template.fromStack(stack);
    const handlerPolicy = Object.values(template.findResources('AWS::IAM::Policy'))
      .find((p: any) => JSON.stringify(p.Properties.PolicyDocument).includes('kms:'));
    expect(handlerPolicy?.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      {
        Sid: expect.stringMatching(/^KeyGrant/),
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: keyArn,
        Condition: {
          'StringEquals': { 'kms:GranteePrincipal': 'arn:aws:iam::111111111111:role/App' },
          'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Sign'] },
        },
      },
      { Effect: 'Allow', Action: 'kms:RevokeGrant', Resource: keyArn },
    ]));
  });
});

describe('bad input fails at synth, naming the prop, the value and what is allowed', () => {
  function grantOn(keyProps: ConstructorParameters<typeof CustomerManagedKey>[2], options: Record<string, unknown>): () => void {
    return () => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const key = new CustomerManagedKey(stack, 'Key', keyProps);
      const grantee = new iam.Role(stack, 'Worker', { assumedBy: new iam.AccountRootPrincipal() });
      key.grantWithConstraints('Grant', { grantee, operations: [GrantOperation.DECRYPT], ...options } as any);
      Template.fromStack(stack);
    };
  }
  const SIGNING = { keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY };
  const HMAC = { keySpec: kms.KeySpec.HMAC_256 };

  test.each([
    ['an administrative action', {}, { operations: ['PutKeyPolicy'] }, /Stack\/Key\/Grant: 'operations' contains "PutKeyPolicy", an administrative action\. A grant never carries administrative actions .*Allowed: CreateGrant, Decrypt/],
    ['an administrative action with the kms: prefix', {}, { operations: ['kms:ScheduleKeyDeletion'] }, /"kms:ScheduleKeyDeletion", an administrative action/],
    ['no operation', {}, { operations: [] }, /'operations' is empty\. Allowed: one or more of CreateGrant, Decrypt, DescribeKey, Encrypt/],
    ['a signing operation on a symmetric key', {}, { operations: ['Sign'] }, /'operations' contains "Sign", which is not an operation of a SYMMETRIC_ENCRYPTION key\. Allowed: CreateGrant, Decrypt/],
    ['an encryption operation on an HMAC key', HMAC, { operations: ['Decrypt'] }, /"Decrypt", which is not an operation of a HMAC key\. Allowed: CreateGrant, DescribeKey, GenerateMac, RetireGrant, VerifyMac/],
    ['something that is not a grant operation', {}, { operations: ['Decrypt', 'Dance'] }, /"Dance", which is not a KMS grant operation/],
    ['a constraint on a signing key', SIGNING, { operations: ['Sign'], encryptionContextEquals: { a: 'b' } }, /'encryptionContextEquals' is set on a ASYMMETRIC_SIGN key\. Allowed: leave it unset; KMS accepts encryption context constraints only on symmetric encryption keys/],
    ['a constraint on an HMAC key', HMAC, { operations: ['GenerateMac'], encryptionContextSubset: { a: 'b' } }, /'encryptionContextSubset' is set on a HMAC key/],
    ['both constraints', {}, { encryptionContextEquals: { a: 'b' }, encryptionContextSubset: { a: 'b' } }, /both set\. Allowed: one of them/],
    ['an empty constraint', {}, { encryptionContextSubset: {} }, /'encryptionContextSubset' has 0 pairs\. Allowed: 1 to 8 pairs/],
    ['nine pairs', {}, { encryptionContextSubset: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v'])) }, /has 9 pairs\. Allowed: 1 to 8/],
    ['keys that differ only by case', {}, { encryptionContextEquals: { Tenant: 'a', tenant: 'b' } }, /keys "Tenant" and "tenant", which KMS treats as the same key/],
    ['a value longer than 384 characters', {}, { encryptionContextEquals: { a: 'x'.repeat(385) } }, /value of "a" has 385 characters\. Allowed: 1 to 384/],
    ['a bad grant name', {}, { grantName: 'my grant' }, /'grantName' value "my grant" is not a KMS grant name/],
  ])('%s', (_name, keyProps, options, message) => {
    expect(grantOn(keyProps, options)).toThrow(message);
  });

  test('a service principal as grantee', () => {
    expect(grantOn({}, { grantee: new iam.ServicePrincipal('logs.amazonaws.com') }))
      .toThrow(/'grantee' is \{"Service":\["logs.amazonaws.com"\]\}\. Allowed: exactly one AWS principal .* use allowServicePrincipal\(\) or allowServiceLinkedRole\(\)/);
  });

  test('a principal made of several as retiring principal', () => {
    const composite = new iam.CompositePrincipal(new iam.ArnPrincipal('arn:aws:iam::111111111111:role/A'), new iam.ArnPrincipal('arn:aws:iam::111111111111:role/B'));
    expect(grantOn({}, { retiringPrincipal: composite })).toThrow(/'retiringPrincipal' is .*Allowed: exactly one AWS principal/);
  });

  test('a grant to a principal that administers the key', () => {
    expect(() => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const key = new CustomerManagedKey(stack, 'Key');
      key.grantWithConstraints('Grant', { grantee: key.adminRole!, operations: [GrantOperation.DECRYPT] });
      Template.fromStack(stack);
    }).toThrow(/principal Stack\/Key\/AdminRole is both administrator and user of this key: it administers through Sid KeyAdministration and uses it through Sid Stack\/Key\/Grant\. Separation of duties requires/);
  });

  test('a grant in another stack than its key', () => {
    const app = new App();
    const key = new CustomerManagedKey(new Stack(app, 'KeyStack', { env: ENV }), 'Key');
    const other = new Stack(app, 'Other', { env: ENV });
    expect(() => new KeyGrant(other, 'Grant', { key, grantee: new iam.AccountRootPrincipal(), operations: [GrantOperation.DECRYPT] }))
      .toThrow(/Other\/Grant: 'key' KeyStack\/Key is in stack KeyStack, not in this grant's stack Other\. Allowed: a key of the same stack/);
  });

  test('a constraint with an operation that takes no encryption context, on a key of another library', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => new KeyGrant(stack, 'Grant', {
      key, grantee: new iam.AccountRootPrincipal(), operations: [GrantOperation.SIGN], encryptionContextSubset: { a: 'b' },
    })).toThrow(/'encryptionContextSubset' is set with operations that take no encryption context \(Sign\)/);
  });
});
