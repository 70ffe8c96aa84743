import type { IIoHost, IoMessage, IoRequest } from '@aws-cdk/toolkit-lib';

/** A resource CloudFormation is working on, from the stack events. */
export interface InProgressResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly status: string;
  readonly since: Date;
}

/** Extra lines for the heartbeat, e.g. a CloudHSM key store's connection state. */
export type ProgressDetails = (inProgress: InProgressResource[]) => Promise<string[]>;

/** Messages toolkit-lib sends that this host prints or reads (https://docs.aws.amazon.com/cdk/api/toolkit-lib/message-registry/). */
const STACK_ACTIVITY = 'CDK_TOOLKIT_I5502';
/** The policy validation report of each synth; the runner has nothing to say about it. */
const VALIDATION_REPORT = 'CDK_TOOLKIT_E9600';

/**
 * The runner's toolkit-lib IoHost: one line per stack event (the progress a user waits on),
 * warnings and errors, and nothing of toolkit-lib's own chatter. It remembers the failed events
 * of each stack, which explain a failed deploy, and what is still in progress, for the heartbeat.
 */
export class ProgressHost implements IIoHost {
  private readonly failures = new Map<string, string[]>();
  private readonly latest = new Map<string, InProgressResource>();
  private lastLine = Date.now();

  constructor(private readonly out: (line: string) => void) {}

  public async notify(msg: IoMessage<unknown>): Promise<void> {
    if (msg.code === STACK_ACTIVITY) {
      this.onStackEvent((msg.data as any).event);
    } else if ((msg.level === 'error' || msg.level === 'warn') && msg.code !== VALIDATION_REPORT) {
      this.print(`${msg.level === 'error' ? 'error' : 'warning'}: ${msg.message}`);
    }
  }

  public async requestResponse<T>(msg: IoRequest<unknown, T>): Promise<T> {
    // Nobody to ask: integration runs take toolkit-lib's default answers.
    return msg.defaultResponse;
  }

  /** `Resource (Type) STATUS: reason` of the failed events of `stackName`, oldest first. */
  public failedEvents(stackName: string): string[] {
    return [...(this.failures.get(stackName) ?? [])];
  }

  /** Resources whose latest event is *_IN_PROGRESS. */
  public inProgress(): InProgressResource[] {
    return [...this.latest.values()].filter((resource) => resource.status.endsWith('_IN_PROGRESS'));
  }

  /**
   * Until the returned function is called, prints every `intervalMs` in which nothing else was
   * printed what is still in progress (and `details`), so a long wait shows the run is alive.
   */
  public heartbeat(label: string, intervalMs: number, details?: ProgressDetails): () => void {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - this.lastLine < intervalMs) { return; }
      const waiting = this.inProgress().map((r) => `${r.logicalId} (${r.type}) ${r.status} for ${elapsed(r.since.getTime())}`);
      this.print(`... still ${label} (${elapsed(started)})${waiting.length ? `: ${waiting.join('; ')}` : ''}`);
      void details?.(this.inProgress()).then((lines) => lines.forEach((line) => this.print(`    ${line}`)), () => undefined);
    }, Math.min(intervalMs, 1_000));
    timer.unref();
    return () => clearInterval(timer);
  }

  private onStackEvent(event: any): void {
    const stackName: string = event.StackName;
    const status: string = event.ResourceStatus ?? '';
    const reason = event.ResourceStatusReason ? `: ${event.ResourceStatusReason}` : '';
    const line = `${event.LogicalResourceId} (${event.ResourceType}) ${status}${reason}`;
    this.print(`  ${stackName} | ${line}`);
    if (status.endsWith('_FAILED')) {
      this.failures.set(stackName, [...(this.failures.get(stackName) ?? []), line]);
    }
    if (event.ResourceType !== 'AWS::CloudFormation::Stack') {
      const key = `${stackName}/${event.LogicalResourceId}`;
      const since = new Date(event.Timestamp ?? Date.now());
      const known = this.latest.get(key);
      // Events can arrive newest first; on a tie the finished state wins.
      const newer = !known || since > known.since || (since.getTime() === known.since.getTime() && known.status.endsWith('_IN_PROGRESS'));
      if (newer) { this.latest.set(key, { stackName, logicalId: event.LogicalResourceId, type: event.ResourceType, status, since }); }
    }
  }

  private print(line: string): void {
    this.lastLine = Date.now();
    this.out(line);
  }
}

/** `3m 05s`. */
export function elapsed(since: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - since) / 1000));
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
