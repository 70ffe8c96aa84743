import { App, Duration, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CustomerManagedKey, CustomerManagedKeyProps, KeyOrigin } from '../../src';

function build(props: CustomerManagedKeyProps): () => void {
  return () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    new CustomerManagedKey(stack, 'Key', props);
    Template.fromStack(stack);
  };
}

describe('bad input is a synth-time error naming the prop, the value and what is allowed', () => {
  test.each([89, 2561, 365.5])('rotationPeriod %d days', (days) => {
    expect(build({ rotationPeriod: Duration.hours(days * 24) })).toThrow(
      new RegExp(`'rotationPeriod' value must be a whole number of days between 90 and 2560. Received: ${days} days`));
  });

  test.each([
    [{ keySpec: kms.KeySpec.HMAC_256, enableKeyRotation: true }, /'enableKeyRotation' value true is not possible .*HMAC_256/],
    [{ keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY, enableKeyRotation: true }, /'enableKeyRotation' value true .*RSA_2048/],
    [{ origin: KeyOrigin.EXTERNAL, enableKeyRotation: true }, /'enableKeyRotation' value true .*origin EXTERNAL/],
    [{ keySpec: kms.KeySpec.HMAC_256, rotationPeriod: Duration.days(180) }, /'rotationPeriod' value 180 days is not possible/],
    [{ enableKeyRotation: false, rotationPeriod: Duration.days(180) }, /'rotationPeriod' value 180 days needs 'enableKeyRotation' true/],
  ])('rotation requested on a key that cannot rotate: %o', (props, message) => {
    expect(build(props as CustomerManagedKeyProps)).toThrow(message);
  });

  test.each([6, 31])('pendingWindow %d days', (days) => {
    expect(build({ pendingWindow: Duration.days(days) })).toThrow(
      new RegExp(`'pendingWindow' value must be a whole number of days between 7 and 30. Received: ${days} days`));
  });

  test.each([
    ['alias/aws/s3', /starts with alias\/aws\//],
    ['aws/ebs', /starts with alias\/aws\//],
    ['', /must not be empty/],
    ['alias/', /must not be empty/],
    ['a'.repeat(251), /at most 256 characters .*Received: 257 characters/],
    ['orders key', /characters KMS does not allow/],
    ['orders.key', /characters KMS does not allow/],
  ])('alias %j', (alias, message) => {
    expect(build({ aliases: [alias] })).toThrow(message);
  });

  test('the longest allowed alias passes', () => {
    expect(build({ aliases: ['a'.repeat(250)] })).not.toThrow();
  });

  test('the same alias twice, with and without the prefix', () => {
    expect(build({ aliases: ['orders', 'alias/orders'] })).toThrow(/'aliases' contains "alias\/orders" twice/);
  });

  test.each([
    [kms.KeySpec.SYMMETRIC_DEFAULT, kms.KeyUsage.SIGN_VERIFY, /'keyUsage' value "SIGN_VERIFY" is not allowed with keySpec SYMMETRIC_DEFAULT. Allowed: ENCRYPT_DECRYPT/],
    [kms.KeySpec.HMAC_256, kms.KeyUsage.ENCRYPT_DECRYPT, /not allowed with keySpec HMAC_256. Allowed: GENERATE_VERIFY_MAC/],
    [kms.KeySpec.ECC_NIST_P256, kms.KeyUsage.ENCRYPT_DECRYPT, /not allowed with keySpec ECC_NIST_P256. Allowed: SIGN_VERIFY, KEY_AGREEMENT/],
    [kms.KeySpec.ECC_NIST_P384, undefined, /'keyUsage' is required with keySpec ECC_NIST_P384. Received: undefined. Allowed: SIGN_VERIFY, KEY_AGREEMENT/],
    ['NOT_A_SPEC' as kms.KeySpec, undefined, /'keySpec' value "NOT_A_SPEC" is not a KMS key spec/],
  ])('keySpec %s with keyUsage %s', (keySpec, keyUsage, message) => {
    expect(build({ keySpec, keyUsage })).toThrow(message);
  });

  test('the same principal as administrator and user', () => {
    const role = new iam.ArnPrincipal('arn:aws:iam::111111111111:role/everything');
    expect(build({ administrators: [role], users: [role] })).toThrow(
      /principal .*arn:aws:iam::111111111111:role\/everything.* is both administrator and user/);
  });

  test('a user later granted administration is caught too', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new CustomerManagedKey(stack, 'Key');
    key.grantAdminister(key.userRole!);
    expect(() => Template.fromStack(stack)).toThrow(/is both administrator and user/);
  });

  test('removalPolicy SNAPSHOT, which KMS keys do not support', () => {
    expect(build({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(
      /^Stack\/Key: 'removalPolicy' value SNAPSHOT is not possible for a KMS key. Allowed: RETAIN, RETAIN_ON_UPDATE_OR_DELETE, DESTROY/);
  });

  test('applyRemovalPolicy(SNAPSHOT) later is refused too', () => {
    const key = new CustomerManagedKey(new Stack(new App(), 'Stack'), 'Key');
    expect(() => key.applyRemovalPolicy(RemovalPolicy.SNAPSHOT)).toThrow(/'removalPolicy' value SNAPSHOT is not possible for a KMS key/);
  });

  test('no administrator path at all (lockout)', () => {
    expect(build({ accountAdministration: false })).toThrow(
      /'accountAdministration' is false and 'administrators' is empty.*lockout/);
  });

  test('a grant() wildcard that matches none of the key\'s actions is refused, not written to the policy', () => {
    const key = new CustomerManagedKey(new Stack(new App(), 'Stack'), 'Key', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC });
    const role = new iam.Role(key, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => key.grant(role, 'kms:GenerateDataKey*')).toThrow(
      /^Stack\/Key: grant\(\) action "kms:GenerateDataKey\*" matches none of the actions of a HMAC key\. Allowed: .*kms:GenerateMac/);
  });

  test('a grant() wildcard that matches some of the key\'s actions is expanded', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new CustomerManagedKey(stack, 'Key', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC });
    const role = new iam.Role(key, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    key.grant(role, 'kms:*Mac');
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    const actionsOf = (resource.Properties.KeyPolicy.Statement as any[]).flatMap((statement) => [statement.Action].flat());
    expect(actionsOf).toEqual(expect.arrayContaining(['kms:GenerateMac', 'kms:VerifyMac']));
    expect(actionsOf.filter((action: string) => action.includes('*'))).toEqual([]);
  });

  test('errors carry the construct path', () => {
    expect(build({ pendingWindow: Duration.days(1) })).toThrow(/^Stack\/Key: /);
  });
});
