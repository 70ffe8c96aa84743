import { StackSelectionStrategy, Toolkit } from '@aws-cdk/toolkit-lib';
import { AssertionResult, assertionResults, checkReportLines } from './assertions';
import { keyStoreProgress } from './key-store-progress';
import { Interrupt, Ledger } from './ledger';
import { PlannedStack, whereTo } from './plan';
import { ProgressHost, elapsed } from './progress';
import { RetainedResource, deployedRetained, removeRetained } from './retained';
import { SynthesizedApp } from './synthesize';

/** How the runner deploys: the same for real AWS and the local emulator, but for the values. */
export interface RunSettings {
  readonly toolkit: Toolkit;
  readonly host: ProgressHost;
  /** The Region of the environment, for stacks that name none. */
  readonly defaultRegion: string;
  readonly account?: string;
  /** Leave everything deployed. */
  readonly keep: boolean;
  readonly interrupt: Interrupt;
  readonly ledger: Ledger;
  readonly log: (line: string) => void;
  /** Which stacks to deploy; the local run leaves out the assertion stack (it needs Lambda). @default every stack */
  readonly deploys?: (stack: PlannedStack) => boolean;
  /** How often toolkit-lib polls CloudFormation. @default 2000 */
  readonly pollIntervalMs?: number;
  /** How long without output before the heartbeat says what is in progress. @default 30 s */
  readonly heartbeatMs?: number;
}

/** What happened to one app. */
export interface AppOutcome {
  readonly app: string;
  readonly passed: boolean;
  readonly assertions: AssertionResult[];
  /** The check reports of the assertion stacks, one line per check. */
  readonly checks: string[];
  /** Why it failed: deploys, destroys, an interrupt, assertions that did not run. */
  readonly problems: string[];
  /** Outputs of each deployed stack, by stack id. */
  readonly outputs: Record<string, Record<string, string>>;
  /** What is left, each with the command that removes it. */
  readonly remaining: string[];
  /** Retained resources the runner removed after the destroy. */
  readonly removed: string[];
}

/**
 * Deploys the stacks of a synthesized app one at a time, dependencies first (CreateStack and
 * UpdateStack: the "direct" method, which the local emulator supports as well), reads the
 * assertion results, then destroys every stack it tried to deploy, newest first, and removes
 * what they retain. The destroy runs also after a failure or an interrupt, unless `keep`.
 */
export async function runApp(synthesized: SynthesizedApp, settings: RunSettings): Promise<AppOutcome> {
  const { plan } = synthesized;
  const regionOf = (stack: PlannedStack) => stack.region ?? settings.defaultRegion;
  const log = settings.log;
  const attempted: PlannedStack[] = [];
  const outputs: Record<string, Record<string, string>> = {};
  const problems: string[] = [];
  let removed: string[] = [];
  let remaining: string[] = [];
  try {
    for (const stack of plan.stacks.filter(settings.deploys ?? (() => true))) {
      if (settings.interrupt.requested) {
        problems.push(`interrupted: ${stack.id} was not deployed`);
        break;
      }
      attempted.push(stack);
      settings.ledger.stackCreated(stack.stackName, regionOf(stack));
      const deployed = await deployStack(synthesized, stack, settings, regionOf);
      if (typeof deployed === 'string') {
        problems.push(deployed, ...settings.host.failedEvents(stack.stackName).map((event) => `  ${event}`));
        break;
      }
      outputs[stack.id] = deployed;
    }
  } finally {
    if (settings.keep) {
      remaining = attempted.map((s) => `stack ${s.stackName} (kept): aws cloudformation delete-stack --stack-name ${s.stackName} --region ${regionOf(s)}`);
      log(`--keep: ${attempted.length} stacks left deployed`);
    } else {
      const destroyed = await destroyStacks(synthesized, [...attempted].reverse(), settings, regionOf);
      problems.push(...destroyed.problems);
      removed = destroyed.removed;
      remaining = destroyed.remaining;
    }
  }
  const assertionStacks = attempted.filter((stack) => stack.role === 'assertions' && outputs[stack.id]);
  const assertions = assertionStacks.flatMap((stack) => assertionResults(stack, outputs[stack.id]));
  const checks = assertionStacks.flatMap((stack) => checkReportLines(outputs[stack.id]));
  const passed = problems.length === 0 && assertions.every((a) => a.passed);
  return { app: plan.app.name, passed, assertions, checks, problems, outputs, remaining, removed };
}

