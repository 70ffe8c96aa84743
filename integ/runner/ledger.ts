import { RetainedResource, removalCommand } from './retained';

/** A Ctrl-C: the first asks the run to stop deploying and clean up; the CLI handles the second. */
export class Interrupt {
  private asked = false;

  public get requested(): boolean {
    return this.asked;
  }

  public request(): void {
    this.asked = true;
  }
}

/**
 * What the run has created and not yet removed, so that an exit that cannot wait for cleanup
 * (a second Ctrl-C) can still say what remains and how to remove it.
 */
export class Ledger {
  private readonly stacks = new Map<string, { stackName: string; region: string }>();
  private readonly retained = new Map<string, RetainedResource>();

  public stackCreated(stackName: string, region: string): void {
    this.stacks.set(`${region}/${stackName}`, { stackName, region });
  }

  public stackDeleted(stackName: string, region: string): void {
    this.stacks.delete(`${region}/${stackName}`);
  }

  public retainedFound(resources: RetainedResource[]): void {
    resources.forEach((resource) => this.retained.set(`${resource.region}/${resource.physicalId}`, resource));
  }

  public retainedGone(resource: RetainedResource): void {
    this.retained.delete(`${resource.region}/${resource.physicalId}`);
  }

  /** Every stack (that may exist) and retained resource still there, each with the command that removes it. */
  public remaining(): string[] {
    return [
      ...[...this.stacks.values()].map(({ stackName, region }) => `stack ${stackName}: aws cloudformation delete-stack --stack-name ${stackName} --region ${region}`),
      ...[...this.retained.values()].map((r) => `${r.stackName}/${r.logicalId} (${r.type}): ${removalCommand(r)}`),
    ];
  }
}
