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
    // A principal that cannot administer is compliant whatever it may use: skip the second question.
    if (administer === false) { continue; }
    const use = can(context, principal, CRYPTOGRAPHIC_ACTIONS);
    if (administer === true && use === true) {
      findings.add(findingId(principal));
    } else if (use !== false) {
      findings.add(CANNOT_EVALUATE);
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

/** true: may perform one of the actions; false: none; undefined: cannot tell. */
function can(context: KeyPolicyContext, principal: string, actions: string[]): boolean | undefined {
  let unknown = false;
  for (const action of actions) {
    const result = context.evaluator.evaluate({ principal, action });
    // One allowed action answers the question; a later one cannot change it.
    if (mayPerform(result)) { return true; }
    unknown ||= result.decision === AccessDecision.CANNOT_EVALUATE;
  }
  return unknown ? undefined : false;
}
