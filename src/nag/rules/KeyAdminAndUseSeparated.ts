import { administerAndUseFindings } from '../private/abilities';
import { keyPolicyContext } from '../private/key-policy-context';
import { Compliance, RuleResult, findingsOrCompliant } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';

/**
 * No principal can both administer the key (change its policy, disable or delete it...) and use
 * it (encrypt, decrypt, sign...). Conditional access counts: a condition narrows when, not who.
 * An account root's access under a condition that selects principals (aws:PrincipalArn,
 * aws:PrincipalTag...) belongs to those principals, not to the root.
 * One finding per principal, named canonically (`${Role.Arn}`, an ARN, or `*`).
 */
export function keyAdminAndUseSeparated(target: RuleTarget): RuleResult {
  const context = keyPolicyContext(target);
  if (!context) { return Compliance.NOT_APPLICABLE; }
  return findingsOrCompliant(administerAndUseFindings(context, context.principals));
}
