/**
 * `npm run integ:aws`: deploys the integ apps to AWS with toolkit-lib, runs their assertions and
 * destroys everything. `npm run integ:aws -- --help` for the options.
 */
import { BaseCredentials, Toolkit } from '@aws-cdk/toolkit-lib';
import { IntegApp, selectApps, unmetRequirement } from './apps';
import { dryRun } from './dry-run';
import { Interrupt, Ledger } from './ledger';
import { RunnerOptions, USAGE, appContext, parseArgs } from './options';
import { PreflightError, callerAccount, checkBootstrapped, targetRegion } from './preflight';
import { ProgressHost } from './progress';
import { AppOutcome, runApp } from './run-app';
import { SynthesizedApp, synthesize } from './synthesize';

/* eslint-disable no-console */
const log = (line: string) => console.log(line);

async function main(argv: string[]): Promise<number> {
  let options: RunnerOptions;
  let apps: IntegApp[];
  try {
    options = parseArgs(argv);
    apps = selectApps(options.apps);
  } catch (err: any) {
    console.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    log(USAGE);
    return 0;
  }
  if (options.dryRun) {
    await dryRun(apps, { context: appContext(options, options.region), region: options.region }, log);
    log('Dry run: nothing was deployed.');
    return 0;
  }
  return deployAll(apps, options);
}

async function deployAll(apps: IntegApp[], options: RunnerOptions): Promise<number> {
  const region = await targetRegion(options.region);
  const context = appContext(options, region);
  const replicaRegion = context.replicaRegion;
  if (replicaRegion === region) { throw new PreflightError(`--replica-region must differ from the Region (${region}).`); }
  const account = await callerAccount(region);
  log(`Account ${account}, Region ${region} (replica Region ${replicaRegion} for multi-region).`);

  const host = new ProgressHost(log);
  const toolkit = new Toolkit({
    ioHost: host,
    emojis: false,
    color: false,
    sdkConfig: { baseCredentials: BaseCredentials.awsCliCompatible({ defaultRegion: region }) },
  });
  const runnable: SynthesizedApp[] = [];
  const skipped: string[] = [];
  for (const app of apps) {
    const why = unmetRequirement(app, context);
    if (why) {
      skipped.push(`${app.name}: skipped, ${why}`);
      continue;
    }
    runnable.push(await synthesize(toolkit, app, { context, resolveEnvironment: true }));
  }
  // Every Region any stack goes to is checked before the first deploy.
  const regions = new Set(runnable.flatMap((s) => s.plan.stacks.map((stack) => stack.region ?? region)));
  for (const r of regions) {
    await callerAccount(r);
    await checkBootstrapped(account, r);
  }

  const interrupt = new Interrupt();
  const ledger = new Ledger();
  process.on('SIGINT', () => {
    if (!interrupt.requested) {
      interrupt.request();
      log('\nInterrupted: no more stacks are deployed; what was created is destroyed once the current stack operation ends.'
        + ' Ctrl-C again to exit now.');
      return;
    }
    const remaining = ledger.remaining();
    console.error(`\nExiting without cleanup. ${remaining.length ? 'What may remain, and how to remove it:' : 'Nothing the runner created remains.'}`);
    remaining.forEach((line) => console.error(`  ${line}`));
    process.exit(130);
  });

  const outcomes: AppOutcome[] = [];
  for (const synthesized of runnable) {
    log(`\n== ${synthesized.app.name} (${synthesized.app.file})`);
    outcomes.push(await runApp(synthesized, { toolkit, host, defaultRegion: region, account, keep: options.keep, interrupt, ledger, log }));
    await synthesized.dispose();
    if (interrupt.requested) { break; }
  }
  printSummary(outcomes, skipped);
  return outcomes.every((o) => o.passed) && !interrupt.requested ? 0 : 1;
}

function printSummary(outcomes: AppOutcome[], skipped: string[]): void {
  log('\n== Results');
  for (const outcome of outcomes) {
    log(`${outcome.passed ? 'PASS' : 'FAIL'} ${outcome.app}`);
    outcome.assertions.forEach((a) => log(`  ${a.passed ? '✓' : '✗'} ${a.name}${a.message ? `: ${a.message}` : ''}`));
    outcome.checks.forEach((line) => log(`      ${line}`));
    outcome.problems.forEach((line) => log(`  ! ${line}`));
    if (outcome.remaining.length > 0) {
      log('  left behind (remove with):');
      outcome.remaining.forEach((line) => log(`    ${line}`));
    }
  }
  skipped.forEach((line) => log(`SKIP ${line}`));
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
  console.error(err instanceof PreflightError ? err.message : err);
  process.exit(1);
});
