import { Stack, Token, TokenComparison, aws_kms as kms } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../../errors';
import { ReplicaKey } from '../../key/replica-key';

/** How a monitor's filters name one key: its ARN and a metric name suffix unique to it. */
export interface WatchedKey {
  readonly arn: string;
  readonly metricSuffix: string;
}

/**
 * The key as the monitor's stack can name it. A key of the monitor's Region is named as it is.
 * A key of another Region is named without a deploy-time cross-Region value where possible: a
 * replica whose primary is in the monitor's stack has the primary's key id (multi-Region keys
 * share it) in its own Region. Other keys need the monitor's stack to accept cross-Region
 * references. The suffix carries the Region, since a primary and its replicas share a key id.
 */
export function keyArnSeenFrom(monitor: IConstruct, key: kms.IKey): WatchedKey {
  const here = Stack.of(monitor);
  const home = Stack.of(key);
  if (Token.compareStrings(here.region, home.region) !== TokenComparison.DIFFERENT) {
    return { arn: key.keyArn, metricSuffix: key.keyId };
  }
  const primary = key instanceof ReplicaKey ? key._primaryKey : undefined;
  if (primary && Stack.of(primary) === here) {
    return {
      arn: here.formatArn({ service: 'kms', region: home.region, resource: 'key', resourceName: primary.keyId }),
      metricSuffix: `${home.region}-${primary.keyId}`,
    };
  }
  if (!(here as unknown as { _crossRegionReferences?: boolean })._crossRegionReferences) {
    fail(monitor, `key ${key.node.path} is in Region ${home.region}; this account's monitor is in ${here.region}, where its per-key alarms go. Their filters name the key's ARN, which a stack of another Region can pass only as a cross-Region reference. Allowed: crossRegionReferences: true on stack ${here.node.path}, a replica whose primary key is in that stack, or no per-key alarms for this key (the account-wide alarms cover it)`);
  }
  return { arn: key.keyArn, metricSuffix: `${home.region}-${key.keyId}` };
}
