import { AccessDecision, DecidingStatement, KeyPolicyEvaluator } from './evaluator';
import { globMatch } from './private/principal-conditions';
import { ADMINISTRATIVE_ACTIONS, CRYPTOGRAPHIC_ACTIONS } from '../shared/action-classes';

/**
 * Whether one principal may both administer and use a key: the one judgement behind the key
 * constructs' separation-of-duties check and the access report's "may do both".
 *
 * Administer: an administrative action (PutKeyPolicy, ScheduleKeyDeletion, DisableKey...). Use: a
 * cryptographic action, or kms:CreateGrant without `kms:GrantIsForAWSResource`. Read-only actions
 * (Describe*, Get*, List*) are neither. A condition narrows when, not who, so conditional access
 * counts, except where the condition says who or what for (see `discounted`).
 */

const USE_ACTIONS = [...CRYPTOGRAPHIC_ACTIONS, 'kms:CreateGrant'];
const PRINCIPAL_ARN_CLAUSE = /^(?:Arn|String)(?:Equals|Like) aws:PrincipalArn (.*)$/i;

/** A principal to ask about, and whether its identity policies are outside the evaluated template. */
export interface AskedPrincipal {
  readonly principal: string;
  readonly elsewhere: boolean;
}

/** Whether a principal may act on one side, and the statements that let it (none: its identity policy). */
export interface DutyAbility {
  readonly can: boolean;
  readonly sids: string[];
}

/** Both sides for one principal; `use` is only asked when the principal may administer. */
export interface Duties {
  readonly administer: DutyAbility;
  readonly use: DutyAbility;
  readonly both: boolean;
}

const CANNOT: DutyAbility = { can: false, sids: [] };

/** What `asked` may do on each side of `evaluator`'s key. */
export function dutiesOf(evaluator: KeyPolicyEvaluator, asked: AskedPrincipal): Duties {
  const administer = ability(evaluator, asked, ADMINISTRATIVE_ACTIONS, 'administer');
  // A principal that cannot administer is separated whatever it may use: skip the second question.
  if (!administer.can) { return { administer, use: CANNOT, both: false }; }
  const use = ability(evaluator, asked, USE_ACTIONS, 'use');
  return { administer, use, both: use.can };
}

function ability(evaluator: KeyPolicyEvaluator, asked: AskedPrincipal, actions: string[], side: 'administer' | 'use'): DutyAbility {
  for (const action of actions) {
    const result = evaluator.evaluate({ principal: asked.principal, action, identityPoliciesElsewhere: asked.elsewhere });
    if (result.decision === AccessDecision.EXPLICIT_DENY || result.decision === AccessDecision.IMPLICIT_DENY) { continue; }
    if (result.decision === AccessDecision.CANNOT_EVALUATE) { return { can: true, sids: sidsOf(result.statements) }; }
    const counted = result.statements.filter((statement) => statement.effect === 'Allow' && !discounted(statement, asked, action, side));
    const identityOnly = result.statements.length === 0;
    if (counted.length > 0 || identityOnly) { return { can: true, sids: sidsOf(counted) }; }
  }
  return CANNOT;
}

/**
 * A conditional statement that does not count for `asked`:
 * - administer: narrowed by `aws:PrincipalArn` to ARNs that are asked about themselves, unless
 *   `asked` is a consumer pattern (`role/app/orders/*`) that could match one of them;
 * - use: kms:CreateGrant only for AWS resources; and, for one named principal, a statement
 *   narrowed by `aws:PrincipalTag` (a consumer tag: who may tag roles protects it).
 */
function discounted(statement: DecidingStatement, asked: AskedPrincipal, action: string, side: 'administer' | 'use'): boolean {
  if (!statement.conditional) { return false; }
  const open = statement.conditions ?? [];
  if (side === 'administer') {
    const named = open.flatMap(principalArnValues);
    return named.length > 0 && !named.some((arn) => patternCouldMatch(asked.principal, arn));
  }
  if (action === 'kms:CreateGrant' && open.some((clause) => /^Bool kms:GrantIsForAWSResource true$/i.test(clause))) { return true; }
  return !asked.principal.includes('*') && open.some((clause) => / aws:PrincipalTag\//i.test(clause));
}

/** The values of an open positive `aws:PrincipalArn` clause, as the evaluator describes it. */
function principalArnValues(clause: string): string[] {
  const values = PRINCIPAL_ARN_CLAUSE.exec(clause)?.[1];
  if (values === undefined) { return []; }
  return values.startsWith('[') && values.endsWith(']') ? values.slice(1, -1).split(', ') : [values];
}

/**
 * Whether the principals a consumer pattern stands for could include `arn`. An account-wide row
 * (`arn:aws:iam::<account>:*`) stands for principals that its statements' conditions select,
 * and those named by ARN are asked about themselves: it matches none of them here.
 */
function patternCouldMatch(pattern: string, arn: string): boolean {
  if (!/[*?]/.test(pattern) || /^arn:[^:]+:iam::[^:]+:\*$/.test(pattern)) { return false; }
  // Two patterns: whether they share a principal is not worth guessing; say they could.
  return /[*?]/.test(arn) || globMatch(pattern, arn);
}

function sidsOf(statements: DecidingStatement[]): string[] {
  return [...new Set(statements.map((statement) => statement.sid ?? `statement ${statement.index}`))];
}
