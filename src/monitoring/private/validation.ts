import { Duration, Stack, Token, TokenComparison, aws_logs as logs } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../../errors';

/** The retention values CloudWatch Logs accepts, in days (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * Alarm periods for metrics published by metric filters. Metric filters publish at one-minute
 * resolution, so the high-resolution periods (10, 20, 30 s) would leave the alarm without data,
 * and with one evaluation period PutMetricAlarm allows up to 7 days (604,800 s).
 */
export const ALARM_PERIOD_SECONDS = { multipleOf: 60, min: 60, max: 604_800 } as const;

/** Returns the retention as a `logs.RetentionDays` after checking CloudWatch Logs accepts it. */
export function logRetentionDays(scope: IConstruct, value: Duration): logs.RetentionDays {
  const days = value.toDays({ integral: false });
  if (Token.isUnresolved(days)) { return days; }
  if (!LOG_RETENTION_DAYS.includes(days)) {
    fail(scope, `'logRetention' value ${days} days is not a retention CloudWatch Logs accepts. Allowed (days): ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  return days as logs.RetentionDays;
}

/** Returns the alarm period in seconds after checking CloudWatch accepts it for these metrics. */
export function alarmPeriodSeconds(scope: IConstruct, value: Duration): number {
  const seconds = value.toSeconds({ integral: false });
  if (Token.isUnresolved(seconds)) { return seconds; }
  const { multipleOf, min, max } = ALARM_PERIOD_SECONDS;
  if (!Number.isInteger(seconds) || seconds % multipleOf !== 0 || seconds < min || seconds > max) {
    fail(scope, `'period' value ${seconds} seconds is not a period CloudWatch accepts for a metric filter metric. Allowed: a multiple of ${multipleOf} seconds from ${min} to ${max} (7 days); 10, 20 and 30 seconds are for high-resolution metrics only`);
  }
  return seconds;
}

/** Metric filters must live in the log group's Region; a log group elsewhere cannot be used. */
export function requireSameRegion(scope: IConstruct, logGroup: logs.ILogGroup): void {
  const stackRegion = Stack.of(scope).region;
  const groupRegion = logGroup.env.region;
  if (Token.compareStrings(groupRegion, stackRegion) === TokenComparison.DIFFERENT) {
    fail(scope, `'trailLogGroup' is in Region ${groupRegion}, but this monitor is in ${stackRegion}. Allowed: a log group in ${stackRegion}; metric filters and alarms must be in the log group's Region`);
  }
}
