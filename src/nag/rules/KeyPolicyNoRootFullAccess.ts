import { administerAndUseFindings } from '../private/abilities';
import { keyPolicyContext } from '../private/key-policy-context';
import { Compliance, RuleResult, findingsOrCompliant } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';

/**
 * No account root, of the key's account or another, may both administer and use the key unless a
 * condition narrows which of the account's principals (aws:PrincipalArn, aws:PrincipalTag/...,
 * aws:userid, aws:username). That is the console's "Enable IAM User Permissions" statement however
 * it is written (`kms:*`, `*`, NotAction...): it hands administration and use to every IAM policy
 * of that account. Findings name the root: `[arn:aws:iam::111111111111:root]`.
 */
export function keyPolicyNoRootFullAccess(target: RuleTarget): RuleResult {
  const context = keyPolicyContext(target);
  if (!context) { return Compliance.NOT_APPLICABLE; }
  return findingsOrCompliant(administerAndUseFindings(context, context.accountRoots));
}
