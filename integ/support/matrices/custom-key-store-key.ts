import { ROLE_MODEL_MATRIX } from './key';
import { AccessMatrix } from '../access-checker/access-case';

/**
 * integ.cloudhsm-key and integ.xks-key: a key in a custom key store, with roles `user` and
 * `admin` as for any key. Every cryptographic case goes through the store to the HSM or proxy.
 */
export const CUSTOM_KEY_STORE_KEY_MATRIX: AccessMatrix = ROLE_MODEL_MATRIX;
