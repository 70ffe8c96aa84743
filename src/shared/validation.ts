import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../errors';

/** Bounds KMS enforces (AWS::KMS::Key reference). */
export const ROTATION_PERIOD_DAYS = { min: 90, max: 2560, default: 365 } as const;
export const PENDING_WINDOW_DAYS = { min: 7, max: 30, default: 30 } as const;

/** Returns the value in whole days after checking it lies in [min, max]. */
export function daysWithin(scope: IConstruct, prop: string, value: Duration, bounds: { min: number; max: number }): number {
  const days = value.toDays({ integral: false });
  if (Token.isUnresolved(days)) { return days; }
  if (!Number.isInteger(days) || days < bounds.min || days > bounds.max) {
    fail(scope, `'${prop}' value must be a whole number of days between ${bounds.min} and ${bounds.max}. Received: ${days} days`);
  }
  return days;
}
