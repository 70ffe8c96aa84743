import { ROLE_MODEL_MATRIX } from './key';
import { AccessMatrix } from '../access-checker/access-case';

/**
 * integ.deletion-monitor: the watched key, with roles `user` and `admin`. Watching a key must
 * not change who may use or administer it.
 */
export const DELETION_MONITOR_MATRIX: AccessMatrix = ROLE_MODEL_MATRIX;