/** The stack's outputs, or why its deploy failed. */
async function deployStack(
  synthesized: SynthesizedApp, stack: PlannedStack, settings: RunSettings, regionOf: (stack: PlannedStack) => string,
): Promise<Record<string, string> | string> {
  const started = Date.now();
  settings.log(`deploying ${stack.id} (${stack.role}) to ${whereTo(stack, { account: settings.account, region: regionOf(stack) })}`);
  const stopHeartbeat = settings.host.heartbeat(`deploying ${stack.id}`, settings.heartbeatMs ?? 30_000, keyStoreProgress(synthesized.plan.stacks, regionOf));
  try {
    const result = await settings.toolkit.deploy(synthesized.assembly, {
      stacks: only(stack),
      deploymentMethod: { method: 'direct' },
      stackEventPollingInterval: settings.pollIntervalMs,
    });
    settings.log(`deployed ${stack.id} in ${elapsed(started)}`);
    return result.stacks.find((deployed) => deployed.hierarchicalId === stack.id)?.outputs ?? {};
  } catch (err: any) {
    return `deploy of ${stack.id} failed after ${elapsed(started)}: ${err.message}`;
  } finally {
    stopHeartbeat();
  }
}

async function destroyStacks(
  synthesized: SynthesizedApp, stacks: PlannedStack[], settings: RunSettings, regionOf: (stack: PlannedStack) => string,
): Promise<{ problems: string[]; removed: string[]; remaining: string[] }> {
  const problems: string[] = [];
  const retained: RetainedResource[] = [];
  for (const stack of stacks) {
    const region = regionOf(stack);
    settings.log(`destroying ${stack.id}`);
    try {
      // Read before the delete: afterwards CloudFormation no longer says what it left behind.
      const found = await deployedRetained(stack.stackName, region, stack.retained);
      retained.push(...found);
      settings.ledger.retainedFound(found);
    } catch {
      // The stack was never created (its deploy failed early): nothing retained.
    }
    const stopHeartbeat = settings.host.heartbeat(`destroying ${stack.id}`, settings.heartbeatMs ?? 30_000);
    try {
      await settings.toolkit.destroy(synthesized.assembly, { stacks: only(stack), stackEventPollingInterval: settings.pollIntervalMs });
      settings.ledger.stackDeleted(stack.stackName, region);
    } catch (err: any) {
      problems.push(`destroy of ${stack.id} failed: ${err.message}`);
    } finally {
      stopHeartbeat();
    }
  }
  const outcomes = await removeRetained(retained);
  const removed = outcomes.filter((o) => o.removed);
  removed.forEach((o) => {
    settings.ledger.retainedGone(o.resource);
    settings.log(`removed retained ${o.line}`);
  });
  const stacksLeft = stacks.filter((s) => problems.some((p) => p.startsWith(`destroy of ${s.id} `)))
    .map((s) => `stack ${s.stackName}: aws cloudformation delete-stack --stack-name ${s.stackName} --region ${regionOf(s)}`);
  return { problems, removed: removed.map((o) => o.line), remaining: [...stacksLeft, ...outcomes.filter((o) => !o.removed).map((o) => o.line)] };
}

function only(stack: PlannedStack) {
  return { strategy: StackSelectionStrategy.PATTERN_MUST_MATCH_SINGLE, patterns: [stack.id] };
}
