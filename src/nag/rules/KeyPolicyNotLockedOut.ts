import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { keyPolicyContext, mayPerform } from '../private/key-policy-context';
import { AccessDecision } from '../private/policy';
import { CANNOT_EVALUATE } from '../private/template';

/**
 * Someone can still change the key policy: some principal the policies name, or an IAM principal
 * of the key's account through the account-root delegation, may call kms:PutKeyPolicy.
 */
export function keyPolicyNotLockedOut(node: CfnResource): NagRuleResult {
  const context = keyPolicyContext(node);
  if (!context) { return NagRuleCompliance.NOT_APPLICABLE; }
  const results = context.principals.map((principal) => context.evaluator.evaluate({ principal, action: 'kms:PutKeyPolicy' }));
  if (results.some(mayPerform)) { return NagRuleCompliance.COMPLIANT; }
  return results.some((result) => result.decision === AccessDecision.CANNOT_EVALUATE) ? [CANNOT_EVALUATE] : NagRuleCompliance.NON_COMPLIANT;
}
