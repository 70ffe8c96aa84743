import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { PENDING_WINDOW_DAYS } from '../../shared/validation';
import { KMS_KEY, KMS_REPLICA_KEY } from '../private/key-resources';
import { CANNOT_EVALUATE, UNREADABLE, numberValue, resourceTemplate } from '../private/template';

/**
 * A key (or replica) waits at least `minimumDays` days between scheduled deletion and deletion.
 * CloudFormation's default, when PendingWindowInDays is absent, is 30 days.
 * Custom-resource keys are checked when they declare the property.
 */
export function keyPendingWindowAtLeastMinimum(minimumDays: number): (node: CfnResource) => NagRuleResult {
  return (node) => {
    const resource = resourceTemplate(node);
    const native = resource.type === KMS_KEY || resource.type === KMS_REPLICA_KEY;
    const declared = resource.properties.PendingWindowInDays;
    if (!native && declared === undefined) { return NagRuleCompliance.NOT_APPLICABLE; }
    const window = numberValue(declared) ?? PENDING_WINDOW_DAYS.default;
    if (window === UNREADABLE) { return [CANNOT_EVALUATE]; }
    return window >= minimumDays ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  };
}
