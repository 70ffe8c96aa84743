import { App, Duration, Stack, aws_logs as logs, aws_s3 as s3, aws_sns as sns } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { CustomerManagedKey, KeyDeletionFilterPatterns, KeyDeletionMonitor, KeyDeletionMonitorProps } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function build(props: KeyDeletionMonitorProps = { emailSubscriptions: ['security@example.com'] }) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const monitor = new KeyDeletionMonitor(stack, 'Monitor', props);
  return { app, stack, monitor, template: Template.fromStack(stack) };
}

function onlyResource(template: Template, type: string): any {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

function keyStatement(template: Template, sid: string): any {
  const statement = onlyResource(template, 'AWS::KMS::Key').Properties.KeyPolicy.Statement.find((s: any) => s.Sid === sid);
  if (!statement) { throw new Error(`no key policy statement ${sid}`); }
  return statement;
}

function filterByPattern(template: Template, pattern: string): any {
  const found = Object.values(template.findResources('AWS::Logs::MetricFilter', { Properties: { FilterPattern: pattern } }));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('KeyDeletionMonitor defaults', () => {
  const { app, stack, template } = build();

  test('a multi-Region trail of all management events with log file validation, delivered to the log group', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      IsLogging: true,
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorLogGroup'), 'Arn'] },
      S3BucketName: { Ref: Match.stringLikeRegexp('^MonitorTrailBucket') },
    });
  });

  test('the trail bucket is encrypted, private, versioned, TLS-only, access-logged and retained', () => {
    const [trailBucket] = Object.entries(template.findResources('AWS::S3::Bucket')).filter(([id]) => /^MonitorTrailBucket/.test(id));
    expect(trailBucket[1]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^MonitorTrailAccessLogsBucket/) }, LogFilePrefix: 'trail-bucket/' },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: trailBucket[0] },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('access logs reach their bucket through a bucket policy scoped to the trail bucket, not ACLs', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowServerAccessLogDelivery',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorTrailBucket'), 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
        })]),
      },
    });
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.AccessControl).toBeUndefined();
    }
  });

  test('the log group is encrypted with the monitor key, keeps a year and is retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorKey'), 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  test.each([
    [KeyDeletionFilterPatterns.PENDING_DELETION_USE, 'KMSKeyPendingDeletionErrorCount'],
    [KeyDeletionFilterPatterns.DISABLE_OR_SCHEDULE_DELETION, 'KMSKeyDisabledOrScheduledForDeletionCount'],
  ])('metric filter %s publishes 1 to CloudTrailLogMetrics/%s', (pattern, metricName) => {
    const filter = filterByPattern(template, pattern);
    expect(filter.Properties.FilterPattern).toBe(pattern);
    expect(filter.Properties.MetricTransformations).toEqual([{ MetricNamespace: 'CloudTrailLogMetrics', MetricName: metricName, MetricValue: '1' }]);
    expect(filter.Properties.LogGroupName).toEqual({ Ref: expect.stringMatching(/^MonitorLogGroup/) });
  });

  test.each(['KMSKeyPendingDeletionErrorCount', 'KMSKeyDisabledOrScheduledForDeletionCount'])('alarm on %s: >= 1 in one 5-minute period, missing data not breaching, notifies the topic', (metricName) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CloudTrailLogMetrics',
      MetricName: metricName,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitorTopic') }],
    });
  });

  test('the topic is encrypted with the monitor key and has the email subscription', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'security@example.com' });
  });

  test('the topic policy denies publishing without TLS and lets only this account\'s alarms publish', () => {
    const statements = onlyResource(template, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Sid: 'AllowCloudWatchAlarmsToPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111111111111' },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:eu-west-1:111111111111:alarm:*']] } },
        },
      }),
    ]);
  });

  test('the topic key lets CloudWatch use it only for this topic, on behalf of this account', () => {
    const topicName = onlyResource(template, 'AWS::SNS::Topic').Properties.TopicName;
    expect(keyStatement(template, 'AllowCloudWatchAlarmsToPublish')).toEqual({
      Sid: 'AllowCloudWatchAlarmsToPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:SourceAccount': '111111111111',
          'kms:EncryptionContext:aws:sns:topicArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:eu-west-1:111111111111:${topicName}`]] },
        },
      },
    });
  });

  test('the key lets CloudWatch Logs use it only for log groups of this account and Region, without wildcards', () => {
    const statement = keyStatement(template, 'AllowCloudWatchLogsEncryption');
    expect(statement.Principal).toEqual({ Service: { 'Fn::Join': ['', ['logs.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] } });
    expect([...statement.Action].sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey',
      'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo']);
    expect(statement.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:111111111111:log-group:*']] } },
    });
  });

  test('the monitor key is a retained CustomerManagedKey that names services, not roles of its own', () => {
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    keyStatement(template, 'AccountAdministration');
    const sids = onlyResource(template, 'AWS::KMS::Key').Properties.KeyPolicy.Statement.map((s: any) => s.Sid);
    expect(sids).not.toContain('KeyAdministration');
    expect(sids).not.toContain('KeyUsage');
  });

  test('no EventBridge rule unless asked for', () => {
    template.resourceCountIs('AWS::Events::Rule', 0);
  });

  test('AwsSolutionsChecks finds nothing', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });

  test('snapshot', () => {
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});

test('the nag check is live: it reports a bucket that lacks what the trail bucket has', () => {
  const app = new App();
  new s3.Bucket(new Stack(app, 'Bad', { env: ENV }), 'Plain');
  expect(new AwsSolutionsChecks().validateScope(app).violations.length).toBeGreaterThan(0);
});

test('a topic without subscriptions is allowed with a warning', () => {
  const { stack } = build({});
  Annotations.fromStack(stack).hasWarning('/Stack/Monitor', Match.stringLikeRegexp('no subscriptions'));
});

describe('with an existing trail log group and topic', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const logGroup = logs.LogGroup.fromLogGroupName(stack, 'OrgTrail', 'aws-controltower/CloudTrailLogs');
  const topic = sns.Topic.fromTopicArn(stack, 'SecurityTopic', 'arn:aws:sns:eu-west-1:111111111111:security-alerts');
  new KeyDeletionMonitor(stack, 'Monitor', { trailLogGroup: logGroup, alarmTopic: topic, period: Duration.minutes(1) });
  const template = Template.fromStack(stack);

  test('creates no trail, bucket, log group, key or topic', () => {
    for (const type of ['AWS::CloudTrail::Trail', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::SNS::Topic']) {
      template.resourceCountIs(type, 0);
    }
  });

  test('filters read the given log group; alarms notify the given topic every minute', () => {
    filterByPattern(template, KeyDeletionFilterPatterns.PENDING_DELETION_USE);
    template.allResourcesProperties('AWS::Logs::MetricFilter', { LogGroupName: 'aws-controltower/CloudTrailLogs' });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:eu-west-1:111111111111:security-alerts'], Period: 60 });
  });

  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('per-key alarms', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const key = new CustomerManagedKey(stack, 'DataKey');
  const monitor = new KeyDeletionMonitor(stack, 'Monitor', { keys: [key], emailSubscriptions: ['security@example.com'] });
  const template = Template.fromStack(stack);

  test('are separate filters: the account-wide patterns stay exactly as published', () => {
    template.resourceCountIs('AWS::Logs::MetricFilter', 4);
    filterByPattern(template, KeyDeletionFilterPatterns.PENDING_DELETION_USE);
    filterByPattern(template, KeyDeletionFilterPatterns.DISABLE_OR_SCHEDULE_DELETION);
  });

  test.each([
    ['{ $.eventSource = kms* && $.errorMessage = "', ' is pending deletion."}', 'KMSKeyPendingDeletionErrorCount-'],
    ['{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) && ($.resources[0].ARN="', '")}', 'KMSKeyDisabledOrScheduledForDeletionCount-'],
  ])('filter on the key ARN: %s<arn>%s into metric %s<key id>', (before, after, metricPrefix) => {
    const keyArn = { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] };
    const keyId = { Ref: expect.stringMatching(/^DataKey/) };
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).filter((f: any) => f.Properties.FilterPattern['Fn::Join']);
    expect(filters.map((f: any) => f.Properties)).toContainEqual(expect.objectContaining({
      FilterPattern: { 'Fn::Join': ['', [before, keyArn, after]] },
      MetricTransformations: [{ MetricNamespace: 'CloudTrailLogMetrics', MetricName: { 'Fn::Join': ['', [metricPrefix, keyId]] }, MetricValue: '1' }],
    }));
  });

  test('adding the same key again returns the same alarms', () => {
    const first = monitor.addKey(key);
    expect(monitor.addKey(key)).toBe(first);
  });
});

describe('EventBridge notification of ScheduleKeyDeletion', () => {
  const { app, template } = build({ emailSubscriptions: ['security@example.com'], notifyOnScheduleKeyDeletion: true });

  test('a rule on ScheduleKeyDeletion CloudTrail events targets the topic through a role', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.kms'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': { eventSource: ['kms.amazonaws.com'], eventName: ['ScheduleKeyDeletion'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^MonitorTopic') }, RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('EventsRole'), 'Arn'] } })],
    });
  });

  test('the topic key names that role, not the EventBridge service', () => {
    const statements = onlyResource(template, 'AWS::KMS::Key').Properties.KeyPolicy.Statement;
    expect(JSON.stringify(statements)).not.toContain('events.amazonaws.com');
    expect(statements).toContainEqual(expect.objectContaining({
      Principal: { AWS: { 'Fn::GetAtt': [expect.stringMatching(/EventsRole/), 'Arn'] } },
      Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']),
    }));
  });

  test('AwsSolutionsChecks finds nothing', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});

test('alarms without an action only with the explicit opt-out', () => {
  const { template } = build({ createTopic: false, allowAlarmsWithoutAction: true });
  template.resourceCountIs('AWS::SNS::Topic', 0);
  for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
    expect(alarm.Properties.AlarmActions).toBeUndefined();
  }
});

