export * from './KeyRotationEnabled';
export * from './KeyRotationPeriodWithinMaximum';
export * from './KeyPendingWindowAtLeastMinimum';
export * from './KeyRetained';
export * from './KeyPolicyLockoutSafetyCheckKept';
export * from './S3BucketKeyEnabled';
export * from './S3BucketCustomerManagedKey';
export * from './KeyDeletionMonitored';
