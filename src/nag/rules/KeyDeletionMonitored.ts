import { KeyDeletionFilterPatterns } from '../../shared/filter-patterns';
import { isCustomerManagedKey } from '../private/key-resources';
import { Compliance, RuleResult, cannotEvaluate } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';
import { UNREADABLE, literal } from '../private/template';

/**
 * Customer managed keys live in an app that alarms on use of a key pending deletion: the last
 * chance to cancel a deletion that would make data unreadable. The app is searched, in any stack,
 * for an AWS::Logs::MetricFilter with exactly the KMS Developer Guide's pattern, so any monitor
 * counts: this library's KeyDeletionMonitor or a hand-written one.
 */
export function keyDeletionMonitored({ resource, stack }: RuleTarget): RuleResult {
  if (!isCustomerManagedKey(resource)) { return Compliance.NOT_APPLICABLE; }
  const patterns = stack.app.resourcesOfType('AWS::Logs::MetricFilter').map((filter) => literal(filter.properties.FilterPattern));
  if (patterns.includes(KeyDeletionFilterPatterns.PENDING_DELETION_USE)) { return Compliance.COMPLIANT; }
  if (patterns.includes(UNREADABLE)) { return [cannotEvaluate('A metric filter\'s FilterPattern is only known at deploy time.')]; }
  return Compliance.NON_COMPLIANT;
}
