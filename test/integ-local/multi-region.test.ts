/**
 * Local checks for integ/integ.multi-region.ts: the primary stack (eu-west-1) and the replica
 * stack (eu-central-1) deployed to moto, then DescribeKey, aliases and encryption in both Regions.
 *
 * What the emulator cannot show (the real-AWS assertions in integ/integ.multi-region.ts cover it):
 * - decrypting, in the replica Region, ciphertext made in the primary Region: moto 5.1.1 fails it,
 *   and it fails Decrypt of a multi-Region key's ciphertext in the primary Region too. moto's
 *   ciphertext header has 36 bytes for the key id (a UUID); an `mrk-` id has 40, is cut to 36,
 *   and Decrypt then finds no such key (AccessDeniedException). Encrypt works; the test asserts
 *   what moto does. integ.multi-region.ts's round-trip function (Encrypt in the primary Region,
 *   Decrypt in the replica Region) proves the real thing on AWS;
 * - what deploys the stacks here is partly the harness's adapter, not CloudFormation:
 *   - the primary's ARN reaches the replica stack through aws-cdk-lib's cross-Region references,
 *     Lambda-backed custom resources that write and read SSM parameters, which moto cannot run.
 *     The adapter reads the value the writer would write from the deployed primary stack and puts
 *     it where the reader's attribute was; the SSM path and the Lambdas run only on real AWS;
 *   - moto's CloudFormation drops MultiRegion, so the adapter creates the primary key with
 *     CreateKey from the template's properties; it skips AWS::KMS::ReplicaKey, so the adapter
 *     calls ReplicateKey with the template's PrimaryKeyArn; it skips AWS::KMS::Alias, so the
 *     adapter calls CreateAlias. The checks below still show that the templates ask for a
 *     multi-Region primary, a replica of exactly that key, and aliases on each;
 * - key policies are not enforced (the replica's policy is not even sent: moto ignores it), and
 *   moto keeps no separate replica state: its replica is a copy of the primary's record. So the
 *   access matrix the app runs on AWS (integ/support/matrices/multi-region.ts) is judged here by
 *   iam-simulate on the KeyPolicy of each template as deployed (moto's account put in), with the
 *   roles' identity policies read back from moto's IAM; GetKeyPolicy has no policy to give.
 */
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, GetKeyPolicyCommand, KMSClient, KeyMetadata } from '@aws-sdk/client-kms';
import { DeployedIntegApp, DeployedStack, LOCAL_TEST_TIMEOUT_MS, clientConfig, deployIntegApp, describeWithEmulator } from '.';
import { brokenCases, principalsOf, templateKeyPolicy, testEachCaseHolds, withPrincipalAdded } from './access-matrix';
import { DeployedPolicies, readDeployedPolicies } from './deployed-policies';
import { MULTI_REGION_MATRIX } from '../../integ/support/matrices/multi-region';

jest.setTimeout(LOCAL_TEST_TIMEOUT_MS);

const CONTEXT = { purpose: 'cdk-kms-patterns multi-Region local test' };

