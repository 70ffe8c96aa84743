import { keyPolicyContext, mayPerform } from '../private/key-policy-context';
import { AccessDecision } from '../private/policy';
import { Compliance, RuleResult, cannotEvaluate } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';

/**
 * Someone can still change the key policy: some principal the policies name, an IAM principal
 * of the key's account through the account-root delegation, or a principal an `aws:PrincipalArn`
 * condition admits (e.g. the deployment role, for an account statement narrowed to it), may call
 * kms:PutKeyPolicy.
 */
export function keyPolicyNotLockedOut(target: RuleTarget): RuleResult {
  const context = keyPolicyContext(target);
  if (!context) { return Compliance.NOT_APPLICABLE; }
  const results = [
    ...context.principals.map((principal) => context.evaluator.evaluate({ principal, action: 'kms:PutKeyPolicy' })),
    // Their identity policies are outside the template (a bootstrap role...): they may allow it.
    ...context.evaluator.conditionalPrincipals().map((principal) =>
      context.evaluator.evaluate({ principal, action: 'kms:PutKeyPolicy', identityPoliciesElsewhere: true })),
  ];
  if (results.some(mayPerform)) { return Compliance.COMPLIANT; }
  const unknown = results.find((result) => result.decision === AccessDecision.CANNOT_EVALUATE);
  return unknown ? [cannotEvaluate(`Whether anyone may call kms:PutKeyPolicy: ${unknown.reason}`)] : Compliance.NON_COMPLIANT;
}
