export * from '../shared/filter-patterns';
export * from './key-deletion-monitor';
