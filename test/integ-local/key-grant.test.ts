/**
 * Local checks for integ/integ.key-grant.ts: its test-case stack deployed to moto, the grant made
 * by the library's grant handler, and revoked by it on cleanup.
 *
 * What the emulator cannot show (the real-AWS assertions in integ/integ.key-grant.ts cover it):
 * - moto cannot run Lambda-backed custom resources, so CloudFormation does not call the grant's
 *   provider here: the adapter runs the same handler module in this process, against moto, with
 *   the template's properties (the handler role's rights are not exercised);
 * - moto enforces neither key policies nor grants: that the grantee can use the key only
 *   through the grant, only under the encryption context constraint, is shown on real AWS by the
 *   access checker and the grantee's checks function;
 * - iam-simulate does not evaluate KMS grants: the access matrix (integ/support/matrices/key-grant.ts)
 *   is judged on the key policy moto stores and the roles' identity policies in moto's IAM, and
 *   the cases the grant allows on AWS must be refused by those policies alone (a test below
 *   names them): the grant is the grantee's only way in.
 */
import { DecryptCommand, EncryptCommand, KMSClient, ListGrantsCommand } from '@aws-sdk/client-kms';
import { DeployedIntegApp, LOCAL_TEST_TIMEOUT_MS, clientConfig, deployIntegApp, describeWithEmulator } from '.';
import { brokenCases, brokenCasesOnceDeployed, judgeMatrix, testEachCaseHolds, withPrincipalAdded } from './access-matrix';
import { DeployedPolicies, DeployedTargets, readDeployedPolicies } from './deployed-policies';
import { KEY_GRANT_MATRIX } from '../../integ/support/matrices/key-grant';

jest.setTimeout(LOCAL_TEST_TIMEOUT_MS);

describeWithEmulator(__filename, 'integ.key-grant on the local emulator', (emulator) => {
  let app: DeployedIntegApp;
  let kms: KMSClient;

  beforeAll(async () => {
    app = await deployIntegApp('integ/integ.key-grant.ts', emulator.endpoint);
    kms = new KMSClient(clientConfig(emulator.endpoint));
  });
  afterAll(async () => {
    kms?.destroy();
    await app?.cleanup();
  });

  test('moto cannot run the Lambda-backed Custom::KmsKeyGrant: the grant handler runs in process against moto instead', () => {
    expect(app.stacks.flatMap((stack) => stack.skippedResources)).toEqual([]);
    expect(app.stacks.flatMap((stack) => stack.completedResources)).toEqual([expect.stringMatching(/^KeyGranteeGrant[0-9A-F]{8} \(Custom::KmsKeyGrant\)$/)]);
  });

  test('the key has the grant: grantee, operations and encryption context constraint as the template says', async () => {
    const { Grants } = await kms.send(new ListGrantsCommand({ KeyId: app.output('KeyArn') }));
    expect(Grants).toEqual([expect.objectContaining({
      GrantId: app.output('GrantId'),
      GranteePrincipal: app.output('GranteeRoleArn'),
      Operations: expect.arrayContaining(['Decrypt', 'Encrypt', 'GenerateDataKey']),
      Constraints: { EncryptionContextSubset: { purpose: 'cdk-kms-patterns-integ' } },
    })]);
    expect(Grants![0].Operations).toHaveLength(3);
  });

  test('the key works under the constrained context (moto does not enforce the grant, so this is the key, not the grant)', async () => {
    const context = { purpose: 'cdk-kms-patterns-integ', record: 'r-1' };
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: app.output('KeyArn'), Plaintext: Buffer.from('granted'), EncryptionContext: context }));
    const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
    expect(Buffer.from(Plaintext!).toString()).toBe('granted');
  });

  describe('the access matrix, judged by iam-simulate on the policies as deployed (grants unseen)', () => {
    let deployed: DeployedPolicies;
    const targets = (): DeployedTargets => ({
      keys: { key: app.output('KeyArn') },
      roles: { user: app.output('userRoleArn'), admin: app.output('adminRoleArn'), grantee: app.output('GranteeRoleArn') },
    });
    beforeAll(async () => { deployed = await readDeployedPolicies(emulator.endpoint, targets()); });

    testEachCaseHolds(KEY_GRANT_MATRIX, () => deployed);

    test('iam-simulate does not see grants: what the grant allows on AWS, the deployed policies alone refuse', async () => {
      const throughGrant = KEY_GRANT_MATRIX.cases.filter((c) => c.throughGrant);
      const judged = await judgeMatrix({ ...KEY_GRANT_MATRIX, cases: throughGrant }, deployed);
      expect(judged.map((j) => [j.title, j.judgement.decision])).toEqual([
        ['the grantee encrypts through the grant alone', 'ImplicitlyDenied'],
        ['the grantee generates a data key through the grant alone', 'ImplicitlyDenied'],
        ['the grantee decrypts through the grant alone', 'ImplicitlyDenied'],
      ]);
    });

    test('a deliberate weakening deployed to the key (the grantee also named in KeyUsage) lets it in without the grant', async () => {
      const weakened = withPrincipalAdded(deployed.keys.key.policy, 'KeyUsage', deployed.roles.grantee.arn);
      expect(await brokenCasesOnceDeployed(emulator.endpoint, targets(), 'key', weakened, KEY_GRANT_MATRIX)).toEqual([
        'the grantee encrypts through the grant alone',
        'the grantee generates a data key through the grant alone',
        'the grantee decrypts through the grant alone',
        'the grantee cannot Decrypt under a context outside the grant\'s constraint',
        'the grantee cannot DescribeKey, an operation the grant does not give',
      ]);
      expect(await brokenCases(KEY_GRANT_MATRIX, await readDeployedPolicies(emulator.endpoint, targets()))).toEqual([]);
    });
  });

  test("the handler's Delete revokes the grant; cleanup's second Delete finds it gone and succeeds", async () => {
    // The adapter pointed the process's AWS environment at moto when it ran the handler, so the
    // module, loaded now, makes its client for moto as well.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { onEvent } = require('../../src/key/handler/key-grant') as typeof import('../../src/key/handler/key-grant');
    const keyArn = app.output('KeyArn');
    await onEvent({ RequestType: 'Delete', PhysicalResourceId: app.output('GrantId'), ResourceProperties: { KeyArn: keyArn } } as any);
    const { Grants } = await kms.send(new ListGrantsCommand({ KeyId: keyArn }));
    expect(Grants).toEqual([]);
  });
});
