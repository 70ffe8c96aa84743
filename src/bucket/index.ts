export * from './encrypted-bucket';
export * from './bucket-key-aspect';
