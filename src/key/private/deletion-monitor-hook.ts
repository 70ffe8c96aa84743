import type { Construct } from 'constructs';
import type { KeyDeletionMonitor, KeyDeletionMonitorProps } from '../../monitoring/key-deletion-monitor';
import type { ManagedKeyBase } from '../managed-key-base';

/**
 * How `ManagedKeyBase.monitorDeletion` reaches the monitoring module without importing it.
 *
 * The monitor creates a `CustomerManagedKey` for its topic, so monitoring depends on key at
 * runtime; key refers to monitoring by type only. The monitoring module installs the attach
 * function when it loads, which the package entry point always does.
 */
export type AttachDeletionMonitor = (key: ManagedKeyBase, scope?: Construct, props?: KeyDeletionMonitorProps) => KeyDeletionMonitor;

let attach: AttachDeletionMonitor | undefined;

export function installDeletionMonitorAttach(fn: AttachDeletionMonitor): void {
  attach = fn;
}

export function attachDeletionMonitor(key: ManagedKeyBase, scope?: Construct, props?: KeyDeletionMonitorProps): KeyDeletionMonitor {
  if (!attach) {
    throw new Error('monitorDeletion() needs the monitoring module: import from the package entry point (cdk-kms-patterns), not from its key folder');
  }
  return attach(key, scope, props);
}
