import { ROTATION_PERIOD_DAYS } from '../../shared/kms-limits';
import { KMS_KEY } from '../private/key-resources';
import { Compliance, RuleResult, cannotEvaluate, describeValue } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';
import { UNREADABLE, booleanValue, numberValue } from '../private/template';

/**
 * A rotating key rotates at least every `maximumDays` days. CloudFormation's default period,
 * when RotationPeriodInDays is absent, is 365 days.
 */
export function keyRotationPeriodWithinMaximum(maximumDays: number): (target: RuleTarget) => RuleResult {
  return ({ resource }) => {
    if (resource.type !== KMS_KEY) { return Compliance.NOT_APPLICABLE; }
    const { EnableKeyRotation, RotationPeriodInDays } = resource.properties;
    const enabled = booleanValue(EnableKeyRotation);
    if (enabled === UNREADABLE) { return [cannotEvaluate(`EnableKeyRotation is ${describeValue(EnableKeyRotation)}, only known at deploy time.`)]; }
    if (enabled !== true) { return Compliance.NOT_APPLICABLE; }
    const period = numberValue(RotationPeriodInDays) ?? ROTATION_PERIOD_DAYS.default;
    if (period === UNREADABLE) { return [cannotEvaluate(`RotationPeriodInDays is ${describeValue(RotationPeriodInDays)}, only known at deploy time.`)]; }
    return period <= maximumDays ? Compliance.COMPLIANT : Compliance.NON_COMPLIANT;
  };
}
