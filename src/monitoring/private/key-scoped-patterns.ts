/**
 * Filter patterns for one key. The account-wide patterns in `KeyDeletionFilterPatterns` never
 * change; these are extra filters beside them.
 *
 * Use of a key pending deletion is matched on the error message, which KMS writes as
 * "<key ARN> is pending deletion." (KMS Developer Guide). DisableKey and ScheduleKeyDeletion are
 * matched on the key ARN CloudTrail records in `resources` (KMS CloudTrail examples).
 */
export function pendingDeletionUseOfKey(keyArn: string): string {
  return `{ $.eventSource = kms* && $.errorMessage = "${keyArn} is pending deletion."}`;
}

export function disableOrScheduleDeletionOfKey(keyArn: string): string {
  return `{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) && ($.resources[0].ARN="${keyArn}")}`;
}
