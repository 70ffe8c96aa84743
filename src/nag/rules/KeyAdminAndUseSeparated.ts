import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { ADMINISTRATIVE_ACTIONS, CRYPTOGRAPHIC_ACTIONS } from '../private/action-classes';
import { KeyPolicyContext, findingId, keyPolicyContext, mayPerform } from '../private/key-policy-context';
import { AccessDecision } from '../private/policy';
import { CANNOT_EVALUATE } from '../private/template';

/**
 * No principal can both administer the key (change its policy, disable or delete it...) and use
 * it (encrypt, decrypt, sign...). Conditional access counts: a condition narrows when, not who.
 * One finding per principal, named canonically (`${Role.Arn}`, an ARN, or `*`).
 */
export function keyAdminAndUseSeparated(node: CfnResource): NagRuleResult {
  const context = keyPolicyContext(node);
  if (!context) { return NagRuleCompliance.NOT_APPLICABLE; }
  const findings = new Set<string>();
  for (const principal of context.principals) {
    const administer = can(context, principal, ADMINISTRATIVE_ACTIONS);
    const use = can(context, principal, CRYPTOGRAPHIC_ACTIONS);
    if (administer === true && use === true) {
      findings.add(findingId(principal));
    } else if (administer !== false && use !== false) {
      findings.add(CANNOT_EVALUATE);
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

/** true: may perform one of the actions; false: none; undefined: cannot tell. */
function can(context: KeyPolicyContext, principal: string, actions: string[]): boolean | undefined {
  const results = actions.map((action) => context.evaluator.evaluate({ principal, action }));
  if (results.some(mayPerform)) { return true; }
  return results.some((result) => result.decision === AccessDecision.CANNOT_EVALUATE) ? undefined : false;
}
