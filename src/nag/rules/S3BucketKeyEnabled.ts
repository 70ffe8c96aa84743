import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { S3_BUCKET, SSE_KMS, encryptionRules } from '../private/bucket-encryption';
import { CANNOT_EVALUATE, UNREADABLE, booleanValue, resourceTemplate } from '../private/template';

/**
 * An SSE-KMS bucket uses an S3 Bucket Key, which cuts KMS requests (cost and throttling) by up
 * to 99 percent. DSSE-KMS does not support Bucket Keys and is not applicable.
 */
export function s3BucketKeyEnabled(node: CfnResource): NagRuleResult {
  const resource = resourceTemplate(node);
  if (resource.type !== S3_BUCKET) { return NagRuleCompliance.NOT_APPLICABLE; }
  const rules = encryptionRules(resource);
  if (rules === UNREADABLE || rules.some((rule) => rule.algorithm === UNREADABLE)) { return [CANNOT_EVALUATE]; }
  const sseKms = rules.filter((rule) => rule.algorithm === SSE_KMS);
  if (sseKms.length === 0) { return NagRuleCompliance.NOT_APPLICABLE; }
  const enabled = sseKms.map((rule) => booleanValue(rule.bucketKeyEnabled));
  if (enabled.includes(UNREADABLE)) { return [CANNOT_EVALUATE]; }
  return enabled.every((value) => value === true) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
