import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { ROTATION_PERIOD_DAYS } from '../../shared/validation';
import { KMS_KEY } from '../private/key-resources';
import { CANNOT_EVALUATE, UNREADABLE, booleanValue, numberValue, resourceTemplate } from '../private/template';

/**
 * A rotating key rotates at least every `maximumDays` days. CloudFormation's default period,
 * when RotationPeriodInDays is absent, is 365 days.
 */
export function keyRotationPeriodWithinMaximum(maximumDays: number): (node: CfnResource) => NagRuleResult {
  return (node) => {
    const resource = resourceTemplate(node);
    if (resource.type !== KMS_KEY) { return NagRuleCompliance.NOT_APPLICABLE; }
    const enabled = booleanValue(resource.properties.EnableKeyRotation);
    if (enabled === UNREADABLE) { return [CANNOT_EVALUATE]; }
    if (enabled !== true) { return NagRuleCompliance.NOT_APPLICABLE; }
    const period = numberValue(resource.properties.RotationPeriodInDays) ?? ROTATION_PERIOD_DAYS.default;
    if (period === UNREADABLE) { return [CANNOT_EVALUATE]; }
    return period <= maximumDays ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  };
}
