import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { keyPolicyContext } from '../private/key-policy-context';
import { AccessDecision, KMS_ACTIONS } from '../private/policy';
import { CANNOT_EVALUATE } from '../private/template';

/**
 * The account root is not allowed every KMS action without conditions (the console's default
 * "Enable IAM User Permissions" statement). That delegates both administration and use to
 * whatever IAM policy in the account says, which breaks separation of duties.
 */
export function keyPolicyNoRootFullAccess(node: CfnResource): NagRuleResult {
  const context = keyPolicyContext(node);
  if (!context) { return NagRuleCompliance.NOT_APPLICABLE; }
  const decisions = KMS_ACTIONS.map((action) => context.evaluator.evaluate({ principal: context.accountRoot, action }).decision);
  if (decisions.every((decision) => decision === AccessDecision.ALLOWED)) { return NagRuleCompliance.NON_COMPLIANT; }
  const couldBeFull = decisions.every((decision) => decision === AccessDecision.ALLOWED || decision === AccessDecision.CANNOT_EVALUATE);
  return couldBeFull ? [CANNOT_EVALUATE] : NagRuleCompliance.COMPLIANT;
}
