export * from './cloud-hsm-key-store';
export * from './cloud-hsm-key';
export * from './imported-key-material';
