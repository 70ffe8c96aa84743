export * from './errors';
export * from './key';
