import { ArnFormat, Stack, aws_iam as iam } from 'aws-cdk-lib';
import * as actions from '../../shared/actions';

/**
 * Key policy statements that let AWS services use the monitor's key, each scoped by conditions
 * so the service can use it only for this account's resources.
 */

/** CloudWatch Logs encrypts the trail log group; scoped to log groups of this account and Region. */
export function logsEncryptionStatement(stack: Stack): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsEncryption',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
    actions: [...actions.ENCRYPT_ACTIONS, ...actions.DECRYPT_ACTIONS, ...actions.SHARED_READ_ACTIONS],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  });
}

/**
 * CloudWatch alarms publish to the encrypted topic: SNS then asks KMS for a data key on
 * CloudWatch's behalf, with the topic ARN as encryption context.
 */
export function cloudWatchPublishStatement(stack: Stack, topicArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: [...actions.DECRYPT_ACTIONS, 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: {
      StringEquals: {
        'aws:SourceAccount': stack.account,
        'kms:EncryptionContext:aws:sns:topicArn': topicArn,
      },
    },
  });
}
