import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * One deletion monitor per account in an app: its trail is multi-Region, so a second monitor
 * (in another Region or not) would add a second trail, billed, whose log group receives every
 * Region's events again, and every alarm would fire twice per event.
 *
 * Stacks with a concrete account share an entry; an environment-agnostic stack has an entry of
 * its own, since where it deploys is unknown at synth.
 */
export class MonitorRegistry<T extends IConstruct> {
  private readonly byApp = new WeakMap<IConstruct, Map<string, T>>();

  public find(scope: IConstruct): T | undefined {
    return this.entries(scope).get(environmentKey(scope));
  }

  /** Registers `monitor`, or returns the monitor already registered for its environment. */
  public register(monitor: T): T | undefined {
    const entries = this.entries(monitor);
    const key = environmentKey(monitor);
    const existing = entries.get(key);
    if (!existing) { entries.set(key, monitor); }
    return existing;
  }

  private entries(scope: IConstruct): Map<string, T> {
    const root = scope.node.root;
    let entries = this.byApp.get(root);
    if (!entries) {
      entries = new Map();
      this.byApp.set(root, entries);
    }
    return entries;
  }
}

function environmentKey(scope: IConstruct): string {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.account)) {
    return `stack:${stack.node.path}`;
  }
  return stack.account;
}
