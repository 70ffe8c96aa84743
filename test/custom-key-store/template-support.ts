import { App, Stack, aws_secretsmanager as secretsmanager, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export const CLUSTER_ID = 'cluster-abcdefghijk';
export const TRUST_ANCHOR = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBszCCAVmgAwIBAgIUXyZ0dGVzdC10cnVzdC1hbmNob3ItY2VydDAKBggqhkjO',
  'PQQDAjAXMRUwEwYDVQQDDAxjdXN0b21lckNBMB4XDTI2MDEwMTAwMDAwMFoXDTM2',
  '-----END CERTIFICATE-----',
].join('\n');

export function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** A kmsuser password secret, as a user would create it (rotation is theirs to decide). */
export function passwordSecret(stack: Stack): secretsmanager.ISecret {
  const secret = new secretsmanager.Secret(stack, 'KmsUserPassword', { generateSecretString: { passwordLength: 32, excludePunctuation: true } });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: 'The kmsuser password rotates with the cluster, not with a Lambda; the test secret stands in for the user\'s.' });
  return secret;
}

/** The template with asset hashes replaced, for snapshots that survive handler edits. */
export function normalized(template: Template): unknown {
  return JSON.parse(JSON.stringify(template.toJSON()).replace(/[0-9a-f]{64}(\.zip)?/g, 'ASSET_HASH$1'));
}
