import { createHash } from 'crypto';
import * as actions from '../../shared/actions';

/**
 * Expands `kms:Prefix*` wildcards over `universe` (the actions that apply to the key).
 * A wildcard that matches nothing there is kept, so nothing a caller asked for is dropped;
 * callers refuse those with {@link unmatchedWildcards}.
 */
export function expandActions(requested: readonly string[], universe: readonly string[]): string[] {
  const result = new Set<string>();
  for (const action of requested) {
    if (!action.includes('*')) { result.add(action); continue; }
    const matches = universe.filter((candidate) => wildcard(action).test(candidate));
    (matches.length > 0 ? matches : [action]).forEach((match) => result.add(match));
  }
  return [...result];
}

/** The wildcards of `requested` that match none of `universe`. */
export function unmatchedWildcards(requested: readonly string[], universe: readonly string[]): string[] {
  return requested.filter((action) => action.includes('*') && !universe.some((candidate) => wildcard(action).test(candidate)));
}

function wildcard(action: string): RegExp {
  return new RegExp(`^${action.split('*').map(escapeRegExp).join('.*')}$`, 'i');
}

/** Purpose names for the action sets aws-cdk-lib and this library commonly grant. */
const NAMED_SETS: Array<[string, readonly string[]]> = [
  ['GrantDecrypt', [...actions.DECRYPT_ACTIONS, ...actions.SHARED_READ_ACTIONS]],
  ['GrantEncrypt', [...actions.ENCRYPT_ACTIONS, ...actions.SHARED_READ_ACTIONS]],
  ['GrantEncryptDecrypt', [...actions.ENCRYPT_ACTIONS, ...actions.DECRYPT_ACTIONS, ...actions.SHARED_READ_ACTIONS]],
  ['GrantS3Write', ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext',
    'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']],
  ['GrantS3ReadWrite', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair',
    'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']],
];

/** The Sid for a grant of `actionList`: a purpose name where one fits, else a stable digest. */
export function grantSid(actionList: readonly string[]): string {
  const key = [...actionList].sort().join(',');
  const named = NAMED_SETS.find(([, set]) => [...set].sort().join(',') === key);
  if (named) { return named[0]; }
  return `Grant${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
