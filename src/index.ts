export * from './key';
export * from './bucket';
