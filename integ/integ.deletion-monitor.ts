/**
 * KeyDeletionMonitor on real AWS: a monitor with its own trail, watching one key, plus
 * CloudWatch Logs TestMetricFilter checks that each committed CloudTrail record matches the
 * right filter and is rejected by the other, account-wide and per key (a record about another
 * key is rejected by the per-key filters), and that both alarms exist with the topic as action.
 * The access matrix (integ/support/matrices/deletion-monitor.ts) runs as the watched key's user
 * and admin roles: watching a key changes nobody's access to it.
 *
 * Real AWS: npm run integ:aws -- deletion-monitor (needs credentials); locally: test/integ-local.
 * The trail bucket and log group are retained by design; delete them after the run.
 */
import { IntegTest, Match, ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CustomerManagedKey, KeyDeletionFilterPatterns, KeyDeletionMonitor } from '../src';
import { expectAccessMatrix } from './support/access-checks';
import { DELETION_MONITOR_MATRIX } from './support/matrices/deletion-monitor';
import { expectFilterMatch } from './support/test-metric-filter';
import { disableOrScheduleDeletionOfKey, pendingDeletionUseOfKey } from '../src/monitoring/private/key-scoped-patterns';
import { CLOUDTRAIL_FIXTURES, FIXTURE_KEY_ARN, FixtureFilter } from '../test/fixtures/cloudtrail/fixtures';

const app = new App();
const stack = new Stack(app, 'KmsDeletionMonitorInteg');
const key = new CustomerManagedKey(stack, 'WatchedKey', {
  description: 'Watched by the deletion monitor integration test',
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});
const monitor = new KeyDeletionMonitor(stack, 'Monitor', { keys: [key], notifyOnScheduleKeyDeletion: true, period: Duration.minutes(1) });

new CfnOutput(stack, 'LogGroupName', { value: monitor.logGroup.logGroupName });
new CfnOutput(stack, 'TopicArn', { value: monitor.topic!.topicArn });
new CfnOutput(stack, 'KeyArn', { value: key.keyArn });
new CfnOutput(stack, 'PendingDeletionUseAlarmName', { value: monitor.pendingDeletionUseAlarm.alarmName });
new CfnOutput(stack, 'DisableOrScheduleDeletionAlarmName', { value: monitor.disableOrScheduleDeletionAlarm.alarmName });

const roles = { user: key.userRole!, admin: key.adminRole! };
Object.entries(roles).forEach(([name, role]) => new CfnOutput(stack, `${name}RoleArn`, { value: role.roleArn }));

const assertionStack = new Stack(app, 'KmsDeletionMonitorIntegAssertions');
const integ = new IntegTest(app, 'DeletionMonitor', { testCases: [stack], assertionStack });
expectAccessMatrix(integ, assertionStack, 'WatchedKey', DELETION_MONITOR_MATRIX, { roles, keys: { key: { arn: key.keyArn, region: stack.region } } });

const accountWide: Record<FixtureFilter, string> = {
  pendingDeletionUse: KeyDeletionFilterPatterns.PENDING_DELETION_USE,
  disableOrScheduleDeletion: KeyDeletionFilterPatterns.DISABLE_OR_SCHEDULE_DELETION,
};
const perKey: Record<FixtureFilter, string> = {
  pendingDeletionUse: pendingDeletionUseOfKey(key.keyArn),
  disableOrScheduleDeletion: disableOrScheduleDeletionOfKey(key.keyArn),
};

for (const fixture of CLOUDTRAIL_FIXTURES) {
  // The same record as if it were about the watched key: the per-key filters must match it.
  const aboutWatchedKey = fixture.message.split(FIXTURE_KEY_ARN).join(key.keyArn);
  for (const filter of Object.keys(accountWide) as FixtureFilter[]) {
    expectFilterMatch(integ, accountWide[filter], fixture.message, filter === fixture.matches);
    expectFilterMatch(integ, perKey[filter], aboutWatchedKey, filter === fixture.matches);
    expectFilterMatch(integ, perKey[filter], fixture.message, false);
  }
}

// The deployed account-wide filters carry the published patterns unchanged.
for (const pattern of Object.values(accountWide)) {
  integ.assertions
    .awsApiCall('CloudWatchLogs', 'describeMetricFilters', { logGroupName: monitor.logGroup.logGroupName })
    .expect(ExpectedResult.objectLike({ metricFilters: Match.arrayWith([Match.objectLike({ filterPattern: pattern })]) }));
}

// Both alarms exist and notify the monitor's topic.
for (const alarm of [monitor.pendingDeletionUseAlarm, monitor.disableOrScheduleDeletionAlarm]) {
  integ.assertions
    .awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [alarm.alarmName] })
    .expect(ExpectedResult.objectLike({
      MetricAlarms: [Match.objectLike({ AlarmName: alarm.alarmName, AlarmActions: Match.arrayWith([monitor.topic!.topicArn]) })],
    }));
}

app.synth();
