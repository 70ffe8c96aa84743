import { ArnFormat, Names, Stack, aws_iam as iam, aws_kms as kms, aws_sns as sns, aws_sns_subscriptions as subscriptions } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { cloudWatchPublishStatement } from './key-statements';
import { fail } from '../../errors';

/** The longest topic name SNS accepts. */
const TOPIC_NAME_MAX = 256;

/**
 * The alarm topic: encrypted with the monitor's key, TLS only, and publishable by CloudWatch
 * alarms of this account only.
 *
 * The topic has an explicit name so the key policy can name its ARN in the encryption context
 * condition without a reference cycle (the topic already refers to the key).
 */
export function createAlarmTopic(scope: Construct, key: kms.IKey): sns.Topic {
  const stack = Stack.of(scope);
  // SNS allows 256 characters; uniqueResourceName shortens long paths and keeps a hash of the full one.
  const suffix = '-Topic';
  const topicName = Names.uniqueResourceName(scope, { maxLength: TOPIC_NAME_MAX - suffix.length, separator: '-' }) + suffix;
  const topicArn = stack.formatArn({ service: 'sns', resource: topicName });
  key.addToResourcePolicy(cloudWatchPublishStatement(stack, topicArn));

  const topic = new sns.Topic(scope, 'Topic', {
    topicName,
    displayName: 'KMS key deletion alarms',
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
  return topic;
}

/** Subscribes each address to the topic after a basic shape check. */
export function subscribeEmails(scope: Construct, topic: sns.ITopic, emails: readonly string[]): void {
  for (const email of emails) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      fail(scope, `'emailSubscriptions' entry ${JSON.stringify(email)} is not an email address. Allowed: addresses like security@example.com`);
    }
    topic.addSubscription(new subscriptions.EmailSubscription(email));
  }
}
