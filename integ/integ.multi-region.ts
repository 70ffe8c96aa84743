/**
 * Multi-Region keys, deployed: a primary in one Region, its replica in another, and the access
 * matrix (integ/support/matrices/multi-region.ts) as the key's user and admin roles: ciphertext
 * made in either Region decrypts in the other, and the admin is refused Decrypt in both.
 *
 * Regions come from optional context: -c primaryRegion=eu-west-1 -c replicaRegion=eu-central-1.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CustomerManagedKey } from '../src';
import { expectAccessMatrix } from './support/access-checks';
import { MULTI_REGION_MATRIX } from './support/matrices/multi-region';

const ALIAS = 'alias/cdk-kms-patterns/integ/multi-region';

const app = new App();
const primaryRegion: string = app.node.tryGetContext('primaryRegion') ?? 'eu-west-1';
const replicaRegion: string = app.node.tryGetContext('replicaRegion') ?? 'eu-central-1';
const account = process.env.CDK_DEFAULT_ACCOUNT;
// Test keys go away with their stacks, after the shortest pending window.
const disposable = { removalPolicy: RemovalPolicy.DESTROY, pendingWindow: Duration.days(7) };

const primaryStack = new Stack(app, 'KmsPatternsMultiRegionPrimary', { env: { account, region: primaryRegion } });
const primary = new CustomerManagedKey(primaryStack, 'Key', {
  description: 'cdk-kms-patterns multi-Region integration test primary',
  multiRegion: true,
  aliases: [ALIAS],
  ...disposable,
});
new CfnOutput(primaryStack, 'PrimaryKeyArn', { value: primary.keyArn });
new CfnOutput(primaryStack, 'PrimaryAliasName', { value: ALIAS });
const roles = { user: primary.userRole!, admin: primary.adminRole! };
Object.entries(roles).forEach(([name, role]) => new CfnOutput(primaryStack, `${name}RoleArn`, { value: role.roleArn }));

// crossRegionReferences: required by older aws-cdk-lib releases for the primary's ARN.
const replicaStack = new Stack(app, 'KmsPatternsMultiRegionReplica', { env: { account, region: replicaRegion }, crossRegionReferences: true });
const replica = primary.addReplica(replicaStack, 'Key', disposable);
new CfnOutput(replicaStack, 'ReplicaKeyArn', { value: replica.keyArn });
new CfnOutput(replicaStack, 'ReplicaAliasName', { value: ALIAS });
new CfnOutput(replicaStack, 'ReplicaRegion', { value: replicaRegion });

const assertionStack = new Stack(app, 'KmsPatternsMultiRegionAssertions', { env: { account, region: primaryRegion }, crossRegionReferences: true });
const integ = new IntegTest(app, 'MultiRegionInteg', { testCases: [primaryStack, replicaStack], assertionStack });

integ.assertions.awsApiCall('KMS', 'describeKey', { KeyId: primary.keyArn }).expect(ExpectedResult.objectLike({
  KeyMetadata: {
    MultiRegion: true,
    MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', ReplicaKeys: Match.arrayWith([Match.objectLike({ Region: replicaRegion })]) },
  },
}));
expectAccessMatrix(integ, assertionStack, 'MultiRegion', MULTI_REGION_MATRIX, {
  roles,
  keys: { primary: { arn: primary.keyArn, region: primaryRegion }, replica: { arn: replica.keyArn, region: replicaRegion } },
});

app.synth();
