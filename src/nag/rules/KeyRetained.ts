import { KMS_ALIAS, isCustomerManagedKey } from '../private/key-resources';
import { Compliance, Finding, RuleResult, cannotEvaluate, describeValue, findingsOrCompliant } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';

/**
 * Keys and aliases keep both CloudFormation policies on Retain, so neither removing the resource
 * from the stack nor a replacement schedules the key for deletion or drops the alias an
 * application resolves. DeletionPolicy RetainExceptOnCreate also passes: it deletes only a key
 * that was created by the very deployment that failed, which holds no data yet.
 * Findings name the policy that is missing: `[DeletionPolicy]`, `[UpdateReplacePolicy]`.
 */
export function keyRetained({ resource }: RuleTarget): RuleResult {
  if (!isCustomerManagedKey(resource) && resource.type !== KMS_ALIAS) { return Compliance.NOT_APPLICABLE; }
  const findings: Finding[] = [];
  const check = (name: string, value: unknown, retained: string[]) => {
    // Without an explicit policy CloudFormation deletes.
    const policy = value ?? 'Delete';
    if (typeof policy !== 'string') {
      findings.push(cannotEvaluate(`${name} is ${describeValue(value)}, only known at deploy time.`));
    } else if (!retained.includes(policy)) {
      findings.push({ id: name });
    }
  };
  check('DeletionPolicy', resource.deletionPolicy, ['Retain', 'RetainExceptOnCreate']);
  check('UpdateReplacePolicy', resource.updateReplacePolicy, ['Retain']);
  return findingsOrCompliant(findings);
}
