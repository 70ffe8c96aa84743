export * from './cloud-hsm-key-store';
export * from './cloud-hsm-key';
export * from './custom-key-store-key-options';
export * from './imported-key-material';
export * from './xks-key-store';
export * from './xks-key';
