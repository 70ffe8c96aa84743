import * as actions from './actions';

const READ_ONLY = /^kms:(Describe|Get|List)/;
/** Grant management is judged by its own rule (KeyCreateGrantForAwsResourcesOnly). */
const GRANT_MANAGEMENT = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

/** Actions that change a key, its policy, its aliases or its life cycle: administration. */
export const ADMINISTRATIVE_ACTIONS: string[] = [...new Set([
  ...actions.BASE_ADMIN_ACTIONS,
  ...actions.ROTATION_ADMIN_ACTIONS,
  ...actions.MULTI_REGION_ADMIN_ACTIONS,
  ...actions.IMPORTED_MATERIAL_ADMIN_ACTIONS,
])].filter((action) => !READ_ONLY.test(action) && !GRANT_MANAGEMENT.includes(action));

/** Actions that use the key material, for every key type: use. */
export const CRYPTOGRAPHIC_ACTIONS: string[] = [...new Set([
  ...actions.SYMMETRIC_USAGE_ACTIONS,
  ...actions.HMAC_USAGE_ACTIONS,
  ...actions.SIGN_USAGE_ACTIONS,
  ...actions.ASYMMETRIC_ENCRYPT_USAGE_ACTIONS,
  ...actions.KEY_AGREEMENT_USAGE_ACTIONS,
])].filter((action) => !READ_ONLY.test(action));
