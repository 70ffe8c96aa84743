import { Duration, aws_cloudwatch as cloudwatch, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { KeyDeletionFilterPatterns } from '../../shared/filter-patterns';

/** One metric filter on the trail log group and the alarm on its metric. */
export interface FilterAlarmOptions {
  readonly logGroup: logs.ILogGroup;
  readonly filterPattern: string;
  readonly metricName: string;
  readonly period: Duration;
  readonly description: string;
  readonly actions: cloudwatch.IAlarmAction[];
}

/**
 * Creates `<id>` (the metric filter) and `<id>Alarm`. The alarm fires on one matching event in
 * one period and treats missing data as not breaching: no event means nothing happened.
 */
export function filterWithAlarm(scope: Construct, id: string, options: FilterAlarmOptions): cloudwatch.Alarm {
  const filter = new logs.MetricFilter(scope, id, {
    logGroup: options.logGroup,
    filterPattern: logs.FilterPattern.literal(options.filterPattern),
    metricNamespace: KeyDeletionFilterPatterns.METRIC_NAMESPACE,
    metricName: options.metricName,
    metricValue: KeyDeletionFilterPatterns.METRIC_VALUE,
  });
  const alarm = new cloudwatch.Alarm(scope, `${id}Alarm`, {
    metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: options.period }),
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: options.description,
  });
  options.actions.forEach((action) => alarm.addAlarmAction(action));
  return alarm;
}
