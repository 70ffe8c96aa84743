import { CHECK_CONTEXT, ROLE_MODEL_MATRIX } from './key';
import { AccessCase, AccessMatrix } from '../access-checker/access-case';

/** The pair the grant's encryption context constraint requires (CHECK_CONTEXT holds it, plus one more). */
export const GRANT_CONTEXT_SUBSET = { purpose: CHECK_CONTEXT.purpose };

/** A context without the constrained pair: the grant does not apply to requests made with it. */
const OUTSIDE_THE_GRANT = { purpose: 'other' };

/**
 * The grantee, a role no key policy statement names: what the grant lets it do, and what it
 * does not. iam-simulate does not see grants, so locally the `throughGrant` cases must be
 * refused by the policies alone (the grant is the only way in); on AWS they must succeed.
 */
const GRANTEE_CASES: AccessCase[] = [
  { title: 'the grantee encrypts through the grant alone', as: 'grantee', action: 'kms:Encrypt', encryptionContext: CHECK_CONTEXT, throughGrant: true, expected: 'allowed' },
  {
    title: 'the grantee generates a data key through the grant alone',
    as: 'grantee',
    action: 'kms:GenerateDataKey',
    encryptionContext: CHECK_CONTEXT,
    throughGrant: true,
    expected: 'allowed',
  },
  {
    title: 'the grantee decrypts through the grant alone',
    as: 'grantee',
    action: 'kms:Decrypt',
    encryptionContext: CHECK_CONTEXT,
    ciphertext: { by: 'kms:Encrypt' },
    throughGrant: true,
    expected: 'allowed',
  },
  {
    title: 'the grantee cannot Decrypt under a context outside the grant\'s constraint',
    as: 'grantee',
    action: 'kms:Decrypt',
    encryptionContext: OUTSIDE_THE_GRANT,
    ciphertext: { by: 'kms:Encrypt' },
    expected: 'AccessDenied',
  },
  { title: 'the grantee cannot DescribeKey, an operation the grant does not give', as: 'grantee', action: 'kms:DescribeKey', expected: 'AccessDenied' },
  { title: 'the grantee cannot ScheduleKeyDeletion', as: 'grantee', action: 'kms:ScheduleKeyDeletion', expected: 'AccessDenied' },
];

/** integ.key-grant: the key's roles `user` and `admin`, and `grantee`, given the grant. */
export const KEY_GRANT_MATRIX: AccessMatrix = {
  ...ROLE_MODEL_MATRIX,
  cases: [...ROLE_MODEL_MATRIX.cases, ...GRANTEE_CASES],
};
