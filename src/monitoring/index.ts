export * from './filter-patterns';
export * from './key-deletion-monitor';
