import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { hasPositiveCondition } from '../private/conditions';
import { conditionOf, keyPolicyContext, statementName } from '../private/key-policy-context';
import { AccessDecision, KMS_ACTIONS } from '../private/policy';
import { CANNOT_EVALUATE } from '../private/template';

/** Condition keys that narrow WHO can act, so a `*` principal no longer means anyone. */
const LIMITING_KEYS = new Set([
  'kms:calleraccount', 'kms:viaservice',
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn',
  'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths',
]);

/**
 * Anyone (`*`) is allowed nothing on the key unless a condition narrows who: kms:CallerAccount,
 * aws:PrincipalOrgID, aws:PrincipalAccount, kms:ViaService, aws:SourceAccount and the like, with
 * a positive operator and no bare `*` value. Findings name the statement (Sid or position).
 */
export function keyPolicyWildcardPrincipalRestricted(node: CfnResource): NagRuleResult {
  const context = keyPolicyContext(node);
  if (!context) { return NagRuleCompliance.NOT_APPLICABLE; }
  const findings = new Set<string>();
  for (const action of KMS_ACTIONS) {
    const result = context.evaluator.evaluate({ principal: '*', action });
    if (result.decision === AccessDecision.CANNOT_EVALUATE) { findings.add(CANNOT_EVALUATE); }
    if (result.decision !== AccessDecision.ALLOWED && result.decision !== AccessDecision.CONDITIONAL) { continue; }
    result.statements
      .filter((statement) => statement.effect === 'Allow')
      .filter((statement) => !hasPositiveCondition(conditionOf(context, '*', statement), (key) => LIMITING_KEYS.has(key), (value) => value !== '*'))
      .forEach((statement) => findings.add(statementName(context, statement.index)));
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}
