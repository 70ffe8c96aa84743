export * from './cloud-hsm-key-store';
export * from './cloud-hsm-key';
