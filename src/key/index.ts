export * from './key-roles';
export * from './managed-key-base';
export * from './key-origin';
export * from './customer-managed-key';
export * from './replica-key';
export * from './key-grant';
export * from './service-principals';
export * from './dnssec-signing-key';
