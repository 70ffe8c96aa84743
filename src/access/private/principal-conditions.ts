import { canonicalValue } from '../template-values';
import { RequestIdentity } from './principals';

/** What a condition (or a whole Condition block) says about one request. */
export enum ConditionState { FALSE = 0, UNKNOWN = 1, TRUE = 2 }

/** One `operator: { key: values }` entry of a Condition block, read once. */
export interface ConditionClause {
  /** As written, e.g. `ArnLike`, `StringNotEquals`, `ForAnyValue:StringLike`. */
  readonly operator: string;
  /** As written, e.g. `aws:PrincipalArn`. */
  readonly key: string;
  /** Canonical values; undefined where a value cannot be read at synth. */
  readonly values: Array<string | undefined>;
}

/** The operators whose meaning on a single-valued key the evaluator knows. */
const KNOWN_OPERATORS: Record<string, { readonly like: boolean; readonly negated: boolean; readonly arn: boolean }> = {
  stringequals: { like: false, negated: false, arn: false },
  stringlike: { like: true, negated: false, arn: false },
  stringnotequals: { like: false, negated: true, arn: false },
  stringnotlike: { like: true, negated: true, arn: false },
  // IAM treats ArnEquals like ArnLike: both take wildcards, per ARN component.
  arnequals: { like: true, negated: false, arn: true },
  arnlike: { like: true, negated: false, arn: true },
  arnnotequals: { like: true, negated: true, arn: true },
  arnnotlike: { like: true, negated: true, arn: true },
};

/** Reads a Condition block into clauses. Anything unreadable becomes a clause nobody can decide. */
export function readConditions(block: unknown): ConditionClause[] {
  if (typeof block !== 'object' || block === null || Array.isArray(block)) { return []; }
  const clauses: ConditionClause[] = [];
  for (const [operator, entries] of Object.entries(block as Record<string, unknown>)) {
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      clauses.push({ operator, key: '?', values: [undefined] });
      continue;
    }
    for (const [key, raw] of Object.entries(entries as Record<string, unknown>)) {
      clauses.push({ operator, key, values: (Array.isArray(raw) ? raw : [raw]).map(canonicalValue) });
    }
  }
  return clauses;
}

/**
 * Decides the clauses that test who the principal is (`aws:PrincipalArn`) when synth knows
 * enough; every other clause (tags, encryption context, source IP...) stays UNKNOWN, so the
 * statement is reported as CONDITIONAL with that clause, never guessed.
 *
 * `normalize` writes a value the way the request principal is written (the key's account for
 * `${AWS::AccountId}`).
 */
export function clauseState(clause: ConditionClause, who: RequestIdentity, normalize: (value: string) => string): ConditionState {
  const operator = KNOWN_OPERATORS[clause.operator.toLowerCase()];
  if (!operator || clause.key.toLowerCase() !== 'aws:principalarn') { return ConditionState.UNKNOWN; }
  if (who.kind === 'anonymous') { return ConditionState.UNKNOWN; }
  // Service principals send no aws:PrincipalArn: a positive operator fails, a negated one holds.
  if (who.kind === 'service') { return operator.negated ? ConditionState.TRUE : ConditionState.FALSE; }
  let state = ConditionState.FALSE;
  for (const value of clause.values) {
    const match = value === undefined ? ConditionState.UNKNOWN : arnMatches(normalize(value), who.id, operator.like, operator.arn);
    state = Math.max(state, match);
    if (state === ConditionState.TRUE) { break; }
  }
  if (!operator.negated) { return state; }
  return state === ConditionState.TRUE ? ConditionState.FALSE : state === ConditionState.FALSE ? ConditionState.TRUE : ConditionState.UNKNOWN;
}

/** All clauses hold: TRUE; one fails: FALSE; otherwise UNKNOWN. */
export function blockState(clauses: readonly ConditionClause[], who: RequestIdentity, normalize: (value: string) => string): ConditionState {
  let state = ConditionState.TRUE;
  for (const clause of clauses) {
    state = Math.min(state, clauseState(clause, who, normalize));
    if (state === ConditionState.FALSE) { break; }
  }
  return state;
}

