import { S3_BUCKET, SSE_KMS, encryptionRules } from '../private/bucket-encryption';
import { Compliance, RuleResult, cannotEvaluate } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';
import { UNREADABLE, booleanValue } from '../private/template';

/**
 * An SSE-KMS bucket uses an S3 Bucket Key, which cuts KMS requests (cost and throttling) by up
 * to 99 percent. DSSE-KMS does not support Bucket Keys and is not applicable.
 */
export function s3BucketKeyEnabled({ resource }: RuleTarget): RuleResult {
  if (resource.type !== S3_BUCKET) { return Compliance.NOT_APPLICABLE; }
  const rules = encryptionRules(resource);
  if (rules === UNREADABLE || rules.some((rule) => rule.algorithm === UNREADABLE)) {
    return [cannotEvaluate('The bucket\'s default encryption is only known at deploy time.')];
  }
  const sseKms = rules.filter((rule) => rule.algorithm === SSE_KMS);
  if (sseKms.length === 0) { return Compliance.NOT_APPLICABLE; }
  const enabled = sseKms.map((rule) => booleanValue(rule.bucketKeyEnabled));
  if (enabled.includes(UNREADABLE)) { return [cannotEvaluate('BucketKeyEnabled is only known at deploy time.')]; }
  return enabled.every((value) => value === true) ? Compliance.COMPLIANT : Compliance.NON_COMPLIANT;
}
