import { PENDING_WINDOW_DAYS, ROTATION_PERIOD_DAYS } from '../shared/kms-limits';

/** A command line the CLI cannot run: the message says what is wrong; exit code 2. */
export class UsageError extends Error {}

export type OutputFormat = 'text' | 'json' | 'sarif';
export type FailOn = 'error' | 'warning' | 'none';

/** The parsed command line of `cdk-kms-patterns check`. */
export interface CheckArguments {
  readonly paths: string[];
  readonly format: OutputFormat;
  /** Write the report here instead of to standard output. */
  readonly output?: string;
  /** Rule names (without the `KmsChecks-` prefix); every rule when empty. */
  readonly rules: string[];
  readonly parameters: { [name: string]: string };
  readonly acknowledgements?: string;
  readonly accessReport?: string;
  readonly failOn: FailOn;
  readonly maximumRotationDays: number;
  readonly minimumPendingDays: number;
  readonly requireCustomerManagedKeyForS3: boolean;
  readonly deletionMonitorWarning: boolean;
}

export const USAGE = `Usage: cdk-kms-patterns check [options] <path...>

Checks KMS keys, key policies, identity policies and S3 bucket encryption with the KmsChecks rules.
Each <path> is a cloud assembly directory (cdk.out: every stack, nested assemblies included) or a
CloudFormation template file (JSON or YAML, short-form tags such as !Ref and !Sub included).

Options:
  --format text|json|sarif        Report format (default: text)
  --output FILE                   Write the report to FILE instead of standard output
  --rules A,B                     Run only these rules (KmsChecks-A or A; repeatable)
  --parameter NAME=VALUE          A template parameter's value (repeatable; default: its Default).
                                  AWS::AccountId and AWS::Region set the pseudo parameters
  --acknowledgements FILE         JSON or YAML list of { id, reason, resources? }
  --access-report DIR             Write kms-access-report.json and .md for every key into DIR
  --fail-on error|warning|none    Exit 1 on findings at or above this level (default: error)
  --max-rotation-days N           Longest rotation period a key may have (default: 365)
  --min-pending-days N            Shortest pending deletion window (default: 30)
  --allow-aws-managed-s3-key      Do not require a customer managed key for SSE-KMS buckets
  --no-deletion-monitor-warning   Do not warn when no alarm watches keys pending deletion
  -h, --help                      Show this help

Exit codes: 0 no findings at or above --fail-on; 1 findings at or above --fail-on;
2 usage or input error (the other inputs are still checked and reported).`;

/** Parses the arguments after `check`. Throws a {@link UsageError}. */
export function parseCheckArguments(args: string[]): CheckArguments {
  const paths: string[] = [];
  const rules: string[] = [];
  const parameters: { [name: string]: string } = {};
  let format: OutputFormat = 'text';
  let failOn: FailOn = 'error';
  let output: string | undefined;
  let acknowledgements: string | undefined;
  let accessReport: string | undefined;
  let maximumRotationDays: number = ROTATION_PERIOD_DAYS.default;
  let minimumPendingDays: number = PENDING_WINDOW_DAYS.default;
  let requireCustomerManagedKeyForS3 = true;
  let deletionMonitorWarning = true;

  for (let index = 0; index < args.length; index++) {
    const [flag, inline] = args[index].startsWith('--') && args[index].includes('=') ? splitOnce(args[index], '=') : [args[index], undefined];
    const value = (): string => {
      const next = inline ?? args[++index];
      if (next === undefined) { throw new UsageError(`${flag} needs a value`); }
      return next;
    };
    switch (flag) {
      case '--format': format = oneOf(flag, value(), ['text', 'json', 'sarif']); break;
      case '--fail-on': failOn = oneOf(flag, value(), ['error', 'warning', 'none']); break;
      case '--output': output = value(); break;
      case '--rules': rules.push(...value().split(',').map((rule) => rule.trim().replace(/^KmsChecks-/, '')).filter((rule) => rule !== '')); break;
      case '--parameter': {
        const text = value();
        if (!text.includes('=') || text.startsWith('=')) { throw new UsageError(`--parameter takes NAME=VALUE. Received: ${text}`); }
        const [name, given] = splitOnce(text, '=');
        parameters[name] = given;
        break;
      }
      case '--acknowledgements': acknowledgements = value(); break;
      case '--access-report': accessReport = value(); break;
      case '--max-rotation-days': maximumRotationDays = days(flag, value(), ROTATION_PERIOD_DAYS); break;
      case '--min-pending-days': minimumPendingDays = days(flag, value(), PENDING_WINDOW_DAYS); break;
      case '--allow-aws-managed-s3-key': requireCustomerManagedKeyForS3 = false; break;
      case '--no-deletion-monitor-warning': deletionMonitorWarning = false; break;
      default:
        if (flag.startsWith('-')) { throw new UsageError(`unknown option ${flag}`); }
        paths.push(flag);
    }
  }
  if (paths.length === 0) { throw new UsageError('give at least one cloud assembly directory or template file'); }
  return {
    paths,
    format,
    output,
    rules,
    parameters,
    acknowledgements,
    accessReport,
    failOn,
    maximumRotationDays,
    minimumPendingDays,
    requireCustomerManagedKeyForS3,
    deletionMonitorWarning,
  };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}

function oneOf<T extends string>(flag: string, value: string, allowed: T[]): T {
  if (!(allowed as string[]).includes(value)) { throw new UsageError(`${flag} must be one of ${allowed.join(', ')}. Received: ${value}`); }
  return value as T;
}

function days(flag: string, value: string, bounds: { readonly min: number; readonly max: number }): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < bounds.min || parsed > bounds.max) {
    throw new UsageError(`${flag} must be a whole number of days between ${bounds.min} and ${bounds.max}. Received: ${value}`);
  }
  return parsed;
}
