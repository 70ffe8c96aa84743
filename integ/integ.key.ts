/**
 * CustomerManagedKey, deployed: a symmetric key with an alias, rotation and the role model.
 *
 * Real AWS: npm run integ:aws -- key (with credentials; README, "Integration tests").
 * Locally, `npm test` deploys the test-case stack to moto (test/integ-local/key.test.ts).
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CustomerManagedKey } from '../src';
import { EXPECTED_CHECKS_RESULT, keyChecksFunction, keyUserFunctionRole } from './support/key-checks-function';

const ALIAS = 'alias/cdk-kms-patterns/integ/key';
const ROTATION_DAYS = 180;

const app = new App();
const stack = new Stack(app, 'KmsPatternsKeyInteg');
const checksRole = keyUserFunctionRole(stack, 'ChecksRole');
const key = new CustomerManagedKey(stack, 'Key', {
  description: 'cdk-kms-patterns integration test key',
  aliases: [ALIAS],
  userRole: checksRole,
  rotationPeriod: Duration.days(ROTATION_DAYS),
  // A test key goes away with its stack, after the shortest pending window.
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});
new CfnOutput(stack, 'KeyArn', { value: key.keyArn });
new CfnOutput(stack, 'KeyId', { value: key.keyId });
new CfnOutput(stack, 'AliasName', { value: ALIAS });
new CfnOutput(stack, 'RotationPeriodInDays', { value: String(ROTATION_DAYS) });

const assertionStack = new Stack(app, 'KmsPatternsKeyIntegAssertions');
const integ = new IntegTest(app, 'KeyInteg', { testCases: [stack], assertionStack });

integ.assertions.awsApiCall('KMS', 'describeKey', { KeyId: ALIAS }).expect(ExpectedResult.objectLike({
  KeyMetadata: { KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', MultiRegion: false },
}));
integ.assertions.awsApiCall('KMS', 'getKeyRotationStatus', { KeyId: key.keyId }).expect(ExpectedResult.objectLike({
  KeyRotationEnabled: true,
  RotationPeriodInDays: ROTATION_DAYS,
}));
// GenerateDataKey then Decrypt with the encryption context, Encrypt/Decrypt, and a wrong context rejected.
const checks = keyChecksFunction(assertionStack, 'KeyChecks', checksRole);
integ.assertions.invokeFunction({ functionName: checks.functionName, payload: JSON.stringify({ keyId: key.keyArn }) })
  .expect(ExpectedResult.objectLike({ Payload: Match.serializedJson(EXPECTED_CHECKS_RESULT) }));

app.synth();
