import { App, Stack } from 'aws-cdk-lib';

/** The one account of the multi-Region test apps. */
export const ACCOUNT = '111111111111';

/** A multi-Region primary managed outside the app, in eu-west-1. */
export const PRIMARY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;

/** A primary stack in eu-west-1 and a replica stack in eu-central-1, one account. */
export function twoRegionStacks() {
  const app = new App();
  const primaryStack = new Stack(app, 'Primary', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const replicaStack = new Stack(app, 'Replica', { env: { account: ACCOUNT, region: 'eu-central-1' } });
  return { app, primaryStack, replicaStack };
}
