export * from './key';
export * from './monitoring';
export * from './bucket';
export * from './custom-key-store';
export * from './access';
export * from './nag';
