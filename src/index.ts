export * from './key';
export * from './monitoring';
export * from './nag';
