/**
 * Bounds KMS enforces (AWS::KMS::Key reference). No imports: the `check` CLI reads them without
 * loading aws-cdk-lib.
 */
export const ROTATION_PERIOD_DAYS = { min: 90, max: 2560, default: 365 } as const;
export const PENDING_WINDOW_DAYS = { min: 7, max: 30, default: 30 } as const;
