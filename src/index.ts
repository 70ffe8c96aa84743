export * from './key';
export * from './access';
