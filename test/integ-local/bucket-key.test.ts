/**
 * Local checks for integ/integ.bucket-key.ts: the EncryptedBucket stack deployed to moto, then
 * objects written with and without SSE-KMS headers, read back, and the KMS calls S3 would make.
 *
 * What the emulator cannot show (the real-AWS assertions in integ/integ.bucket-key.ts cover it):
 * - S3 never calls KMS in moto: the SSE-KMS fields it reports are bookkeeping, not proof that the
 *   object was encrypted under the key. The KMS side is shown separately below, with the calls S3
 *   makes for a bucket key (GenerateDataKey/Decrypt with the bucket ARN as encryption context);
 * - moto drops BucketKeyEnabled, so the S3 Bucket Key is checked in the deployed template here
 *   and in the S3 responses (BucketKeyEnabled: true) on real AWS;
 * - moto's CloudFormation skips AWS::S3::BucketPolicy (asserted below), and moto would not
 *   enforce it anyway: the encryption denies are judged by iam-simulate on the template's bucket
 *   policy (the object matrix below) and enforced by S3 only on AWS; the TLS-only deny is shown
 *   by the unit tests and on AWS;
 * - key policies are not enforced, and S3 never calls KMS here: the requests S3 would make for a
 *   reader (kms:ViaService s3, the bucket ARN as encryption context) are judged by iam-simulate on
 *   the key policy moto stores and the roles' identity policies in moto's IAM (the access matrix,
 *   integ/support/matrices/bucket-key.ts). iam-simulate's checked mode drops
 *   kms:EncryptionContext:aws:s3:arn, which the grant's statement needs, so its unchecked mode
 *   decides those cases (a test below names them);
 * - the object matrix the checker runs through S3 on AWS (integ/support/matrices/bucket-key.ts)
 *   runs here through moto's S3 too, but moto enforces no bucket policy or IAM and never calls
 *   KMS, so every denial comes back allowed (a test below names them). The same cases are judged
 *   by iam-simulate: S3's authorization on the template's bucket policy and the roles' identity
 *   policies, then the KMS request S3 makes with the caller's credentials on the key policy.
 */
import { DecryptCommand, DescribeKeyCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeployedIntegApp, LOCAL_TEST_TIMEOUT_MS, clientConfig, deployIntegApp, describeWithEmulator } from '.';
import { brokenCases, judgeMatrix, principalsOf, runCheckerOnEmulator, templateBucketPolicy, testEachCaseHolds } from './access-matrix';
import { DeployedPolicies, readDeployedPolicies } from './deployed-policies';
import { CheckReport } from '../../integ/support/access-checker/access-case';
import { BUCKET_OBJECT_MATRIX, bucketKeyMatrix } from '../../integ/support/matrices/bucket-key';

jest.setTimeout(LOCAL_TEST_TIMEOUT_MS);

/** A key ARN of moto's account that no key has: the object matrix's `anotherKey`. */
const ANOTHER_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000000';

