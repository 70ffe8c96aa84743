import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../../errors';

/** Bounds KMS enforces (AWS::KMS::Key reference). */
export const ROTATION_PERIOD_DAYS = { min: 90, max: 2560, default: 365 } as const;
export const PENDING_WINDOW_DAYS = { min: 7, max: 30, default: 30 } as const;
export const ALIAS_MAX_LENGTH = 256;

/** Returns the value in whole days after checking it lies in [min, max]. */
export function daysWithin(scope: IConstruct, prop: string, value: Duration, bounds: { min: number; max: number }): number {
  const days = value.toDays({ integral: false });
  if (Token.isUnresolved(days)) { return days; }
  if (!Number.isInteger(days) || days < bounds.min || days > bounds.max) {
    fail(scope, `'${prop}' value must be a whole number of days between ${bounds.min} and ${bounds.max}. Received: ${days} days`);
  }
  return days;
}

/** KMS keys have no snapshot: CloudFormation would fail at deploy time on DeletionPolicy Snapshot. */
export function validateKeyRemovalPolicy(scope: IConstruct, policy: RemovalPolicy): RemovalPolicy {
  if (policy === RemovalPolicy.SNAPSHOT) {
    fail(scope, "'removalPolicy' value SNAPSHOT is not possible for a KMS key. Allowed: RETAIN, RETAIN_ON_UPDATE_OR_DELETE, DESTROY");
  }
  return policy;
}

/**
 * Adds the `alias/` prefix when missing and rejects names KMS would refuse at deploy time.
 */
export function normalizeAliasNames(scope: IConstruct, names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw) => {
    const name = normalizeAliasName(scope, raw);
    if (seen.has(name)) {
      fail(scope, `'aliases' contains ${JSON.stringify(name)} twice. Each alias name must be unique.`);
    }
    seen.add(name);
    return name;
  });
}

function normalizeAliasName(scope: IConstruct, raw: string): string {
  if (Token.isUnresolved(raw)) { return raw; }
  const name = raw.startsWith('alias/') ? raw : `alias/${raw}`;
  if (name === 'alias/') {
    fail(scope, `'aliases' entry must not be empty. Received: ${JSON.stringify(raw)}`);
  }
  if (name.startsWith('alias/aws/')) {
    fail(scope, `'aliases' entry ${JSON.stringify(raw)} starts with alias/aws/, which AWS reserves for AWS managed keys. Allowed: any other name`);
  }
  if (name.length > ALIAS_MAX_LENGTH) {
    fail(scope, `'aliases' entry must be at most ${ALIAS_MAX_LENGTH} characters including "alias/". Received: ${name.length} characters (${JSON.stringify(raw.slice(0, 40))}...)`);
  }
  if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(name)) {
    fail(scope, `'aliases' entry ${JSON.stringify(raw)} has characters KMS does not allow. Allowed: letters, digits, "/", "_" and "-"`);
  }
  return name;
}
