import { BaseCredentials, Toolkit } from '@aws-cdk/toolkit-lib';
import { IntegApp, unmetRequirement } from './apps';
import { DeployPlan, formatPlan } from './plan';
import { ProgressHost } from './progress';
import { synthesize } from './synthesize';

/** What `--dry-run` found: the plan of each app, read back by toolkit-lib. */
export interface DryRun {
  readonly plans: DeployPlan[];
  /** Apps a real run would skip, with why. */
  readonly skipped: Array<{ app: string; why: string }>;
}

/**
 * Synthesizes every app through toolkit-lib, with no credentials and no AWS call, and prints
 * what a run would deploy where. Fails (throws) when an app does not synthesize or toolkit-lib
 * cannot read its assembly.
 */
export async function dryRun(
  apps: IntegApp[], options: { context?: Record<string, string>; region?: string }, log: (line: string) => void,
): Promise<DryRun> {
  const toolkit = new Toolkit({
    ioHost: new ProgressHost(log),
    emojis: false,
    color: false,
    // No credentials are looked up: the environment stays unresolved, as the plan shows.
    sdkConfig: { baseCredentials: BaseCredentials.none() },
  });
  const plans: DeployPlan[] = [];
  const skipped: DryRun['skipped'] = [];
  for (const app of apps) {
    const synthesized = await synthesize(toolkit, app, { context: options.context, resolveEnvironment: false });
    await synthesized.dispose();
    plans.push(synthesized.plan);
    log(formatPlan(synthesized.plan, { region: options.region }));
    const why = unmetRequirement(app, options.context ?? {});
    if (why) {
      skipped.push({ app: app.name, why });
      log(`  a run skips it: ${why}`);
    }
  }
  return { plans, skipped };
}
