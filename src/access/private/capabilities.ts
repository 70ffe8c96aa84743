import * as actions from '../../shared/actions';

/** What a report row says a principal can do with a key, and the actions that count for it. */
export interface Capability {
  readonly name: 'administer' | 'use' | 'grant' | 'delete';
  readonly actions: readonly string[];
}

const DELETE_MATERIAL = 'kms:DeleteImportedKeyMaterial';

/** Actions that change the key or its policy. Reads (Describe, Get, List) do not count. */
const ADMINISTER_ACTIONS = [
  'kms:PutKeyPolicy', 'kms:DisableKey', 'kms:EnableKey', 'kms:UpdateKeyDescription', 'kms:TagResource', 'kms:UntagResource',
  'kms:CancelKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias',
  ...actions.ROTATION_ADMIN_ACTIONS.filter((action) => !/:(Get|List)/.test(action)),
  ...actions.MULTI_REGION_ADMIN_ACTIONS,
  // Deleting imported material makes the key unusable like deleting the key: it counts under delete.
  ...actions.IMPORTED_MATERIAL_ADMIN_ACTIONS.filter((action) => action !== 'kms:GetParametersForImport' && action !== DELETE_MATERIAL),
];

/** The cryptographic operations of every key type. */
const USE_ACTIONS = [...new Set([
  ...actions.SYMMETRIC_USAGE_ACTIONS, ...actions.HMAC_USAGE_ACTIONS, ...actions.SIGN_USAGE_ACTIONS,
  ...actions.ASYMMETRIC_ENCRYPT_USAGE_ACTIONS, ...actions.KEY_AGREEMENT_USAGE_ACTIONS,
].filter((action) => !actions.SHARED_READ_ACTIONS.includes(action)))].sort();

export const CAPABILITIES: readonly Capability[] = [
  { name: 'administer', actions: ADMINISTER_ACTIONS },
  { name: 'use', actions: USE_ACTIONS },
  { name: 'grant', actions: ['kms:CreateGrant'] },
  { name: 'delete', actions: [DELETE_MATERIAL, 'kms:ScheduleKeyDeletion'] },
];
