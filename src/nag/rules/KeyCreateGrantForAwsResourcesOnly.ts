import { ConditionBlock, positiveCondition } from '../private/conditions';
import { KeyPolicyContext, conditionOf, findingId, keyPolicyContext, mayPerform } from '../private/key-policy-context';
import { AccessDecision, AccessResult, PolicySource, canonicalValue } from '../private/policy';
import { Compliance, Finding, RuleResult, cannotEvaluate, findingsOrCompliant } from '../private/rule-result';
import { RuleTarget, isObject } from '../private/rule-target';

/**
 * A principal that does not administer the key may create grants only for AWS resources
 * (`"Bool": { "kms:GrantIsForAWSResource": true }`), or only pinned grants: one named grantee
 * (`kms:GranteePrincipal`, no wildcard) and named operations without CreateGrant
 * (`ForAllValues:StringEquals` on `kms:GrantOperations`), as KeyGrant's handler role has. An
 * unrestricted kms:CreateGrant lets a user hand use of the key to anyone, outside the key policy.
 * Administrators (principals that may call kms:PutKeyPolicy) are left out: they can rewrite the
 * policy anyway. A grant that carries CreateGrant is such an unrestricted path too. One finding
 * per principal.
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
    const verdicts = side.map((statement) => restrictedCondition(conditionOf(context, principal, statement)));
    if (side.length === 0 || verdicts.includes(false)) { return false; }
    return verdicts.includes(undefined) ? undefined : true;
  });
  if (sides.includes(true)) { return true; }
  return sides.includes(undefined) ? undefined : false;
}

/** Whether a condition restricts CreateGrant to AWS resources or to a pinned grant (see above). */
function restrictedCondition(condition: ConditionBlock): boolean | undefined {
  const forAwsResources = positiveCondition(condition, (key) => key === 'kms:grantisforawsresource', (value) => value.toLowerCase() === 'true');
  if (forAwsResources === true) { return true; }
  const grantee = positiveCondition(condition, (key) => key === 'kms:granteeprincipal', (value) => value !== '' && !/[*?]/.test(value));
  const operations = pinnedOperations(condition);
  if (grantee === true && operations === true) { return true; }
  return [forAwsResources, grantee, operations].includes(undefined) ? undefined : false;
}

/** `ForAllValues:StringEquals` on kms:GrantOperations, with literal operations and no CreateGrant. */
function pinnedOperations(condition: ConditionBlock): boolean | undefined {
  const entries = Object.entries(condition).find(([operator]) => operator.toLowerCase() === 'forallvalues:stringequals')?.[1];
  const value = isObject(entries) ? Object.entries(entries).find(([key]) => key.toLowerCase() === 'kms:grantoperations')?.[1] : undefined;
  if (value === undefined) { return false; }
  const operations = (Array.isArray(value) ? value : [value]).map(canonicalValue);
  if (operations.some((operation) => operation === undefined)) { return undefined; }
  return operations.length > 0 && operations.every((operation) => operation !== 'CreateGrant' && !/[*?]/.test(operation!));
}
