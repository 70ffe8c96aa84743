import { App, Stack, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { AccessDecision, CustomerManagedKey, ImportedKeyMaterial, KeyAccessReport, KeyOrigin, XksKey, XksKeyStore } from '../../src';

/**
 * The report on keys whose material is not KMS's own: imported (origin EXTERNAL) and in an
 * external key store (a custom resource that carries its key policy as `KeyPolicy`).
 */
const ACCOUNT = '111111111111';
/** AccountAdministration admits only the deployment role (through the account, so it also needs its identity policy). */
const DEPLOYMENT_ROLE = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-1`;
const { ALLOWED, CANNOT_EVALUATE, CONDITIONAL, IMPLICIT_DENY } = AccessDecision;

function newStack(): Stack {
  return new Stack(new App({ context: { 'aws:cdk:enable-path-metadata': true } }), 'Keys', { env: { account: ACCOUNT, region: 'eu-west-1' } });
}

/** principal (logical id hash dropped) -> [administer, use, grant, delete] */
function rows(report: ReturnType<typeof KeyAccessReport.fromStage>) {
  return Object.fromEntries(report.keys[0].principals.map((entry) => [entry.principal.replace(/[0-9A-F]{8}\.Arn/, '.Arn'),
    [entry.administer.decision, entry.use.decision, entry.grant.decision, entry.delete.decision]]));
}

function row(report: ReturnType<typeof KeyAccessReport.fromStage>, prefix: string) {
  return report.keys[0].principals.find((candidate) => candidate.principal.startsWith(prefix))!;
}

describe('a key with imported material (origin EXTERNAL) and its ImportedKeyMaterial', () => {
  const stack = newStack();
  const key = new CustomerManagedKey(stack, 'Byok', { origin: KeyOrigin.EXTERNAL });
  new ImportedKeyMaterial(stack, 'Material', {
    key, keyMaterialSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'byok/key'), deleteMaterialOnRemoval: true,
  });
  const report = KeyAccessReport.fromStage(stack.node.root as App);

  test('the import handler role imports (administer) and may delete the material (delete), and never uses the key', () => {
    const handler = '${CdkKmsPatternsImportedKeyMaterialProviderHandlerRole.Arn}';
    expect(rows(report)).toEqual({
      [DEPLOYMENT_ROLE]: [CONDITIONAL, IMPLICIT_DENY, IMPLICIT_DENY, CONDITIONAL],
      '${ByokAdminRole.Arn}': [ALLOWED, IMPLICIT_DENY, IMPLICIT_DENY, ALLOWED],
      '${ByokUserRole.Arn}': [IMPLICIT_DENY, ALLOWED, CONDITIONAL, IMPLICIT_DENY],
      [handler]: [ALLOWED, IMPLICIT_DENY, IMPLICIT_DENY, ALLOWED],
    });
    const handlerRow = row(report, '${CdkKmsPatternsImportedKeyMaterialProvider');
    expect(handlerRow.administer.actions).toEqual(['kms:ImportKeyMaterial']);
    expect(handlerRow.administer.statements).toEqual([expect.stringMatching(/\(Sid ImportKeyMaterial\)$/)]);
    expect(handlerRow.delete.actions).toEqual(['kms:DeleteImportedKeyMaterial']);
  });

  test('deleting the imported material counts as deleting the key, not administering it', () => {
    const admin = row(report, '${ByokAdminRole');
    expect(admin.delete.actions).toEqual(['kms:DeleteImportedKeyMaterial', 'kms:ScheduleKeyDeletion']);
    expect(admin.administer.actions).toEqual(expect.arrayContaining(['kms:ImportKeyMaterial']));
    expect(admin.administer.actions).not.toContain('kms:DeleteImportedKeyMaterial');
    expect(report.keys[0].problems).toEqual([]);
  });
});

describe('a key in an external key store (XksKey)', () => {
  const stack = newStack();
  const store = XksKeyStore.fromCustomKeyStoreId(stack, 'Store', 'cks-1234567890abcdef0');
  new XksKey(stack, 'Payments', { keyStore: store, xksKeyId: 'payments-aes-256' });
  const report = KeyAccessReport.fromStage(stack.node.root as App);

  test('is read from the KeyPolicy property of its custom resource, with the same role model as any key', () => {
    expect(report.keys.map((key) => [key.path, key.type])).toEqual([['Keys/Payments/Resource/Default', 'Custom::KmsXksKey']]);
    expect(rows(report)).toEqual({
      [DEPLOYMENT_ROLE]: [CONDITIONAL, IMPLICIT_DENY, IMPLICIT_DENY, CONDITIONAL],
      '${PaymentsAdminRole.Arn}': [ALLOWED, IMPLICIT_DENY, IMPLICIT_DENY, ALLOWED],
      '${PaymentsUserRole.Arn}': [IMPLICIT_DENY, ALLOWED, CONDITIONAL, IMPLICIT_DENY],
      // Its identity policy may change and delete tagged keys of the account; the resource ARN
      // holds the partition, known only at deploy time, so the report says so instead of guessing.
      '${CdkKmsPatternsXksKeyProviderHandlerRole.Arn}': [CANNOT_EVALUATE, IMPLICIT_DENY, IMPLICIT_DENY, CANNOT_EVALUATE],
    });
    const handler = row(report, '${CdkKmsPatternsXksKeyProviderHandlerRole');
    expect(handler.delete.statements).toEqual(['identity policy 1 statement 4 (Sid ManageTaggedKeys)']);
    expect(report.keys[0].problems).toEqual([]);
  });
});