describeWithEmulator(__filename, 'integ.bucket-key on the local emulator', (emulator) => {
  let app: DeployedIntegApp;
  let s3: S3Client;
  let kms: KMSClient;
  let bucket: string;
  let keyArn: string;

  beforeAll(async () => {
    app = await deployIntegApp('integ/integ.bucket-key.ts', emulator.endpoint);
    s3 = new S3Client({ ...clientConfig(emulator.endpoint), forcePathStyle: true });
    kms = new KMSClient(clientConfig(emulator.endpoint));
    bucket = app.output('BucketName');
    keyArn = app.output('KeyArn');
  });
  afterAll(async () => {
    await s3?.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'named.txt' }, { Key: 'default.txt' }] } }));
    s3?.destroy();
    kms?.destroy();
    await app?.cleanup();
  });

  test('moto skips exactly the bucket policies; everything else exists', () => {
    expect(app.stacks.flatMap((stack) => stack.completedResources)).toEqual([]);
    expect(app.stacks.flatMap((stack) => stack.skippedResources)).toEqual([
      expect.stringMatching(/^BucketAccessLogsPolicy\w+ \(AWS::S3::BucketPolicy\)$/),
      expect.stringMatching(/^BucketPolicy\w+ \(AWS::S3::BucketPolicy\)$/),
    ]);
  });

  test('the template deployed asks for SSE-KMS under the key with the S3 Bucket Key (moto drops BucketKeyEnabled)', () => {
    const { template } = app.stacks[0];
    const dataBucket = template.Resources[template.Outputs.BucketName.Value.Ref];
    expect(dataBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } },
    }]);
  });

  test('a put naming the key and a put without encryption headers both come back SSE-KMS under the key', async () => {
    const named = await s3.send(new PutObjectCommand({
      Bucket: bucket, Key: 'named.txt', Body: 'named key', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn,
    }));
    const byDefault = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'default.txt', Body: 'bucket default' }));
    for (const response of [named, byDefault]) {
      expect(response).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
    }

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'named.txt' }));
    expect(await got.Body!.transformToString()).toBe('named key');
    expect(got).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
    const gotDefault = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'default.txt' }));
    expect(await gotDefault.Body!.transformToString()).toBe('bucket default');

    for (const key of ['named.txt', 'default.txt']) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect(head).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn });
      // moto dropped BucketKeyEnabled from the bucket and reports false; on AWS it is true (see the template check above).
      expect(head.BucketKeyEnabled).toBe(false);
    }
  });

  test('the bucket key is usable the way S3 uses it: data keys bound to the bucket ARN', async () => {
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata).toMatchObject({ KeyState: 'Enabled', Enabled: true });
    // With a bucket key, S3 asks KMS for a data key with the bucket's ARN as encryption context.
    const context = { 'aws:s3:arn': `arn:aws:s3:::${bucket}` };
    const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_256', EncryptionContext: context }));
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }));
    expect(Buffer.from(decrypted.Plaintext!).equals(Buffer.from(dataKey.Plaintext!))).toBe(true);
    expect(decrypted.KeyId).toBe(keyArn);
    const otherBucket = kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::other' } }));
    await expect(otherBucket).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  describe('the access matrix: the KMS requests S3 would make, judged by iam-simulate on the policies as deployed', () => {
    const matrix = () => bucketKeyMatrix({ bucketArn: app.output('BucketArn'), region: app.stacks[0].region });
    let deployed: DeployedPolicies;
    beforeAll(async () => {
      deployed = await readDeployedPolicies(emulator.endpoint, {
        keys: { key: keyArn },
        roles: Object.fromEntries(principalsOf(matrix()).map((name) => [name, app.output(`${name}RoleArn`)])),
      });
    });

    test('every case holds: the reader decrypts through S3 for this bucket only, and nothing else gets through', async () => {
      const judged = await judgeMatrix(matrix(), deployed);
      expect(judged.map((j) => [j.title, j.holds])).toEqual(matrix().cases.map((c) => [c.title, true]));
    });

    test('iam-simulate\'s checked mode cannot decide kms:EncryptionContext:aws:s3:arn: the reader\'s case through S3 for this bucket is decided by its unchecked mode', async () => {
      const judged = await judgeMatrix(matrix(), deployed);
      expect(judged.filter((j) => j.judgement.decision !== j.judgement.checkedDecision).map((j) => [j.title, j.judgement.ignoredContextKeys]))
        .toEqual([['the reader decrypts through S3 for this bucket', ['kms:EncryptionContext:aws:s3:arn']]]);
    });

    test('a deliberate weakening (the bucket grant without its encryption-context condition) lets the reader decrypt for another bucket', async () => {
      const policy = JSON.parse(JSON.stringify(deployed.keys.key.policy));
      const grant = policy.Statement.find((s: any) => s.Sid?.startsWith('S3Read'));
      delete grant.Condition.StringEquals['kms:EncryptionContext:aws:s3:arn'];
      const weakened = { ...deployed, keys: { key: { ...deployed.keys.key, policy } } };
      expect(await brokenCases(matrix(), weakened)).toEqual(['the reader cannot decrypt through S3 for another bucket']);
    });
  });

  describe('the object matrix the checker runs through S3 on AWS, run here through moto\'s S3', () => {
    let report: CheckReport;
    beforeAll(async () => {
      report = await runCheckerOnEmulator(emulator.endpoint, {
        matrix: BUCKET_OBJECT_MATRIX,
        targets: {
          roles: Object.fromEntries(principalsOf(BUCKET_OBJECT_MATRIX).map((name) => [name, app.output(`${name}RoleArn`)])),
          keys: { key: { arn: keyArn, region: 'us-east-1' }, anotherKey: { arn: ANOTHER_KEY_ARN, region: 'us-east-1' } },
          buckets: { bucket: { name: bucket, region: 'us-east-1' } },
        },
      });
    });

    test('moto enforces no bucket policy and no IAM, and its S3 never calls KMS: every denial comes back allowed; the allowed puts and gets work', () => {
      const allowed = BUCKET_OBJECT_MATRIX.cases.filter((c) => c.expected === 'allowed');
      const denied = BUCKET_OBJECT_MATRIX.cases.filter((c) => c.expected === 'AccessDenied');
      expect(report).toEqual({
        passed: allowed.map((c) => c.title),
        failed: denied.map((c) => `${c.title}: expected AccessDenied, got allowed`),
        skipped: [],
      });
    });

    test('the checker leaves no object behind: each one a case put, wanted or not, was deleted by the writer', async () => {
      const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'access-check/' }));
      expect(Contents ?? []).toEqual([]);
    });
  });

  describe('the object matrix, judged by iam-simulate: the template\'s bucket policy (moto skips it), the key policy and identity policies as deployed', () => {
    let deployed: DeployedPolicies;
    beforeAll(async () => {
      const [stack] = app.stacks;
      const { keys, roles } = await readDeployedPolicies(emulator.endpoint, {
        keys: { key: keyArn },
        roles: Object.fromEntries(principalsOf(BUCKET_OBJECT_MATRIX).map((name) => [name, app.output(`${name}RoleArn`)])),
      });
      const bucketLogicalId = stack.template.Outputs.BucketName.Value.Ref;
      const keyLogicalId = stack.template.Outputs.KeyArn.Value['Fn::GetAtt'][0];
      const bucketArn = app.output('BucketArn');
      const arns = { [bucketLogicalId]: bucketArn, [keyLogicalId]: keyArn };
      const env = { account: keyArn.split(':')[4], region: stack.region, physicalIds: stack.physicalIds, arns };
      const policy = templateBucketPolicy(stack.template, bucketLogicalId, env);
      deployed = { keys, roles, buckets: { bucket: { arn: bucketArn, region: stack.region, policy } } };
    });

    testEachCaseHolds(BUCKET_OBJECT_MATRIX, () => deployed);

    test.each([
      ['DenyOtherKmsKeys', 'a put naming another KMS key is denied'],
      ['DenyOtherEncryptionTypes', 'a put with SSE-S3 is denied'],
      ['DenyKmsWithoutKeyId', 'a put with SSE-KMS but no key id (the AWS managed key) is denied'],
    ])('a deliberate weakening (the bucket policy without %s) lets that put through', async (sid, broken) => {
      const policy = JSON.parse(JSON.stringify(deployed.buckets!.bucket.policy));
      policy.Statement = policy.Statement.filter((statement: any) => statement.Sid !== sid);
      const weakened = { ...deployed, buckets: { bucket: { ...deployed.buckets!.bucket, policy } } };
      expect(await brokenCases(BUCKET_OBJECT_MATRIX, weakened)).toEqual([broken]);
    });
  });
});
