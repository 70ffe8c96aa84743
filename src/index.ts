export * from './key';
export * from './nag';
