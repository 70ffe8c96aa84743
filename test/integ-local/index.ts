export * from './deploy';
export * from './emulator';
export * from './local-suite';
export * from './synth';
