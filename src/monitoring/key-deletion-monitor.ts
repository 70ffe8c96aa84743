import {
  Annotations, Duration, Names, aws_cloudtrail as cloudtrail, aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cloudwatchActions, aws_events as events, aws_events_targets as targets,
  aws_kms as kms, aws_logs as logs, aws_s3 as s3, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { fail } from '../errors';
import { KeyDeletionFilterPatterns } from '../shared/filter-patterns';
import { createAlarmTopic, subscribeEmails } from './private/alarm-topic';
import { filterWithAlarm } from './private/filter-alarm';
import { keyArnSeenFrom } from './private/key-arn';
import { disableOrScheduleDeletionOfKey, pendingDeletionUseOfKey } from './private/key-scoped-patterns';
import { MonitorRegistry } from './private/registry';
import { createTrail } from './private/trail';
import { alarmPeriodSeconds, logRetentionDays, requireSameRegion } from './private/validation';
import { CustomerManagedKey } from '../key/customer-managed-key';

/** Properties of a {@link KeyDeletionMonitor}. */
export interface KeyDeletionMonitorProps {
  /**
   * The log group an existing CloudTrail trail delivers management events to. It must be in
   * this stack's Region. `logRetention` does not apply to it.
   *
   * @default - a new multi-Region trail with log file validation, an S3 bucket and a log group
   * encrypted with a customer managed key
   */
  readonly trailLogGroup?: logs.ILogGroup;

  /**
   * How long the log group this monitor creates keeps trail events. CloudWatch Logs accepts
   * 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
   * 2922, 3288 or 3653 days. The trail's S3 bucket keeps every event regardless.
   *
   * @default Duration.days(365)
   */
  readonly logRetention?: Duration;

  /**
   * The alarm period: a multiple of one minute, up to 7 days.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * The topic the alarms notify. If it is encrypted, its key policy must let
   * cloudwatch.amazonaws.com use the key.
   *
   * @default - a new topic encrypted with a customer managed key (unless `createTopic` is false)
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Whether to create the alarm topic when `alarmTopic` is not given.
   *
   * @default - true when `alarmTopic` is not given
   */
  readonly createTopic?: boolean;

  /**
   * Email addresses to subscribe to the alarm topic. Each must confirm the subscription.
   *
   * @default - no subscriptions; subscribe to `topic` yourself
   */
  readonly emailSubscriptions?: string[];

  /**
   * Allows alarms with no action, when `createTopic` is false and no `alarmTopic` is given.
   * Such alarms only change state in the console; nobody is told.
   *
   * @default false
   */
  readonly allowAlarmsWithoutAction?: boolean;

  /**
   * Keys that get alarms of their own, filtering on the key ARN, besides the account-wide
   * alarms. More can be added with `addKey` or `key.monitorDeletion()`.
   *
   * @default - account-wide alarms only
   */
  readonly keys?: kms.IKey[];

  /**
   * Whether an EventBridge rule also sends every ScheduleKeyDeletion to the topic at once,
   * without waiting for the alarm period. It needs a topic.
   *
   * @default false
   */
  readonly notifyOnScheduleKeyDeletion?: boolean;
}

/** The alarms of one key watched by a {@link KeyDeletionMonitor}. */
export interface KeyDeletionAlarms {
  /** Fires when the key is used while pending deletion. */
  readonly pendingDeletionUse: cloudwatch.Alarm;
  /** Fires on DisableKey or ScheduleKeyDeletion of the key. */
  readonly disableOrScheduleDeletion: cloudwatch.Alarm;
}

const registry = new MonitorRegistry<KeyDeletionMonitor>();

/**
 * Alarms on use of KMS keys pending deletion and on DisableKey / ScheduleKeyDeletion, from
 * CloudTrail events in CloudWatch Logs (KMS Developer Guide; Security Hub CloudWatch.7, CIS 4.7).
 *
 * Create one per account (platform teams: in the account's baseline stack) and let keys of any
 * Region register with `key.monitorDeletion()` or `addKey`: its trail is multi-Region, so one
 * trail and one pair of account-wide alarms cover every Region, and a key of another Region gets
 * its per-key alarms here, in the monitor's Region. The account-wide filter patterns are
 * exactly the published ones, so Security Hub recognizes them; per-key alarms are extra filters.
 */
export class KeyDeletionMonitor extends Construct {
  /** The monitor of the account of `scope` in this app, whatever its Region, if one exists. */
  public static of(scope: IConstruct): KeyDeletionMonitor | undefined {
    return registry.find(scope);
  }

  /**
   * `key.monitorDeletion()`: the existing monitor of the key's account, or a new
   * one in `scope` (default: the key's stack), watching the key.
   * @internal
   */
  public static _attach(key: kms.IKey, scope?: Construct, props?: KeyDeletionMonitorProps): KeyDeletionMonitor {
    const existing = KeyDeletionMonitor.of(scope ?? key);
    if (existing && props) {
      fail(key, `'props' cannot configure the KeyDeletionMonitor at ${existing.node.path}, which already watches this account. Allowed: call monitorDeletion() without props, or configure that monitor where it is created`);
    }
    const monitor = existing ?? new KeyDeletionMonitor(scope ?? key.stack, 'KeyDeletionMonitor', props);
    monitor.addKey(key);
    return monitor;
  }

  /** The log group the filters read. */
  public readonly logGroup: logs.ILogGroup;
  /** The trail this monitor created, if it created one. */
  public readonly trail?: cloudtrail.Trail;
  /** The bucket of the trail this monitor created, if it created one. */
  public readonly trailBucket?: s3.IBucket;
  /** The topic the alarms notify, if any. */
  public readonly topic?: sns.ITopic;
  /** The key of the log group and topic this monitor created, if it created either. */
  public readonly key?: CustomerManagedKey;
  /** Account-wide: any key of the account used while pending deletion. */
  public readonly pendingDeletionUseAlarm: cloudwatch.Alarm;
  /** Account-wide: any DisableKey or ScheduleKeyDeletion (Security Hub CloudWatch.7). */
  public readonly disableOrScheduleDeletionAlarm: cloudwatch.Alarm;

  private readonly period: Duration;
  private readonly alarmActions: cloudwatch.IAlarmAction[];
  private readonly watched = new Map<string, KeyDeletionAlarms>();

  constructor(scope: Construct, id: string, props: KeyDeletionMonitorProps = {}) {
    super(scope, id);
    const existing = registry.register(this);
    if (existing) {
      fail(this, `a KeyDeletionMonitor already watches this account: ${existing.node.path}. Its trail is multi-Region: a second monitor would add a second trail and make every alarm fire twice. Allowed: one monitor per account; register keys of any Region with it (monitor.addKey(key) or key.monitorDeletion())`);
    }
    this.period = Duration.seconds(alarmPeriodSeconds(this, props.period ?? Duration.minutes(5)));
    const createTopic = this.resolveCreateTopic(props);

    if (!props.trailLogGroup || createTopic) {
      this.key = new CustomerManagedKey(this, 'Key', {
        description: 'Encrypts the KMS key deletion monitor: trail log group and alarm topic',
        createRoles: false,
      });
    }

    if (props.trailLogGroup) {
      if (props.logRetention) {
        fail(this, `'logRetention' value ${props.logRetention.toDays()} days applies only to the log group this monitor creates. Allowed: leave it unset with 'trailLogGroup'`);
      }
      requireSameRegion(this, props.trailLogGroup);
      this.logGroup = props.trailLogGroup;
    } else {
      const retention = logRetentionDays(this, props.logRetention ?? Duration.days(365));
      const created = createTrail(this, this.key!, retention);
      this.logGroup = created.logGroup;
      this.trail = created.trail;
      this.trailBucket = created.bucket;
    }

    this.topic = createTopic ? createAlarmTopic(this, this.key!) : props.alarmTopic;
    this.alarmActions = this.topic ? [new cloudwatchActions.SnsAction(this.topic)] : [];
    if (this.topic) {
      subscribeEmails(this, this.topic, props.emailSubscriptions ?? []);
    }
    if (createTopic && (props.emailSubscriptions ?? []).length === 0) {
      Annotations.of(this).addWarningV2('cdk-kms-patterns:monitorWithoutSubscribers',
        'The alarm topic has no subscriptions: subscribe to monitor.topic or set emailSubscriptions, or nobody hears of a key pending deletion');
    }

    this.pendingDeletionUseAlarm = this.alarmFor(this, 'PendingDeletionUse',
      KeyDeletionFilterPatterns.PENDING_DELETION_USE, KeyDeletionFilterPatterns.PENDING_DELETION_USE_METRIC,
      'A KMS key pending deletion was used: something still needs it. Find the key in the CloudTrail errorMessage and consider CancelKeyDeletion.');
    this.disableOrScheduleDeletionAlarm = this.alarmFor(this, 'DisableOrScheduleDeletion',
      KeyDeletionFilterPatterns.DISABLE_OR_SCHEDULE_DELETION, KeyDeletionFilterPatterns.DISABLE_OR_SCHEDULE_DELETION_METRIC,
      'A KMS key was disabled or scheduled for deletion (Security Hub CloudWatch.7). Check the CloudTrail event and whether it was intended.');

    if (props.notifyOnScheduleKeyDeletion) {
      this.addScheduleKeyDeletionRule();
    }
    (props.keys ?? []).forEach((key) => this.addKey(key));
  }

  /**
   * Adds alarms for one key, filtering on its ARN, beside the account-wide alarms. A key of
   * another Region gets them here too (the trail is multi-Region). Adding the same key again
   * returns its existing alarms.
   */
  public addKey(key: kms.IKey): KeyDeletionAlarms {
    const id = `Key${Names.nodeUniqueId(key.node)}`;
    const known = this.watched.get(id);
    if (known) { return known; }
    const scope = new Construct(this, id);
    const watchedKey = keyArnSeenFrom(this, key);
    const alarms: KeyDeletionAlarms = {
      pendingDeletionUse: this.alarmFor(scope, 'PendingDeletionUse', pendingDeletionUseOfKey(watchedKey.arn),
        `${KeyDeletionFilterPatterns.PENDING_DELETION_USE_METRIC}-${watchedKey.metricSuffix}`, `KMS key ${key.node.path} was used while pending deletion: something still needs it. Consider CancelKeyDeletion.`),
      disableOrScheduleDeletion: this.alarmFor(scope, 'DisableOrScheduleDeletion', disableOrScheduleDeletionOfKey(watchedKey.arn),
        `${KeyDeletionFilterPatterns.DISABLE_OR_SCHEDULE_DELETION_METRIC}-${watchedKey.metricSuffix}`, `KMS key ${key.node.path} was disabled or scheduled for deletion.`),
    };
    this.watched.set(id, alarms);
    return alarms;
  }

  /** A metric filter on the trail log group and its alarm, notifying this monitor's topic. */
  private alarmFor(scope: Construct, id: string, filterPattern: string, metricName: string, description: string): cloudwatch.Alarm {
    return filterWithAlarm(scope, id, {
      logGroup: this.logGroup, filterPattern, metricName, period: this.period, description, actions: this.alarmActions,
    });
  }

  private resolveCreateTopic(props: KeyDeletionMonitorProps): boolean {
    if (props.alarmTopic && props.createTopic) {
      fail(this, "'createTopic' value true conflicts with 'alarmTopic'. Allowed: pass alarmTopic, or set createTopic true, not both");
    }
    const createTopic = props.createTopic ?? !props.alarmTopic;
    const hasTopic = createTopic || !!props.alarmTopic;
    if (!hasTopic && !props.allowAlarmsWithoutAction) {
      fail(this, "'createTopic' value false with no 'alarmTopic' leaves the alarms without an action: nobody would hear of a key pending deletion. Allowed: pass alarmTopic, leave createTopic unset, or set allowAlarmsWithoutAction true");
    }
    if (!hasTopic && (props.emailSubscriptions ?? []).length > 0) {
      fail(this, `'emailSubscriptions' value ${JSON.stringify(props.emailSubscriptions)} needs a topic. Allowed: leave createTopic unset, or pass alarmTopic`);
    }
    if (!hasTopic && props.notifyOnScheduleKeyDeletion) {
      fail(this, "'notifyOnScheduleKeyDeletion' value true needs a topic. Allowed: leave createTopic unset, or pass alarmTopic");
    }
    return createTopic;
  }

  /**
   * EventBridge delivers ScheduleKeyDeletion within seconds. The rule publishes through a role,
   * so the topic key grants a named role rather than the EventBridge service.
   */
  private addScheduleKeyDeletionRule(): void {
    const rule = new events.Rule(this, 'ScheduleKeyDeletionRule', {
      description: 'Notifies the KMS key deletion topic of every ScheduleKeyDeletion at once',
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['kms.amazonaws.com'], eventName: ['ScheduleKeyDeletion'] },
      },
    });
    rule.addTarget(new targets.SnsTopic(this.topic!, { authorizeUsingRole: true }));
  }
}
