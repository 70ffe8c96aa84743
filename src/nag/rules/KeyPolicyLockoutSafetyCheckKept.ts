import { isCustomerManagedKey } from '../private/key-resources';
import { Compliance, RuleResult, cannotEvaluate, describeValue } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';
import { UNREADABLE, booleanValue } from '../private/template';

/** No key skips KMS's check that the deploying principal can still change the key policy. */
export function keyPolicyLockoutSafetyCheckKept({ resource }: RuleTarget): RuleResult {
  if (!isCustomerManagedKey(resource)) { return Compliance.NOT_APPLICABLE; }
  const declared = resource.properties.BypassPolicyLockoutSafetyCheck;
  const bypass = booleanValue(declared);
  if (bypass === UNREADABLE) { return [cannotEvaluate(`BypassPolicyLockoutSafetyCheck is ${describeValue(declared)}, only known at deploy time.`)]; }
  return bypass === true ? Compliance.NON_COMPLIANT : Compliance.COMPLIANT;
}
