import { PENDING_WINDOW_DAYS } from '../../shared/kms-limits';
import { KMS_KEY, KMS_REPLICA_KEY } from '../private/key-resources';
import { Compliance, RuleResult, cannotEvaluate, describeValue } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';
import { UNREADABLE, numberValue } from '../private/template';

/**
 * A key (or replica) waits at least `minimumDays` days between scheduled deletion and deletion.
 * CloudFormation's default, when PendingWindowInDays is absent, is 30 days.
 * Custom-resource keys are checked when they declare the property.
 */
export function keyPendingWindowAtLeastMinimum(minimumDays: number): (target: RuleTarget) => RuleResult {
  return ({ resource }) => {
    const native = resource.type === KMS_KEY || resource.type === KMS_REPLICA_KEY;
    const declared = resource.properties.PendingWindowInDays;
    if (!native && declared === undefined) { return Compliance.NOT_APPLICABLE; }
    const window = numberValue(declared) ?? PENDING_WINDOW_DAYS.default;
    if (window === UNREADABLE) { return [cannotEvaluate(`PendingWindowInDays is ${describeValue(declared)}, only known at deploy time.`)]; }
    return window >= minimumDays ? Compliance.COMPLIANT : Compliance.NON_COMPLIANT;
  };
}
