import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isRotatableKey } from '../private/key-resources';
import { CANNOT_EVALUATE, UNREADABLE, booleanValue, resourceTemplate } from '../private/template';

/**
 * A symmetric encryption key with KMS-generated material rotates automatically.
 * Other keys (HMAC, asymmetric, imported material, replicas, custom key stores) cannot.
 */
export function keyRotationEnabled(node: CfnResource): NagRuleResult {
  const resource = resourceTemplate(node);
  const rotatable = isRotatableKey(resource);
  if (rotatable === undefined) { return [CANNOT_EVALUATE]; }
  if (!rotatable) { return NagRuleCompliance.NOT_APPLICABLE; }
  const enabled = booleanValue(resource.properties.EnableKeyRotation);
  if (enabled === UNREADABLE) { return [CANNOT_EVALUATE]; }
  return enabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