/** `ArnLike aws:PrincipalArn arn:aws:iam::111111111111:role/app/*` */
export function describeClause(clause: ConditionClause): string {
  const values = clause.values.map((value) => value ?? '<unreadable>');
  return `${clause.operator} ${clause.key} ${values.length === 1 ? values[0] : `[${values.join(', ')}]`}`;
}

const TEMPLATE_ARN = /^\$\{[^}.]+\.Arn\}$/;
const ROOT_ARN = /^arn:[^:]+:iam::[^:]+:root$/;

/**
 * Whether the principal `id` matches `pattern`. Both are canonical; `${Logical.Arn}` names an IAM
 * resource of the template, whose ARN is unknown but differs from every other resource's and from
 * any account root. Anything else with an unresolved part is UNKNOWN.
 */
function arnMatches(pattern: string, id: string, like: boolean, arn: boolean): ConditionState {
  // A principal asked about by pattern (a consumer rule) stands for many principals: the clause
  // stays open, even the one that admits them, so a report shows it as their condition; unless
  // no principal of the pattern can match it (an administrator's ARN outside the path).
  if (/[*?]/.test(id)) { return patternsDisjoint(pattern, id, like) ? ConditionState.FALSE : ConditionState.UNKNOWN; }
  if (pattern === id) { return ConditionState.TRUE; }
  const patternIsToken = TEMPLATE_ARN.test(pattern);
  const idIsToken = TEMPLATE_ARN.test(id);
  if (patternIsToken && idIsToken) { return ConditionState.FALSE; }
  if ((patternIsToken && ROOT_ARN.test(id)) || (idIsToken && ROOT_ARN.test(pattern))) { return ConditionState.FALSE; }
  if (pattern.includes('${') || id.includes('${')) { return ConditionState.UNKNOWN; }
  if (arn) { return arnLike(pattern, id); }
  if (!like) { return pattern === id ? ConditionState.TRUE : ConditionState.FALSE; }
  return globMatch(pattern, id) ? ConditionState.TRUE : ConditionState.FALSE;
}

/**
 * Whether no ARN can match both the condition's `pattern` and the principal pattern `id`: a
 * literal value (StringEquals, or one without wildcards) outside `id`; or two patterns whose
 * text before their first wildcard already differs. A flat glob matches at least what a
 * per-part ArnLike match does, so this holds for both. Anything else may overlap.
 */
function patternsDisjoint(pattern: string, id: string, like: boolean): boolean {
  if (pattern.includes('${')) { return false; }
  if (!like || !/[*?]/.test(pattern)) { return !globMatch(id, pattern); }
  const fixed = (text: string) => text.slice(0, text.search(/[*?]/));
  const [first, second] = [fixed(pattern), fixed(id)];
  return !first.startsWith(second) && !second.startsWith(first);
}

/**
 * ArnLike and ArnEquals: the six colon-separated parts are matched one by one, the last keeping
 * its colons. A value of fewer parts (`*` included) is no ARN; how IAM reads it is not something
 * to guess, so it is UNKNOWN.
 */
function arnLike(pattern: string, value: string): ConditionState {
  const patternParts = splitArn(pattern);
  const valueParts = splitArn(value);
  if (patternParts.length !== 6 || valueParts.length !== 6) { return ConditionState.UNKNOWN; }
  return patternParts.every((part, index) => globMatch(part, valueParts[index])) ? ConditionState.TRUE : ConditionState.FALSE;
}

function splitArn(arn: string): string[] {
  const parts = arn.split(':');
  return parts.length <= 6 ? parts : [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** `*` matches any run of characters, `?` any one character; case-sensitive. */
export function globMatch(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) { return pattern === value; }
  return globMatcher(pattern).test(value);
}

/** Compiled globs by pattern: every key of an app asks about the same few ARN patterns. */
const globMatchers = new Map<string, RegExp>();

function globMatcher(pattern: string): RegExp {
  let matcher = globMatchers.get(pattern);
  if (!matcher) {
    const source = pattern.split('').map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    matcher = new RegExp(`^${source}$`, 's');
    globMatchers.set(pattern, matcher);
  }
  return matcher;
}
