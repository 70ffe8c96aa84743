import { App, Duration, SecretValue, Stack, aws_kms as kms, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { newStack } from './template-support';
import { CustomerManagedKey, CustomerManagedKeyProps, ImportedKeyMaterial, ImportedKeyMaterialProps, KeyOrigin } from '../../src';

const DAY = 86_400_000;
const MATERIAL_TEXT = 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=';

function build(props: Partial<ImportedKeyMaterialProps>, keyProps: CustomerManagedKeyProps = {}, secret?: (stack: Stack) => unknown): () => void {
  return () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key', { origin: KeyOrigin.EXTERNAL, ...keyProps });
    new ImportedKeyMaterial(stack, 'Material', {
      key,
      keyMaterialSecret: (secret ? secret(stack) : secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'byok/key')) as secretsmanager.ISecret,
      ...props,
    });
    Template.fromStack(stack);
  };
}

describe('ImportedKeyMaterial bad input is a synth-time error naming the construct, the prop, the value and what is allowed', () => {
  test('a key with origin AWS_KMS', () => {
    expect(build({}, { origin: KeyOrigin.AWS_KMS })).toThrow(
      /^Stack\/Material: 'key' has origin "AWS_KMS": KMS imports material only into keys created without it. Received: key Stack\/Key. Allowed: a CustomerManagedKey with origin KeyOrigin.EXTERNAL/);
  });

  test.each([
    [kms.KeySpec.RSA_2048, kms.KeyUsage.ENCRYPT_DECRYPT],
    [kms.KeySpec.RSA_4096, kms.KeyUsage.SIGN_VERIFY],
    [kms.KeySpec.SM2, kms.KeyUsage.SIGN_VERIFY],
    [kms.KeySpec.ECC_NIST_EDWARDS25519, kms.KeyUsage.SIGN_VERIFY],
    [kms.KeySpec.ML_DSA_44, kms.KeyUsage.SIGN_VERIFY],
  ])('key spec %s (usage %s), whose material RSAES_OAEP_SHA_256 does not wrap', (keySpec, keyUsage) => {
    expect(build({}, { keySpec, keyUsage })).toThrow(new RegExp(
      `'key' has keySpec "${keySpec}", whose material this construct cannot import .*Allowed: SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1`));
  });

  test.each([
    [kms.KeySpec.SYMMETRIC_DEFAULT, undefined],
    [kms.KeySpec.HMAC_512, undefined],
    [kms.KeySpec.ECC_NIST_P521, kms.KeyUsage.SIGN_VERIFY],
    [kms.KeySpec.ECC_SECG_P256K1, undefined],
  ])('key spec %s is accepted', (keySpec, keyUsage) => {
    expect(build({}, { keySpec, keyUsage })).not.toThrow();
  });

  test.each([
    ['a plain string', () => MATERIAL_TEXT],
    ['SecretValue.unsafePlainText', () => SecretValue.unsafePlainText(MATERIAL_TEXT)],
    ['an object without secretArn', () => ({ material: MATERIAL_TEXT })],
    ['undefined', () => undefined],
  ])('keyMaterialSecret as %s, without repeating it', (_, value) => {
    const run = build({}, {}, value);
    expect(run).toThrow(/'keyMaterialSecret' must be a secretsmanager.ISecret that holds the key material. Received: .* \(not shown\)/);
    try { run(); } catch (error) { expect((error as Error).message).not.toContain(MATERIAL_TEXT); }
  });

  test('a secret created in the app with its value given: the material would be in the template', () => {
    const run = build({}, {}, (stack) => new secretsmanager.Secret(stack, 'Secret', { secretStringValue: SecretValue.unsafePlainText(MATERIAL_TEXT) }));
    expect(run).toThrow(/'keyMaterialSecret' is a secret created in this app with its value given .*Received: secret Stack\/Secret \(value not shown\)/);
    try { run(); } catch (error) { expect((error as Error).message).not.toContain(MATERIAL_TEXT); }
  });

  test('a secret whose value is a dynamic reference is fine: CloudFormation resolves it at deploy time', () => {
    expect(build({}, {}, (stack) => new secretsmanager.Secret(stack, 'Secret', { secretStringValue: SecretValue.ssmSecure('/byok/material') }))).not.toThrow();
  });

  test.each([
    ['in the past', () => new Date(Date.now() - DAY), /'validTo' value .* is in the past: the material would expire on import. Allowed: a date after now/],
    ['366 days ahead', () => new Date(Date.now() + 366 * DAY), /'validTo' value .* is more than 365 days ahead; KMS refuses it. Allowed: at most /],
    ['an invalid date', () => new Date('not a date'), /'validTo' is not a valid Date. Received: "Invalid Date"/],
  ])('validTo %s', (_, validTo, message) => {
    expect(build({ validTo: validTo() })).toThrow(message);
  });

  test('validTo 364 days ahead is accepted', () => {
    expect(build({ validTo: new Date(Date.now() + 364 * DAY) })).not.toThrow();
  });

  test.each([0, 365, 1.5])('expiryWarning of %d days', (days) => {
    expect(build({ validTo: new Date(Date.now() + 100 * DAY), expiryWarning: Duration.hours(days * 24) })).toThrow(
      new RegExp(`'expiryWarning' value must be a whole number of days between 1 and 364. Received: ${days} days`));
  });

  test('expiryWarning without validTo', () => {
    expect(build({ expiryWarning: Duration.days(7) })).toThrow(/'expiryWarning' is set but 'validTo' is not/);
  });

  test('a key in another stack', () => {
    const app = new App();
    const keyStack = new Stack(app, 'Keys');
    const key = new CustomerManagedKey(keyStack, 'Key', { origin: KeyOrigin.EXTERNAL });
    const other = new Stack(app, 'Other');
    expect(() => new ImportedKeyMaterial(other, 'Material', { key, keyMaterialSecret: secretsmanager.Secret.fromSecretNameV2(other, 'S', 'x') }))
      .toThrow(/^Other\/Material: 'key' is in stack Keys, this construct in stack Other. Allowed: create the ImportedKeyMaterial in the key's stack/);
  });

  test('two imports into one key', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key', { origin: KeyOrigin.EXTERNAL });
    const keyMaterialSecret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'x');
    new ImportedKeyMaterial(stack, 'First', { key, keyMaterialSecret });
    expect(() => new ImportedKeyMaterial(stack, 'Second', { key, keyMaterialSecret }))
      .toThrow(/^Stack\/Second: 'key' Stack\/Key already has its material imported by Stack\/First. Allowed: one ImportedKeyMaterial per key/);
  });
});