describeWithEmulator(__filename, 'integ.multi-region on the local emulator', (emulator) => {
  let app: DeployedIntegApp;
  let primary: DeployedStack;
  let replica: DeployedStack;
  const clients: KMSClient[] = [];
  const kmsIn = (stack: DeployedStack) => {
    const client = new KMSClient(clientConfig(emulator.endpoint, stack.region));
    clients.push(client);
    return client;
  };
  const describeKey = async (stack: DeployedStack, keyId: string): Promise<KeyMetadata> =>
    (await kmsIn(stack).send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;

  beforeAll(async () => {
    app = await deployIntegApp('integ/integ.multi-region.ts', emulator.endpoint);
    [primary, replica] = app.stacks;
  });
  afterAll(async () => {
    clients.forEach((client) => client.destroy());
    await app?.cleanup();
  });

  test('each stack is in its own Region; the adapter created what moto cannot, nothing was skipped', () => {
    expect(app.stacks.map((stack) => [stack.id, stack.region])).toEqual([
      ['KmsPatternsMultiRegionPrimary', 'eu-west-1'],
      ['KmsPatternsMultiRegionReplica', 'eu-central-1'],
    ]);
    expect(primary.completedResources).toEqual([expect.stringMatching(/ \(AWS::KMS::Key\)$/), expect.stringMatching(/ \(AWS::KMS::Alias\)$/)]);
    expect(replica.completedResources).toEqual([expect.stringMatching(/ \(AWS::KMS::ReplicaKey\)$/), expect.stringMatching(/ \(AWS::KMS::Alias\)$/)]);
    expect(app.stacks.flatMap((stack) => stack.skippedResources)).toEqual([]);
  });

  test('the replica template names the primary key ARN as deployed (through the cross-Region reference)', () => {
    const [replicaKey] = Object.values<any>(replica.template.Resources).filter((r) => r.Type === 'AWS::KMS::ReplicaKey');
    expect(replicaKey.Properties.PrimaryKeyArn).toBe(app.output('PrimaryKeyArn'));
  });

  // Before the replica's DescribeKey: moto's replica shares the primary's MultiRegionConfiguration
  // record, and describing the replica marks that record REPLICA for both.
  test('the primary is a multi-Region primary key: MultiRegion true, an mrk- key id', async () => {
    const primaryKeyArn = app.output('PrimaryKeyArn');
    const key = await describeKey(primary, primaryKeyArn);
    expect(key).toMatchObject({ Arn: primaryKeyArn, KeyState: 'Enabled', MultiRegion: true, KeySpec: 'SYMMETRIC_DEFAULT' });
    // AWS writes mrk- and 32 hex digits; moto writes mrk- and a UUID.
    expect(key.KeyId).toMatch(/^mrk-[0-9a-f-]+$/);
    expect(key.MultiRegionConfiguration).toMatchObject({
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: primaryKeyArn, Region: 'eu-west-1' },
      ReplicaKeys: [{ Arn: app.output('ReplicaKeyArn'), Region: 'eu-central-1' }],
    });
  });

  test('the replica exists in the replica Region with the same key id and names the primary', async () => {
    const primaryKeyArn = app.output('PrimaryKeyArn');
    const replicaKeyArn = app.output('ReplicaKeyArn');
    expect(app.output('ReplicaRegion')).toBe('eu-central-1');
    expect(replicaKeyArn).toBe(primaryKeyArn.replace(':eu-west-1:', ':eu-central-1:'));
    const key = await describeKey(replica, replicaKeyArn);
    expect(key).toMatchObject({ Arn: replicaKeyArn, KeyId: primaryKeyArn.split('/').pop(), KeyState: 'Enabled', MultiRegion: true });
    expect(key.MultiRegionConfiguration).toMatchObject({ MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: primaryKeyArn, Region: 'eu-west-1' } });
  });

  test('the alias exists in both Regions and points at the key of its Region', async () => {
    expect((await describeKey(primary, app.output('PrimaryAliasName'))).Arn).toBe(app.output('PrimaryKeyArn'));
    expect((await describeKey(replica, app.output('ReplicaAliasName'))).Arn).toBe(app.output('ReplicaKeyArn'));
  });

  test('Encrypt under the alias in the primary Region uses the primary key', async () => {
    const encrypted = await kmsIn(primary).send(new EncryptCommand({
      KeyId: app.output('PrimaryAliasName'), Plaintext: Buffer.from('made in eu-west-1'), EncryptionContext: CONTEXT,
    }));
    expect(encrypted.KeyId).toBe(app.output('PrimaryKeyArn'));
    expect(encrypted.CiphertextBlob?.length).toBeGreaterThan(0);
  });

  test('moto gap: Decrypt of multi-Region ciphertext fails, in the replica Region and in the primary Region alike', async () => {
    const { CiphertextBlob } = await kmsIn(primary).send(new EncryptCommand({
      KeyId: app.output('PrimaryKeyArn'), Plaintext: Buffer.from('made in eu-west-1'), EncryptionContext: CONTEXT,
    }));
    // On AWS both decrypt (the real-AWS round-trip function proves the replica case). moto cuts
    // the mrk- key id in its ciphertext header, so it finds no key; when a moto upgrade fixes
    // this, these expectations fail and should become round trips.
    const inReplica = kmsIn(replica).send(new DecryptCommand({ CiphertextBlob, KeyId: app.output('ReplicaKeyArn'), EncryptionContext: CONTEXT }));
    await expect(inReplica).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const inPrimary = kmsIn(primary).send(new DecryptCommand({ CiphertextBlob, EncryptionContext: CONTEXT }));
    await expect(inPrimary).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  describe('the access matrix, judged by iam-simulate on the templates\' key policies and the roles in moto\'s IAM', () => {
    let deployed: DeployedPolicies;
    beforeAll(async () => {
      const roleArns = Object.fromEntries(principalsOf(MULTI_REGION_MATRIX).map((name) => [name, app.output(`${name}RoleArn`)]));
      // Identity policies from moto's IAM; no key in the read-back: moto stores no multi-Region key policy.
      const { roles } = await readDeployedPolicies(emulator.endpoint, { keys: {}, roles: roleArns });
      const account = roleArns.user.split(':')[4];
      deployed = {
        roles,
        keys: {
          primary: { arn: app.output('PrimaryKeyArn'), policy: templateKeyPolicy(primary.template, 'AWS::KMS::Key', { account, region: primary.region, physicalIds: primary.physicalIds }) },
          replica: { arn: app.output('ReplicaKeyArn'), policy: templateKeyPolicy(replica.template, 'AWS::KMS::ReplicaKey', { account, region: replica.region, physicalIds: replica.physicalIds }) },
        },
      };
    });

    testEachCaseHolds(MULTI_REGION_MATRIX, () => deployed);

    test('moto cannot show it: GetKeyPolicy of a multi-Region key gives moto\'s default policy, not the template\'s, so the templates\' KeyPolicy is judged', async () => {
      const kms = kmsIn(primary);
      const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: app.output('PrimaryKeyArn'), PolicyName: 'default' }));
      expect(JSON.parse(Policy!).Statement.map((s: any) => s.Sid)).not.toContain('KeyUsage');
      expect(deployed.keys.replica.policy.Statement.map((s: any) => s.Sid)).toContain('KeyUsage');
    });

    test('a deliberate weakening (the admin also named in the replica\'s KeyUsage) fails the replica admin\'s case', async () => {
      const weakened = { ...deployed, keys: { ...deployed.keys, replica: { ...deployed.keys.replica, policy: withPrincipalAdded(deployed.keys.replica.policy, 'KeyUsage', deployed.roles.admin.arn) } } };
      expect(await brokenCases(MULTI_REGION_MATRIX, weakened)).toEqual(['the replica\'s admin cannot Decrypt']);
    });
  });
});
