/**
 * The two CloudTrail filter patterns and the metric they feed, as AWS publishes them.
 *
 * These strings are compared byte for byte by Security Hub and by our tests: do not reformat
 * them. Security Hub control CloudWatch.7 (CIS 4.7) fails when the DisableKey /
 * ScheduleKeyDeletion filter carries any extra term, so per-key scoping uses separate filters.
 */
export class KeyDeletionFilterPatterns {
  /**
   * Use of a key pending deletion, exactly as the KMS Developer Guide gives it
   * ("Create an alarm that detects use of a KMS key pending deletion").
   */
  public static readonly PENDING_DELETION_USE = '{ $.eventSource = kms* && $.errorMessage = "* is pending deletion."}';

  /** DisableKey or ScheduleKeyDeletion, exactly as Security Hub CloudWatch.7 checks it. */
  public static readonly DISABLE_OR_SCHEDULE_DELETION = '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}';

  /** The CloudWatch namespace of both metrics (KMS Developer Guide). */
  public static readonly METRIC_NAMESPACE = 'CloudTrailLogMetrics';

  /** The metric counting use of keys pending deletion (KMS Developer Guide). */
  public static readonly PENDING_DELETION_USE_METRIC = 'KMSKeyPendingDeletionErrorCount';

  /** The metric counting DisableKey and ScheduleKeyDeletion calls. */
  public static readonly DISABLE_OR_SCHEDULE_DELETION_METRIC = 'KMSKeyDisabledOrScheduledForDeletionCount';

  /** The value each matching log event adds to the metric. */
  public static readonly METRIC_VALUE = '1';

  private constructor() {}
}
