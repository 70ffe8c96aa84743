/** What `npm run integ:aws -- ...` was asked to do. */
export interface RunnerOptions {
  /** App names as given; empty for every app. */
  readonly apps: string[];
  /** Synthesize and print the plan; no credentials, no AWS call. */
  readonly dryRun: boolean;
  /** Leave the stacks deployed (and print how to destroy them). */
  readonly keep: boolean;
  /** `-c key=value` pairs, passed to every app as context. */
  readonly context: Record<string, string>;
  /** The Region to deploy environment-agnostic stacks to; default: the AWS CLI's (AWS_REGION, profile). */
  readonly region?: string;
  /** The second Region of integ.multi-region; default: see `defaultReplicaRegion`. */
  readonly replicaRegion?: string;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run integ:aws -- [APP...] [options]

Deploys each integ/integ.<APP>.ts (all of them when none is named) to the AWS account and Region
of your credentials, runs its assertions, destroys everything it created and reports the results.

  --dry-run               synthesize and print what would be deployed where; needs no credentials
  --keep                  do not destroy; print the commands that would
  --region REGION         Region for the stacks (default: AWS_REGION or your profile's Region)
  --replica-region REGION second Region of integ.multi-region (default: another Region than --region)
  -c, --context KEY=VALUE context for the apps (integ.cloudhsm-key needs its cluster this way)
  -h, --help              this text

APP is a name such as key, bucket-key, multi-region (or the file integ/integ.key.ts).`;

/** Parses the command line (without `node script`). Throws with a message for bad input. */
export function parseArgs(argv: string[]): RunnerOptions {
  const apps: string[] = [];
  const context: Record<string, string> = {};
  let dryRun = false;
  let keep = false;
  let help = false;
  let region: string | undefined;
  let replicaRegion: string | undefined;
  const valueOf = (flag: string, index: number): string => {
    const value = argv[index];
    if (value === undefined || value.startsWith('-')) { throw new Error(`${flag} needs a value`); }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') { dryRun = true; } else if (arg === '--keep') { keep = true; } else if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg === '--region') { region = valueOf(arg, ++i); } else if (arg === '--replica-region') {
      replicaRegion = valueOf(arg, ++i);
    } else if (arg === '-c' || arg === '--context') {
      const pair = valueOf(arg, ++i);
      const eq = pair.indexOf('=');
      if (eq <= 0) { throw new Error(`${arg} takes KEY=VALUE, got '${pair}'`); }
      context[pair.slice(0, eq)] = pair.slice(eq + 1);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      apps.push(arg);
    }
  }
  if (dryRun && keep) { throw new Error('--keep has no meaning with --dry-run (nothing is deployed)'); }
  return { apps, dryRun, keep, context, region, replicaRegion, help };
}

/** A Region for the replica of integ.multi-region that is not `primary`, in the same partition. */
export function defaultReplicaRegion(primary: string): string {
  if (primary.startsWith('us-gov-')) { return primary === 'us-gov-west-1' ? 'us-gov-east-1' : 'us-gov-west-1'; }
  if (primary.startsWith('cn-')) { return primary === 'cn-north-1' ? 'cn-northwest-1' : 'cn-north-1'; }
  return primary === 'us-west-2' ? 'us-east-1' : 'us-west-2';
}

/**
 * The context every app gets: the user's `-c` pairs, and for integ.multi-region the two Regions
 * (the run's Region and the replica Region). Without a Region (a dry run without --region) the
 * app keeps its own defaults.
 */
export function appContext(options: RunnerOptions, region?: string): Record<string, string> {
  if (!region) { return options.context; }
  return { primaryRegion: region, replicaRegion: options.replicaRegion ?? defaultReplicaRegion(region), ...options.context };
}
