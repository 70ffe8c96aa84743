import { CHECK_CONTEXT } from './key';
import { AccessMatrix } from '../access-checker/access-case';

/**
 * integ.multi-region: keys `primary` and `replica` (in their own Regions); principals `user` and
 * `admin`, the primary's roles, which the replica's key policy names too.
 */
export const MULTI_REGION_MATRIX: AccessMatrix = {
  encryptor: 'user',
  restorer: 'admin',
  cases: [
    {
      title: 'the user decrypts in the replica Region what it encrypted in the primary Region',
      as: 'user',
      action: 'kms:Decrypt',
      key: 'replica',
      encryptionContext: CHECK_CONTEXT,
      ciphertext: { by: 'kms:Encrypt', key: 'primary' },
      expected: 'allowed',
    },
    {
      title: 'the user decrypts in the primary Region what it encrypted in the replica Region',
      as: 'user',
      action: 'kms:Decrypt',
      key: 'primary',
      encryptionContext: CHECK_CONTEXT,
      ciphertext: { by: 'kms:Encrypt', key: 'replica' },
      expected: 'allowed',
    },
    { title: 'the replica\'s admin cannot Decrypt', as: 'admin', action: 'kms:Decrypt', key: 'replica', encryptionContext: CHECK_CONTEXT, expected: 'AccessDenied' },
    { title: 'the primary\'s admin cannot Decrypt', as: 'admin', action: 'kms:Decrypt', key: 'primary', encryptionContext: CHECK_CONTEXT, expected: 'AccessDenied' },
    { title: 'the user cannot ScheduleKeyDeletion of the replica', as: 'user', action: 'kms:ScheduleKeyDeletion', key: 'replica', expected: 'AccessDenied' },
  ],
};
