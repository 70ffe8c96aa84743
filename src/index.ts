export * from './key';
export * from './custom-key-store';
