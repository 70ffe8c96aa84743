export * from './key';
export * from './monitoring';