describe('key.monitorDeletion()', () => {
  test('creates the monitor in the key\'s stack and watches the key', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const key = new CustomerManagedKey(stack, 'DataKey');
    const monitor = key.monitorDeletion(undefined, { emailSubscriptions: ['security@example.com'] });
    expect(monitor.node.path).toBe('Stack/KeyDeletionMonitor');
    expect(KeyDeletionMonitor.of(key)).toBe(monitor);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::MetricFilter', 4);
  });

  test('keys of other stacks in the same account and Region register with the platform monitor', () => {
    const app = new App();
    const platform = new Stack(app, 'Platform', { env: ENV });
    const monitor = new KeyDeletionMonitor(platform, 'Monitor', { emailSubscriptions: ['security@example.com'] });
    const workload = new Stack(app, 'Workload', { env: ENV });
    const one = new CustomerManagedKey(workload, 'One');
    const two = new CustomerManagedKey(workload, 'Two');
    expect(one.monitorDeletion()).toBe(monitor);
    expect(two.monitorDeletion()).toBe(monitor);
    Template.fromStack(platform).resourceCountIs('AWS::Logs::MetricFilter', 6);
    Template.fromStack(workload).resourceCountIs('AWS::CloudTrail::Trail', 0);
  });

});

describe('one monitor per account, however many Regions have keys', () => {
  function twoRegions(virginiaProps: { crossRegionReferences?: boolean } = {}, irelandProps: { crossRegionReferences?: boolean } = {}) {
    const app = new App();
    const ireland = new Stack(app, 'Ireland', { env: ENV, ...irelandProps });
    const virginia = new Stack(app, 'Virginia', { env: { ...ENV, region: 'us-east-1' }, ...virginiaProps });
    const monitor = new KeyDeletionMonitor(ireland, 'Monitor', { emailSubscriptions: ['security@example.com'] });
    return { app, ireland, virginia, monitor };
  }

  test('a replica in another Region registers with the account\'s monitor: one trail, one pair of account-wide alarms, its alarms in the monitor\'s Region', () => {
    const { app, ireland, virginia, monitor } = twoRegions();
    const primary = new CustomerManagedKey(ireland, 'Data', { multiRegion: true });
    const replica = primary.addReplica(virginia, 'Data');
    expect(primary.monitorDeletion()).toBe(monitor);
    expect(replica.monitorDeletion()).toBe(monitor);
    const assembly = app.synth();
    const trails = assembly.stacks.flatMap((stack) => Object.values(stack.template.Resources).filter((resource: any) => resource.Type === 'AWS::CloudTrail::Trail'));
    expect(trails).toHaveLength(1);
    Template.fromStack(virginia).resourceCountIs('AWS::Logs::MetricFilter', 0);
    Template.fromStack(virginia).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    const template = Template.fromStack(ireland);
    // 2 account-wide + 2 for the primary + 2 for the replica: each event counted once.
    template.resourceCountIs('AWS::Logs::MetricFilter', 6);
    filterByPattern(template, KeyDeletionFilterPatterns.PENDING_DELETION_USE);
    const primaryId = ireland.getLogicalId(primary.cfnKey);
    const replicaFilter = Object.values(template.findResources('AWS::Logs::MetricFilter'))
      .find((filter: any) => JSON.stringify(filter.Properties.FilterPattern).includes(':kms:us-east-1:') && JSON.stringify(filter.Properties.FilterPattern).includes('resources[0].ARN')) as any;
    expect(replicaFilter.Properties.FilterPattern).toEqual({
      'Fn::Join': ['', [
        expect.stringContaining('($.resources[0].ARN="arn:'), { Ref: 'AWS::Partition' }, ':kms:us-east-1:111111111111:key/', { Ref: primaryId }, '")}',
      ]],
    });
    const metricNames = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((filter: any) => JSON.stringify(filter.Properties.MetricTransformations[0].MetricName));
    expect(new Set(metricNames).size).toBe(6);
  });

  test('a second monitor in another Region of the same account is refused', () => {
    const { virginia } = twoRegions();
    expect(() => new KeyDeletionMonitor(virginia, 'Monitor')).toThrow(
      /Virginia\/Monitor: a KeyDeletionMonitor already watches this account: Ireland\/Monitor\. Its trail is multi-Region/);
  });

  test('a key of another Region that is not a replica of the monitor\'s stack needs cross-Region references, and says so', () => {
    const { virginia } = twoRegions();
    const key = new CustomerManagedKey(virginia, 'Key');
    expect(() => key.monitorDeletion()).toThrow(
      /Ireland\/Monitor: key Virginia\/Key is in Region us-east-1; this account's monitor is in eu-west-1, where its per-key alarms go\. .*Allowed: crossRegionReferences: true on stack Ireland/);
  });

  test('with cross-Region references on the monitor\'s stack, such a key gets its alarms in the monitor\'s Region', () => {
    const { ireland, virginia, monitor } = twoRegions({ crossRegionReferences: true }, { crossRegionReferences: true });
    const key = new CustomerManagedKey(virginia, 'Key');
    expect(key.monitorDeletion()).toBe(monitor);
    Template.fromStack(ireland).resourceCountIs('AWS::Logs::MetricFilter', 4);
    Template.fromStack(virginia).resourceCountIs('AWS::Logs::MetricFilter', 0);
  });

  test('a monitor on an existing trail\'s log group still takes keys of other Regions', () => {
    const app = new App();
    const ireland = new Stack(app, 'Ireland', { env: ENV });
    const virginia = new Stack(app, 'Virginia', { env: { ...ENV, region: 'us-east-1' } });
    const logGroup = logs.LogGroup.fromLogGroupName(ireland, 'Existing', 'org-trail');
    const monitor = new KeyDeletionMonitor(ireland, 'Monitor', { trailLogGroup: logGroup, emailSubscriptions: ['security@example.com'] });
    const primary = new CustomerManagedKey(ireland, 'Data', { multiRegion: true });
    expect(primary.addReplica(virginia, 'Data').monitorDeletion()).toBe(monitor);
    const template = Template.fromStack(ireland);
    template.resourceCountIs('AWS::CloudTrail::Trail', 0);
    template.resourceCountIs('AWS::Logs::MetricFilter', 4);
  });
});

describe('topic name', () => {
  // SNS topic names are at most 256 characters; deep construct paths must not push past it.
  function topicNameAt(leafId: string): string {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    let scope: Construct = stack;
    for (let level = 0; level < 6; level++) { scope = new Construct(scope, `Platform${level}${'x'.repeat(40)}`); }
    new KeyDeletionMonitor(scope, leafId);
    return onlyResource(Template.fromStack(stack), 'AWS::SNS::Topic').Properties.TopicName;
  }

  test('stays within 256 characters under a deep path, stable and unique per path', () => {
    const first = topicNameAt('MonitorA');
    expect(first.length).toBeLessThanOrEqual(256);
    expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(topicNameAt('MonitorA')).toBe(first);
    expect(topicNameAt('MonitorB')).not.toBe(first);
  });
});
