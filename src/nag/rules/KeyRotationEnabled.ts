import { isRotatableKey } from '../private/key-resources';
import { Compliance, RuleResult, cannotEvaluate, describeValue } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';
import { UNREADABLE, booleanValue } from '../private/template';

/**
 * A symmetric encryption key with KMS-generated material rotates automatically.
 * Other keys (HMAC, asymmetric, imported material, replicas, custom key stores) cannot.
 */
export function keyRotationEnabled({ resource }: RuleTarget): RuleResult {
  const rotatable = isRotatableKey(resource);
  if (rotatable === undefined) { return [cannotEvaluate('KeySpec, KeyUsage or Origin is only known at deploy time, so whether the key can rotate is unknown.')]; }
  if (!rotatable) { return Compliance.NOT_APPLICABLE; }
  const enabled = booleanValue(resource.properties.EnableKeyRotation);
  if (enabled === UNREADABLE) { return [cannotEvaluate(`EnableKeyRotation is ${describeValue(resource.properties.EnableKeyRotation)}, only known at deploy time.`)]; }
  return enabled === true ? Compliance.COMPLIANT : Compliance.NON_COMPLIANT;
}
