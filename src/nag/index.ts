export * from './kms-checks';
