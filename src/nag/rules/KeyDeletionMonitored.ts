import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { KeyDeletionFilterPatterns } from '../../shared/filter-patterns';
import { isCustomerManagedKey } from '../private/key-resources';
import { cached } from '../private/run-cache';
import { literal, resourceTemplate } from '../private/template';

/**
 * Customer managed keys live in an app that alarms on use of a key pending deletion: the last
 * chance to cancel a deletion that would make data unreadable. The app is searched, in any stack,
 * for an AWS::Logs::MetricFilter with exactly the KMS Developer Guide's pattern, so any monitor
 * counts: this library's KeyDeletionMonitor or a hand-written one.
 */
export function keyDeletionMonitored(node: CfnResource): NagRuleResult {
  if (!isCustomerManagedKey(resourceTemplate(node))) { return NagRuleCompliance.NOT_APPLICABLE; }
  return hasPendingDeletionFilter(node.node.root) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function hasPendingDeletionFilter(root: IConstruct): boolean {
  return cached('hasPendingDeletionFilter', root, () => root.node.findAll().some((construct) => CfnResource.isCfnResource(construct)
    && construct.cfnResourceType === 'AWS::Logs::MetricFilter'
    && literal(resourceTemplate(construct).properties.FilterPattern) === KeyDeletionFilterPatterns.PENDING_DELETION_USE));
}
