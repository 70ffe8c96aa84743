import { canonicalValue, isIntrinsic } from './policy';
import { isObject } from './rule-target';

/** A Condition block: operator -> condition key -> value(s). */
export type ConditionBlock = { [operator: string]: { [key: string]: unknown } };

/** Operators that pass a request lacking the key, so they narrow nothing on their own. */
const NOT_NARROWING = /Not|IfExists$|^Null$|^ForAllValues:/i;
/** Negated string and ARN operators (without IfExists), which a Deny uses to allow only the values they name. */
const NEGATED = /^(ForAnyValue:)?(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike|ArnNotEquals|ArnNotLike)$/i;

/**
 * Whether a Condition block requires one of `keys` (lower-case names) under a positive operator,
 * with values that all pass `accept`: true, false, or undefined when a value that could decide it
 * is only known at deploy time (an Fn::If, a parameter...).
 */
export function positiveCondition(block: unknown, keys: (key: string) => boolean, accept: (value: string) => boolean): boolean | undefined {
  return someEntry(block, (operator) => !NOT_NARROWING.test(operator), keys, accept);
}

/**
 * A matcher for condition key names as RULES.md writes them: case-insensitive, and a `<name>`
 * placeholder (`aws:PrincipalTag/<tag>`) stands for any non-empty tail. Takes lower-case keys.
 */
export function conditionKeyMatcher(names: readonly string[]): (key: string) => boolean {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = names.map((name) => name.toLowerCase().split(/<[^>]+>/).map(escape).join('.+'));
  const matcher = new RegExp(`^(${patterns.join('|')})$`);
  return (key) => matcher.test(key);
}

/**
 * Condition keys that select WHICH principals of an account a statement applies to. A statement to
 * an account root with one of them is about those principals, not about the account at large.
 */
export const PRINCIPAL_SELECTING_KEYS = ['aws:PrincipalArn', 'aws:PrincipalTag/<tag>', 'aws:userid', 'aws:username'];

/** Whether a lower-case condition key is one of {@link PRINCIPAL_SELECTING_KEYS}. */
export const isPrincipalSelectingKey = conditionKeyMatcher(PRINCIPAL_SELECTING_KEYS);

/**
 * Whether a statement's Condition block narrows its principals to some of an account's: an Allow
 * that requires a principal-selecting key with a positive operator, or a Deny that refuses every
 * principal but the ones a negated operator names. A value that matches everyone (`*`,
 * `arn:aws:iam::111111111111:*`) narrows nothing.
 */
export function narrowsPrincipals(effect: string, block: unknown): boolean | undefined {
  const operators = effect === 'Deny' ? (operator: string) => NEGATED.test(operator) : (operator: string) => !NOT_NARROWING.test(operator);
  return someEntry(block, operators, isPrincipalSelectingKey, (value) => !/^(\*|arn:[^:]*:iam::[^:]*:\**)$/.test(value));
}

function someEntry(block: unknown, operators: (operator: string) => boolean, keys: (key: string) => boolean,
  accept: (value: string) => boolean): boolean | undefined {
  if (block === undefined) { return false; }
  if (!isObject(block) || isIntrinsic(block)) { return undefined; }
  let unknown = false;
  for (const [operator, entries] of Object.entries(block)) {
    if (!isObject(entries) || isIntrinsic(entries)) {
      unknown ||= operators(operator);
      continue;
    }
    if (!operators(operator)) { continue; }
    for (const [key, value] of Object.entries(entries)) {
      if (!keys(key.toLowerCase())) { continue; }
      const values = (Array.isArray(value) ? value : [value]).map(canonicalValue);
      if (values.some((entry) => entry === undefined)) {
        unknown = true;
      } else if (values.length > 0 && (values as string[]).every(accept)) {
        return true;
      }
    }
  }
  return unknown ? undefined : false;
}
