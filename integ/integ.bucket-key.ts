/**
 * EncryptedBucket end to end: an object written through the bucket comes back encrypted with
 * SSE-KMS under the bucket's key, with the S3 Bucket Key on, whether the upload names the key
 * or relies on the bucket default (the deny policy must let header-less uploads through).
 * The object matrix (integ/support/matrices/bucket-key.ts) runs through S3 as each role: puts
 * naming another key, SSE-S3 or the AWS managed key are denied; the reader gets objects; a role
 * without the paired key grant is refused.
 *
 * Real AWS: npm run integ:aws -- bucket-key (with credentials).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, CfnOutput, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { AccountAdministration, CustomerManagedKey, EncryptedBucket } from '../src';
import { expectAccessMatrix } from './support/access-checks';
import { BUCKET_OBJECT_MATRIX } from './support/matrices/bucket-key';

const app = new App();
const stack = new Stack(app, 'BucketKeyInteg');
const key = new CustomerManagedKey(stack, 'Key', {
  description: 'integ.bucket-key: encrypts the test bucket',
  removalPolicy: RemovalPolicy.DESTROY,
  pendingWindow: Duration.days(7),
  // The local emulator suite synthesizes with LegacyStackSynthesizer, which deploys with the
  // caller's credentials and names no execution role: there the account's root stands in (moto
  // enforces no policy). Never wholeAccount(): the grant below would then meet administration.
  accountAdministrationScope: stack.synthesizer instanceof DefaultStackSynthesizer
    ? AccountAdministration.deploymentRoleOnly() : AccountAdministration.restrictedTo(new iam.AccountRootPrincipal()),
});
const encrypted = new EncryptedBucket(stack, 'Bucket', {
  encryptionKey: key,
  // Unversioned and DESTROY so deleting the test objects leaves an empty bucket that can go.
  versioned: false,
  removalPolicy: RemovalPolicy.DESTROY,
});
// The principals of the access matrix (integ/support/matrices/bucket-key.ts), judged locally:
// a reader with the paired grant, and one with s3:GetObject only (inline in the role).
// The reader's identity statements come from grantRead, in their own AWS::IAM::Policy: the key
// policy names the reader, so an inline policy naming the key would make the role and the key
// refer to each other, a circular dependency CloudFormation refuses.
const getObjects = new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [encrypted.arnForObjects('*')] });
const reader = new iam.Role(stack, 'ReaderRole', { assumedBy: new iam.AccountRootPrincipal() });
const noGrant = new iam.Role(stack, 'NoGrantRole', {
  assumedBy: new iam.AccountRootPrincipal(),
  inlinePolicies: { ReadWithoutKey: new iam.PolicyDocument({ statements: [getObjects] }) },
});
// The reader is named in the key policy (kms:Decrypt through S3 for this bucket only), not
// admitted through the account root, which would delegate use to every IAM principal.
encrypted.grantRead(reader);
// The object matrix's writer; it also deletes what the checker leaves behind.
const writer = new iam.Role(stack, 'WriterRole', { assumedBy: new iam.AccountRootPrincipal() });
encrypted.grantReadWrite(writer);
writer.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [encrypted.arnForObjects('access-check/*')] }));
new CfnOutput(stack, 'readerRoleArn', { value: reader.roleArn });
new CfnOutput(stack, 'writerRoleArn', { value: writer.roleArn });
new CfnOutput(stack, 'noGrantRoleArn', { value: noGrant.roleArn });
new CfnOutput(stack, 'BucketArn', { value: encrypted.bucketArn });
new CfnOutput(stack, 'BucketName', { value: encrypted.bucketName });
new CfnOutput(stack, 'KeyArn', { value: key.keyArn });

const integ = new IntegTest(app, 'BucketKey', { testCases: [stack] });
const bucketKeyed = ExpectedResult.objectLike({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.keyArn, BucketKeyEnabled: true });

const namedPut = integ.assertions.awsApiCall('S3', 'putObject', {
  Bucket: encrypted.bucketName, Key: 'named.txt', Body: 'named key', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: key.keyArn,
});
// The assertion functions live in the assertion stack, deployed after this one, which cannot name
// them: the key policy admits that stack's roles by name (aws:PrincipalArn), still pinned to S3
// and this bucket by the grant's conditions. Never the whole account: that would delegate use to
// every IAM principal, administrators included. The account statement admits only the deployment
// role, which that pattern does not match.
encrypted.grantReadWrite(new iam.PrincipalWithConditions(new iam.AccountRootPrincipal(), {
  ArnLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${Stack.of(namedPut).stackName}-*` },
}));
const defaultPut = integ.assertions.awsApiCall('S3', 'putObject', { Bucket: encrypted.bucketName, Key: 'default.txt', Body: 'bucket default' });
const namedGet = integ.assertions.awsApiCall('S3', 'getObject', { Bucket: encrypted.bucketName, Key: 'named.txt' });
const defaultHead = integ.assertions.awsApiCall('S3', 'headObject', { Bucket: encrypted.bucketName, Key: 'default.txt' });
const cleanUp = integ.assertions.awsApiCall('S3', 'deleteObjects', {
  Bucket: encrypted.bucketName, Delete: { Objects: [{ Key: 'named.txt' }, { Key: 'default.txt' }] },
});

// All calls share one provider function. Its SDK-derived statements name no KMS action, and
// s3:DeleteObjects / s3:HeadObject are not IAM actions (DeleteObject and GetObject are).
namedPut.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [key.keyArn] });
cleanUp.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:DeleteObject'], Resource: [encrypted.arnForObjects('*')] });
namedPut.expect(bucketKeyed);
defaultPut.expect(bucketKeyed);
namedGet.expect(bucketKeyed);
defaultHead.expect(bucketKeyed);
namedPut.next(defaultPut).next(namedGet).next(defaultHead).next(cleanUp);

// Another key of the account, made up: the bucket policy must refuse the put before S3 would
// ask KMS for it (without the deny, the put fails with KMS's NotFoundException, not AccessDenied).
const anotherKeyArn = `arn:${Aws.PARTITION}:kms:${stack.region}:${Aws.ACCOUNT_ID}:key/00000000-0000-4000-8000-000000000000`;
expectAccessMatrix(integ, Stack.of(namedPut), 'BucketObjects', BUCKET_OBJECT_MATRIX, {
  roles: { writer, reader, noGrant },
  keys: { key: { arn: key.keyArn, region: stack.region }, anotherKey: { arn: anotherKeyArn, region: stack.region } },
  buckets: { bucket: { name: encrypted.bucketName, region: stack.region } },
});

app.synth();
