import { narrowsPrincipals } from './conditions';
import { KeyPolicyContext, conditionOf, findingId } from './key-policy-context';
import { AccessDecision, AccessResult, PolicySource } from './policy';
import { Finding, cannotEvaluate } from './rule-result';
import { ADMINISTRATIVE_ACTIONS, CRYPTOGRAPHIC_ACTIONS } from '../../shared/action-classes';

/** Whether a principal may perform at least one of some actions; `undefined` with the reason when it cannot be told. */
interface Ability { readonly can: boolean | undefined; readonly reason?: string }

/**
 * Findings for the principals (among `principals`) that may both administer and use the key:
 * the principal as the finding id, or `[CannotEvaluate]` with the reason.
 */
export function administerAndUseFindings(context: KeyPolicyContext, principals: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const principal of principals) {
    const administer = ability(context, principal, ADMINISTRATIVE_ACTIONS);
    // A principal that cannot administer is compliant whatever it may use: skip the second question.
    if (administer.can === false) { continue; }
    const use = ability(context, principal, CRYPTOGRAPHIC_ACTIONS);
    if (administer.can === true && use.can === true) {
      findings.push({ id: findingId(principal) });
    } else if (use.can !== false) {
      findings.push(cannotEvaluate(`Whether ${principal} can both administer and use the key: ${administer.reason ?? use.reason}`));
    }
  }
  return findings;
}

/**
 * Whether `principal` may perform one of `actions`. Conditional access counts: a condition narrows
 * when, not who. Except for an account root, which stands for every principal of its account: a
 * statement whose condition selects some of them (aws:PrincipalArn, aws:PrincipalTag...) is about
 * those principals, which are judged as themselves.
 */
function ability(context: KeyPolicyContext, principal: string, actions: string[]): Ability {
  let reason: string | undefined;
  const isRoot = context.accountRoots.includes(principal);
  for (const action of actions) {
    const result = context.evaluator.evaluate({ principal, action });
    if (result.decision === AccessDecision.CANNOT_EVALUATE) {
      reason ??= result.reason;
      continue;
    }
    if (result.decision !== AccessDecision.ALLOWED && result.decision !== AccessDecision.CONDITIONAL) { continue; }
    const narrowed = result.decision === AccessDecision.CONDITIONAL && isRoot ? narrowedToSome(context, principal, result) : false;
    // One allowed action answers the question; a later one cannot change it.
    if (narrowed === false) { return { can: true }; }
    if (narrowed === undefined) { reason ??= `a condition of ${result.reason.replace(/\.$/, '')} cannot be read at synth.`; }
  }
  return reason === undefined ? { can: false } : { can: undefined, reason };
}

/** Whether conditional access of an account root is narrowed to some of the account's principals. */
function narrowedToSome(context: KeyPolicyContext, principal: string, result: AccessResult): boolean | undefined {
  const verdicts = result.statements.filter((statement) => statement.source === PolicySource.KEY_POLICY && statement.conditional)
    .map((statement) => ({ effect: statement.effect, narrows: narrowsPrincipals(statement.effect, conditionOf(context, principal, statement)) }));
  if (verdicts.some(({ effect, narrows }) => effect === 'Deny' && narrows === true)) { return true; }
  const allows = verdicts.filter(({ effect }) => effect === 'Allow');
  if (allows.length > 0 && allows.every(({ narrows }) => narrows === true)) { return true; }
  return allows.some(({ narrows }) => narrows === undefined) ? undefined : false;
}
