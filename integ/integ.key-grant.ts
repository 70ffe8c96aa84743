/**
 * KeyGrant, deployed: a key, a grant with an encryption context constraint to a role the key
 * policy does not name, and the grantee's round trips through the grant alone.
 *
 * Real AWS: npm run integ:aws -- key-grant (with credentials; README, "Integration tests").
 * Locally, `npm test` deploys what moto can of the test-case stack and runs the grant handler
 * against it (test/integ-local/key-grant.test.ts says what moto cannot show).
 *
 * The access matrix (integ/support/matrices/key-grant.ts) runs as the key's user and admin roles
 * and as the grantee: round trips through the grant alone, refusals outside it and both ways.
 *
 * KMS grants are eventually consistent (up to five minutes), so the grantee's checks retry.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, RemovalPolicy, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { CustomerManagedKey, GrantOperation } from '../src';
import { expectAccessMatrix } from './support/access-checks';
import { keyChecksFunction, keyUserFunctionRole } from './support/key-checks-function';
import { GRANT_CONTEXT_SUBSET, KEY_GRANT_MATRIX } from './support/matrices/key-grant';

const app = new App();
const stack = new Stack(app, 'KmsPatternsKeyGrantInteg');
// Not a key user: the grant is its only way to the key.
const granteeRole = keyUserFunctionRole(stack, 'GranteeRole');
const key = new CustomerManagedKey(stack, 'Key', {
  description: 'cdk-kms-patterns integration test key for grants',
  // A test key goes away with its stack, after the shortest pending window.
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
});
const grant = key.grantWithConstraints('GranteeGrant', {
  grantee: granteeRole,
  operations: [GrantOperation.DECRYPT, GrantOperation.ENCRYPT, GrantOperation.GENERATE_DATA_KEY],
  encryptionContextSubset: GRANT_CONTEXT_SUBSET,
});
new CfnOutput(stack, 'KeyArn', { value: key.keyArn });
new CfnOutput(stack, 'GrantId', { value: grant.grantId });
new CfnOutput(stack, 'GranteeRoleArn', { value: granteeRole.roleArn });
// The access checker assumes each role of the matrix: the grantee trusts the account too.
granteeRole.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [new iam.AccountRootPrincipal()] }));
const roles = { user: key.userRole!, admin: key.adminRole!, grantee: granteeRole };
new CfnOutput(stack, 'userRoleArn', { value: roles.user.roleArn });
new CfnOutput(stack, 'adminRoleArn', { value: roles.admin.roleArn });

const assertionStack = new Stack(app, 'KmsPatternsKeyGrantIntegAssertions');
const integ = new IntegTest(app, 'KeyGrantInteg', { testCases: [stack], assertionStack });

integ.assertions.awsApiCall('KMS', 'listGrants', { KeyId: key.keyArn, GrantId: grant.grantId }).expect(ExpectedResult.objectLike({
  Grants: [Match.objectLike({
    GranteePrincipal: granteeRole.roleArn,
    Operations: Match.arrayWith(['Decrypt', 'Encrypt', 'GenerateDataKey']),
    Constraints: { EncryptionContextSubset: GRANT_CONTEXT_SUBSET },
  })],
}));
// As the grantee: round trips under a context that holds the pair work; a Decrypt under another
// context is refused by the grant's constraint (AccessDeniedException), not by the ciphertext.
const checks = keyChecksFunction(assertionStack, 'GranteeChecks', granteeRole);
integ.assertions.invokeFunction({ functionName: checks.functionName, payload: JSON.stringify({ keyId: key.keyArn }) })
  .expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ envelope: true, direct: true, wrongContext: 'AccessDeniedException' }) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(6), interval: Duration.seconds(30) });
expectAccessMatrix(integ, assertionStack, 'KeyGrant', KEY_GRANT_MATRIX, { roles, keys: { key: { arn: key.keyArn, region: stack.region } } })
  .waitForAssertions({ totalTimeout: Duration.minutes(6), interval: Duration.seconds(30) });

app.synth();
