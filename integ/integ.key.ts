/**
 * CustomerManagedKey, deployed: a symmetric key with an alias, rotation and the role model.
 * The access matrix (integ/support/matrices/key.ts) runs as the key's user and admin roles and
 * as a role with `kms:*` in its identity policy: round trips, and refusals both ways.
 *
 * Real AWS: npm run integ:aws -- key (with credentials; README, "Integration tests").
 * Locally, `npm test` deploys the test-case stack to moto (test/integ-local/key.test.ts).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, RemovalPolicy, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { CustomerManagedKey } from '../src';
import { expectAccessMatrix } from './support/access-checks';
import { KEY_MATRIX } from './support/matrices/key';

const ALIAS = 'alias/cdk-kms-patterns/integ/key';
const ROTATION_DAYS = 180;

const app = new App();
const stack = new Stack(app, 'KmsPatternsKeyInteg');
const key = new CustomerManagedKey(stack, 'Key', {
  description: 'cdk-kms-patterns integration test key',
  aliases: [ALIAS],
  rotationPeriod: Duration.days(ROTATION_DAYS),
  // A test key goes away with its stack, after the shortest pending window.
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});
new CfnOutput(stack, 'KeyArn', { value: key.keyArn });
new CfnOutput(stack, 'KeyId', { value: key.keyId });
new CfnOutput(stack, 'AliasName', { value: ALIAS });
new CfnOutput(stack, 'RotationPeriodInDays', { value: String(ROTATION_DAYS) });
// A role whose identity policy allows every KMS action: the key policy must still refuse it use.
// Inline in the role, so that no separate AWS::IAM::Policy outlives it on the way down.
const kmsWildcard = new iam.Role(stack, 'KmsWildcardRole', {
  assumedBy: new iam.AccountRootPrincipal(),
  inlinePolicies: { EveryKmsAction: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] })] }) },
});
const roles = { user: key.userRole!, admin: key.adminRole!, kmsWildcard };
Object.entries(roles).forEach(([name, role]) => new CfnOutput(stack, `${name}RoleArn`, { value: role.roleArn }));

const assertionStack = new Stack(app, 'KmsPatternsKeyIntegAssertions');
const integ = new IntegTest(app, 'KeyInteg', { testCases: [stack], assertionStack });

integ.assertions.awsApiCall('KMS', 'describeKey', { KeyId: ALIAS }).expect(ExpectedResult.objectLike({
  KeyMetadata: { KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', MultiRegion: false },
}));
integ.assertions.awsApiCall('KMS', 'getKeyRotationStatus', { KeyId: key.keyId }).expect(ExpectedResult.objectLike({
  KeyRotationEnabled: true,
  RotationPeriodInDays: ROTATION_DAYS,
}));
expectAccessMatrix(integ, assertionStack, 'Key', KEY_MATRIX, { roles, keys: { key: { arn: key.keyArn, region: stack.region } } });

app.synth();
