import { App, Duration, Stack, aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';
import { CustomerManagedKey, KeyDeletionMonitor, KeyDeletionMonitorProps } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function build(props: (stack: Stack) => KeyDeletionMonitorProps): () => void {
  return () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    new KeyDeletionMonitor(stack, 'Monitor', props(stack));
  };
}

const ALLOWED_RETENTION = '1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653';

describe('bad input is a synth-time error naming the prop, the value and what is allowed', () => {
  test.each([0, 2, 366, 9999, 1.5])('logRetention %d days', (days) => {
    expect(build(() => ({ logRetention: Duration.hours(days * 24) }))).toThrow(
      `Stack/Monitor: 'logRetention' value ${days} days is not a retention CloudWatch Logs accepts. Allowed (days): ${ALLOWED_RETENTION}`);
  });

  test.each([
    [Duration.seconds(0), 0],
    [Duration.seconds(10), 10],
    [Duration.seconds(30), 30],
    [Duration.seconds(90), 90],
    [Duration.millis(60_500), 60.5],
    [Duration.days(8), 691200],
  ])('period %s', (period, seconds) => {
    expect(build(() => ({ period }))).toThrow(
      `'period' value ${seconds} seconds is not a period CloudWatch accepts for a metric filter metric. Allowed: a multiple of 60 seconds from 60 to 604800 (7 days)`);
  });

  test.each([Duration.minutes(1), Duration.hours(1), Duration.days(7)])('period %s is accepted', (period) => {
    expect(build(() => ({ period }))).not.toThrow();
  });

  test('alarms with no action', () => {
    expect(build(() => ({ createTopic: false }))).toThrow(
      /'createTopic' value false with no 'alarmTopic' leaves the alarms without an action.*Allowed: pass alarmTopic, leave createTopic unset, or set allowAlarmsWithoutAction true/);
  });

  test('a log group from another Region', () => {
    expect(build((stack) => ({
      trailLogGroup: logs.LogGroup.fromLogGroupArn(stack, 'Trail', 'arn:aws:logs:us-east-1:111111111111:log-group:org-trail:*'),
    }))).toThrow("'trailLogGroup' is in Region us-east-1, but this monitor is in eu-west-1. Allowed: a log group in eu-west-1");
  });

  test.each([
    ['logRetention with an existing log group', (stack: Stack) => ({ trailLogGroup: logs.LogGroup.fromLogGroupName(stack, 'T', 'trail'), logRetention: Duration.days(30) }),
      /'logRetention' value 30 days applies only to the log group this monitor creates/],
    ['createTopic with alarmTopic', (stack: Stack) => ({ alarmTopic: sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:111111111111:t'), createTopic: true }),
      /'createTopic' value true conflicts with 'alarmTopic'/],
    ['emails without a topic', () => ({ createTopic: false, allowAlarmsWithoutAction: true, emailSubscriptions: ['a@example.com'] }),
      /'emailSubscriptions' value \["a@example.com"\] needs a topic/],
    ['EventBridge without a topic', () => ({ createTopic: false, allowAlarmsWithoutAction: true, notifyOnScheduleKeyDeletion: true }),
      /'notifyOnScheduleKeyDeletion' value true needs a topic/],
    ['an email that is not one', () => ({ emailSubscriptions: ['security at example.com'] }),
      /'emailSubscriptions' entry "security at example.com" is not an email address/],
  ])('%s', (_name, props, message) => {
    expect(build(props as (stack: Stack) => KeyDeletionMonitorProps)).toThrow(message);
  });

  test('a second monitor for the same account', () => {
    const app = new App();
    new KeyDeletionMonitor(new Stack(app, 'One', { env: ENV }), 'Monitor');
    expect(() => new KeyDeletionMonitor(new Stack(app, 'Two', { env: ENV }), 'Monitor')).toThrow(
      /Two\/Monitor: a KeyDeletionMonitor already watches this account: One\/Monitor/);
  });

  test('monitorDeletion props when a monitor exists already', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    new KeyDeletionMonitor(stack, 'Monitor');
    const key = new CustomerManagedKey(stack, 'Key');
    expect(() => key.monitorDeletion(undefined, { period: Duration.minutes(1) })).toThrow(
      /Stack\/Key: 'props' cannot configure the KeyDeletionMonitor at Stack\/Monitor/);
  });
});
