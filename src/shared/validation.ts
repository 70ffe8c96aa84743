import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../errors';

export { PENDING_WINDOW_DAYS, ROTATION_PERIOD_DAYS } from './kms-limits';

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
