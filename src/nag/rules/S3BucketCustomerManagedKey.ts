import { S3_BUCKET, SSE_KMS, SSE_KMS_DSSE, encryptionRules } from '../private/bucket-encryption';
import { Compliance, RuleResult, cannotEvaluate } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';
import { UNREADABLE } from '../private/template';

const AWS_MANAGED_S3_KEY = /(^|:)alias\/aws\/s3$/;
/** Intrinsics that name a key resource, in this template or exported by another stack. */
const KEY_REFERENCES = ['Ref', 'Fn::GetAtt', 'Fn::ImportValue'];

/**
 * An SSE-KMS or DSSE-KMS bucket names a customer managed key. Without KMSMasterKeyID, or with
 * `alias/aws/s3`, S3 uses the AWS managed key, whose key policy nobody can restrict or audit
 * and which cannot be shared across accounts.
 */
export function s3BucketCustomerManagedKey({ resource }: RuleTarget): RuleResult {
  if (resource.type !== S3_BUCKET) { return Compliance.NOT_APPLICABLE; }
  const rules = encryptionRules(resource);
  if (rules === UNREADABLE || rules.some((rule) => rule.algorithm === UNREADABLE)) {
    return [cannotEvaluate('The bucket\'s default encryption is only known at deploy time.')];
  }
  const kmsRules = rules.filter((rule) => rule.algorithm === SSE_KMS || rule.algorithm === SSE_KMS_DSSE);
  if (kmsRules.length === 0) { return Compliance.NOT_APPLICABLE; }
  const verdicts = kmsRules.map((rule) => namesCustomerManagedKey(rule.kmsMasterKeyId));
  if (verdicts.includes(false)) { return Compliance.NON_COMPLIANT; }
  return verdicts.includes(undefined) ? [cannotEvaluate('KMSMasterKeyID is only known at deploy time.')] : Compliance.COMPLIANT;
}

/** true: a customer managed key; false: the AWS managed key; undefined: cannot tell at synth. */
function namesCustomerManagedKey(keyId: unknown): boolean | undefined {
  if (keyId === undefined || keyId === null) { return false; }
  if (typeof keyId === 'string') { return !AWS_MANAGED_S3_KEY.test(keyId); }
  if (typeof keyId !== 'object' || Array.isArray(keyId)) { return undefined; }
  const [intrinsic, ...more] = Object.keys(keyId);
  if (more.length > 0) { return undefined; }
  if (KEY_REFERENCES.includes(intrinsic)) { return true; }
  // An ARN built with Fn::Join (pseudo parameters in the middle): the literal tail names the key.
  const parts = intrinsic === 'Fn::Join' ? (keyId as any)[intrinsic]?.[1] : undefined;
  const tail = Array.isArray(parts) ? parts[parts.length - 1] : undefined;
  return typeof tail === 'string' ? !AWS_MANAGED_S3_KEY.test(tail) : undefined;
}
