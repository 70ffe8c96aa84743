import { positiveCondition } from '../private/conditions';
import { KeyPolicyContext, conditionOf, findingId, keyPolicyContext, mayPerform } from '../private/key-policy-context';
import { AccessDecision, AccessResult, PolicySource } from '../private/policy';
import { Compliance, Finding, RuleResult, cannotEvaluate, findingsOrCompliant } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';

/**
 * A principal that does not administer the key may create grants only for AWS resources
 * (`"Bool": { "kms:GrantIsForAWSResource": true }`). An unrestricted kms:CreateGrant lets a user
 * hand use of the key to anyone, outside the key policy. Administrators (principals that may call
 * kms:PutKeyPolicy) are left out: they can rewrite the policy anyway. One finding per principal.
 */
export function keyCreateGrantForAwsResourcesOnly(target: RuleTarget): RuleResult {
  const context = keyPolicyContext(target);
  if (!context) { return Compliance.NOT_APPLICABLE; }
  const findings: Finding[] = [];
  for (const principal of context.principals) {
    if (mayPerform(context.evaluator.evaluate({ principal, action: 'kms:PutKeyPolicy' }))) { continue; }
    const result = context.evaluator.evaluate({ principal, action: 'kms:CreateGrant' });
    const restricted = result.decision === AccessDecision.CONDITIONAL ? restrictedToAwsResources(context, principal, result) : false;
    if (result.decision === AccessDecision.CANNOT_EVALUATE || restricted === undefined) {
      findings.push(cannotEvaluate(`Whether ${principal} may create grants for anyone: ${result.reason}`));
    } else if (result.decision === AccessDecision.ALLOWED || (result.decision === AccessDecision.CONDITIONAL && !restricted)) {
      findings.push({ id: findingId(principal) });
    }
  }
  return findingsOrCompliant(findings);
}

/**
 * A conditional grant path is restricted when every allowing statement on one side of it (the key
 * policy, or the identity policy a delegation to the account leads to) requires the condition.
 */
function restrictedToAwsResources(context: KeyPolicyContext, principal: string, result: AccessResult): boolean | undefined {
  const allows = result.statements.filter((statement) => statement.effect === 'Allow');
  const sides = [PolicySource.KEY_POLICY, PolicySource.IDENTITY_POLICY].map((source) => {
    const side = allows.filter((statement) => (statement.source ?? PolicySource.KEY_POLICY) === source);
    const verdicts = side.map((statement) => positiveCondition(conditionOf(context, principal, statement),
      (key) => key === 'kms:grantisforawsresource', (value) => value.toLowerCase() === 'true'));
    if (side.length === 0 || verdicts.includes(false)) { return false; }
    return verdicts.includes(undefined) ? undefined : true;
  });
  if (sides.includes(true)) { return true; }
  return sides.includes(undefined) ? undefined : false;
}
