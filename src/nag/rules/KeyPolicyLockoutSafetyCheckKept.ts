import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isCustomerManagedKey } from '../private/key-resources';
import { CANNOT_EVALUATE, UNREADABLE, booleanValue, resourceTemplate } from '../private/template';

/** No key skips KMS's check that the deploying principal can still change the key policy. */
export function keyPolicyLockoutSafetyCheckKept(node: CfnResource): NagRuleResult {
  const resource = resourceTemplate(node);
  if (!isCustomerManagedKey(resource)) { return NagRuleCompliance.NOT_APPLICABLE; }
  const bypass = booleanValue(resource.properties.BypassPolicyLockoutSafetyCheck);
  if (bypass === UNREADABLE) { return [CANNOT_EVALUATE]; }
  return bypass === true ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
