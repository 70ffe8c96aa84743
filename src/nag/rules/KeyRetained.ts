import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { KMS_ALIAS, isCustomerManagedKey } from '../private/key-resources';
import { resourceTemplate } from '../private/template';

/**
 * Keys and aliases keep both CloudFormation policies on Retain, so neither removing the resource
 * from the stack nor a replacement schedules the key for deletion or drops the alias an
 * application resolves. DeletionPolicy RetainExceptOnCreate also passes: it deletes only a key
 * that was created by the very deployment that failed, which holds no data yet.
 * Findings name the policy that is missing: `[DeletionPolicy]`, `[UpdateReplacePolicy]`.
 */
export function keyRetained(node: CfnResource): NagRuleResult {
  const resource = resourceTemplate(node);
  if (!isCustomerManagedKey(resource) && resource.type !== KMS_ALIAS) { return NagRuleCompliance.NOT_APPLICABLE; }
  const findings: string[] = [];
  if (!['Retain', 'RetainExceptOnCreate'].includes(resource.deletionPolicy ?? 'Delete')) { findings.push('DeletionPolicy'); }
  if (resource.updateReplacePolicy !== 'Retain') { findings.push('UpdateReplacePolicy'); }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
