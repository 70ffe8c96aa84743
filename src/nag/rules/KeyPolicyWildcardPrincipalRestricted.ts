import { conditionKeyMatcher, positiveCondition } from '../private/conditions';
import { conditionOf, keyPolicyContext, statementName } from '../private/key-policy-context';
import { AccessDecision, KMS_ACTIONS, canonicalValue, isIntrinsic } from '../private/policy';
import { Compliance, Finding, RuleResult, cannotEvaluate, findingsOrCompliant } from '../private/rule-result';
import { RuleTarget, isObject } from '../private/rule-target';

/** Condition keys that narrow WHO can act, so a `*` principal no longer means anyone (RULES.md lists them). */
export const WHO_NARROWING_KEYS = [
  'kms:CallerAccount', 'kms:ViaService',
  'aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:PrincipalAccount', 'aws:PrincipalArn',
  'aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID', 'aws:SourceOrgPaths',
];
const isWhoNarrowing = conditionKeyMatcher(WHO_NARROWING_KEYS);

/**
 * Anyone (`*`) is allowed nothing on the key unless a condition narrows who: kms:CallerAccount,
 * aws:PrincipalOrgID, aws:PrincipalAccount, kms:ViaService, aws:SourceAccount and the like, with
 * a positive operator and no bare `*` value. Findings name the statement (Sid or position).
 */
export function keyPolicyWildcardPrincipalRestricted(target: RuleTarget): RuleResult {
  const context = keyPolicyContext(target);
  if (!context) { return Compliance.NOT_APPLICABLE; }
  // Most policies name their principals: then no statement can apply to anyone, and 57 questions are saved.
  if (!context.statements.some(mayNameAnyone) && context.statements.length > 0) { return Compliance.COMPLIANT; }
  const findings: Finding[] = [];
  for (const action of KMS_ACTIONS) {
    const result = context.evaluator.evaluate({ principal: '*', action });
    if (result.decision === AccessDecision.CANNOT_EVALUATE) { findings.push(cannotEvaluate(`Whether anyone may call ${action}: ${result.reason}`)); }
    if (result.decision !== AccessDecision.ALLOWED && result.decision !== AccessDecision.CONDITIONAL) { continue; }
    for (const statement of result.statements.filter((deciding) => deciding.effect === 'Allow')) {
      const limited = positiveCondition(conditionOf(context, '*', statement), isWhoNarrowing, (value) => value !== '*');
      const name = statementName(context.statements[statement.index], statement.index);
      if (limited === false) { findings.push({ id: name }); }
      if (limited === undefined) { findings.push(cannotEvaluate(`A condition of statement ${name} cannot be read at synth.`)); }
    }
  }
  return findingsOrCompliant(findings);
}

/** Whether a statement could apply to any principal: `*`, NotPrincipal, or a principal not known at synth. */
function mayNameAnyone(statement: unknown): boolean {
  if (!isObject(statement) || isIntrinsic(statement) || 'NotPrincipal' in statement) { return true; }
  const principal = statement.Principal;
  if (!isObject(principal) || isIntrinsic(principal)) { return true; }
  return Object.values(principal).some((values) => (Array.isArray(values) ? values : [values]).some((value) => {
    const text = canonicalValue(value);
    return text === undefined || text === '*' || /^\$\{(?!AWS::)[^}.]+\}$/.test(text);
  }));
}
