import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { hasPositiveCondition } from '../private/conditions';
import { KeyPolicyContext, conditionOf, findingId, keyPolicyContext, mayPerform } from '../private/key-policy-context';
import { AccessDecision, AccessResult, PolicySource } from '../private/policy';
import { CANNOT_EVALUATE } from '../private/template';

/**
 * A principal that does not administer the key may create grants only for AWS resources
 * (`"Bool": { "kms:GrantIsForAWSResource": true }`). An unrestricted kms:CreateGrant lets a user
 * hand use of the key to anyone, outside the key policy. Administrators (principals that may call
 * kms:PutKeyPolicy) are left out: they can rewrite the policy anyway. One finding per principal.
 */
export function keyCreateGrantForAwsResourcesOnly(node: CfnResource): NagRuleResult {
  const context = keyPolicyContext(node);
  if (!context) { return NagRuleCompliance.NOT_APPLICABLE; }
  const findings = new Set<string>();
  for (const principal of context.principals) {
    if (mayPerform(context.evaluator.evaluate({ principal, action: 'kms:PutKeyPolicy' }))) { continue; }
    const result = context.evaluator.evaluate({ principal, action: 'kms:CreateGrant' });
    if (result.decision === AccessDecision.CANNOT_EVALUATE) {
      findings.add(CANNOT_EVALUATE);
    } else if (result.decision === AccessDecision.ALLOWED
      || (result.decision === AccessDecision.CONDITIONAL && !restrictedToAwsResources(context, principal, result))) {
      findings.add(findingId(principal));
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

/**
 * A conditional grant path is restricted when every allowing statement on one side of it (the key
 * policy, or the identity policy a delegation to the account leads to) requires the condition.
 */
function restrictedToAwsResources(context: KeyPolicyContext, principal: string, result: AccessResult): boolean {
  const allows = result.statements.filter((statement) => statement.effect === 'Allow');
  return [PolicySource.KEY_POLICY, PolicySource.IDENTITY_POLICY].some((source) => {
    const side = allows.filter((statement) => (statement.source ?? PolicySource.KEY_POLICY) === source);
    return side.length > 0 && side.every((statement) => hasPositiveCondition(conditionOf(context, principal, statement),
      (key) => key === 'kms:grantisforawsresource', (value) => value === true || String(value).toLowerCase() === 'true'));
  });
}
