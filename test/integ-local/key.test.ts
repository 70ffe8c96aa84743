/**
 * Local checks for integ/integ.key.ts: its test-case stack deployed to moto, then envelope
 * encryption by hand and with the AWS Encryption SDK, caching, rotation and aliases. The access
 * matrix the app runs on AWS (integ/support/matrices/key.ts) is judged here by iam-simulate on
 * the key policy moto stores (GetKeyPolicy) and the roles' identity policies in moto's IAM.
 *
 * What the emulator cannot show (the real-AWS assertions in integ/integ.key.ts cover it):
 * - key policies are not enforced by moto: iam-simulate, an independent engine, decides each
 *   case on the policies as deployed; KMS itself decides them only on AWS;
 * - a disabled or pending-deletion key keeps working in moto;
 * - no CloudTrail delivery, so nothing here proves use of the key is logged;
 * - moto 5.1.1 has no rotation period (GetKeyRotationStatus has no RotationPeriodInDays), so the
 *   period is checked in the deployed template here and through KMS on real AWS;
 * - moto's CloudFormation skips AWS::KMS::Alias; the adapter creates the alias with CreateAlias
 *   from the template's own AliasName and TargetKeyId, so the check below still shows that the
 *   template points the alias at the key.
 */
import * as crypto from 'node:crypto';
import {
  CommitmentPolicy, KmsKeyringNode, NodeCachingMaterialsManager, buildClient, getClient,
  getLocalCryptographicMaterialsCache,
} from '@aws-crypto/client-node';
import {
  DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand, GetKeyRotationStatusCommand,
  KMS, KMSClient, ListAliasesCommand,
} from '@aws-sdk/client-kms';
import { DeployedIntegApp, LOCAL_TEST_TIMEOUT_MS, clientConfig, deployIntegApp, describeWithEmulator } from '.';
import { brokenCases, brokenCasesOnceDeployed, judgeMatrix, principalsOf, runCheckerOnEmulator, testEachCaseHolds, withPrincipalAdded } from './access-matrix';
import { DeployedPolicies, readDeployedPolicies } from './deployed-policies';
import { expectedReport } from '../../integ/support/access-checker/access-case';
import { KEY_MATRIX } from '../../integ/support/matrices/key';

jest.setTimeout(LOCAL_TEST_TIMEOUT_MS);

const CONTEXT = { purpose: 'cdk-kms-patterns-local', record: 'r-1' };
const MESSAGES = 1_000;

/** Encrypts `plaintext` under a fresh data key (envelope encryption); returns what is stored. */
async function sealEnvelope(kms: KMSClient, keyId: string, plaintext: Buffer, context: Record<string, string>) {
  const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }));
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', dataKey.Plaintext!, iv);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { encryptedDataKey: dataKey.CiphertextBlob!, iv, sealed, tag: cipher.getAuthTag() };
}

async function openEnvelope(kms: KMSClient, stored: Awaited<ReturnType<typeof sealEnvelope>>, context: Record<string, string>) {
  const dataKey = await kms.send(new DecryptCommand({ CiphertextBlob: stored.encryptedDataKey, EncryptionContext: context }));
  const decipher = crypto.createDecipheriv('aes-256-gcm', dataKey.Plaintext!, stored.iv);
  decipher.setAuthTag(stored.tag);
  return Buffer.concat([decipher.update(stored.sealed), decipher.final()]);
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (err: any) {
    return err.name;
  }
}

describeWithEmulator(__filename, 'integ.key on the local emulator', (emulator) => {
  let app: DeployedIntegApp;
  let kms: KMSClient;
  let keyArn: string;

  beforeAll(async () => {
    app = await deployIntegApp('integ/integ.key.ts', emulator.endpoint);
    kms = new KMSClient(clientConfig(emulator.endpoint));
    keyArn = app.output('KeyArn');
  });
  afterAll(async () => {
    kms?.destroy();
    await app?.cleanup();
  });

  test('every resource of the template exists (the alias through the adapter)', () => {
    expect(app.stacks.flatMap((stack) => stack.skippedResources)).toEqual([]);
    expect(app.stacks.flatMap((stack) => stack.completedResources)).toEqual([expect.stringMatching(/\(AWS::KMS::Alias\)$/)]);
  });

  test('the key is an enabled symmetric encryption key', async () => {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyArn }));
    expect(KeyMetadata).toMatchObject({
      Arn: keyArn, KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', MultiRegion: false,
    });
  });

  test('envelope encryption by hand: GenerateDataKey, AES-256-GCM, Decrypt with the same context', async () => {
    const plaintext = Buffer.from('customer record 1');
    const stored = await sealEnvelope(kms, keyArn, plaintext, CONTEXT);
    expect(stored.sealed.equals(plaintext)).toBe(false);
    expect((await openEnvelope(kms, stored, CONTEXT)).equals(plaintext)).toBe(true);
    expect(await rejection(openEnvelope(kms, stored, { ...CONTEXT, record: 'r-2' }))).toBe('InvalidCiphertextException');
    expect(await rejection(openEnvelope(kms, stored, {}))).toBe('InvalidCiphertextException');
  });

  test('Encrypt/Decrypt round trip; a wrong encryption context is rejected', async () => {
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('secret'), EncryptionContext: CONTEXT }));
    const { Plaintext, KeyId } = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: CONTEXT }));
    expect(Buffer.from(Plaintext!).toString()).toBe('secret');
    expect(KeyId).toBe(keyArn);
    expect(await rejection(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { purpose: 'other' } })))).toBe('InvalidCiphertextException');
  });

  test('rotation is on; the template deployed asks for the period the app sets', async () => {
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
    expect(status.KeyRotationEnabled).toBe(true);
    const [key] = Object.values<any>(app.stacks[0].template.Resources).filter((r) => r.Type === 'AWS::KMS::Key');
    expect(key.Properties.RotationPeriodInDays).toBe(Number(app.output('RotationPeriodInDays')));
  });

  test('the alias resolves to the key', async () => {
    const aliasName = app.output('AliasName');
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: aliasName }));
    expect(KeyMetadata?.Arn).toBe(keyArn);
    const { Aliases } = await kms.send(new ListAliasesCommand({ KeyId: app.output('KeyId') }));
    expect(Aliases?.map((alias) => alias.AliasName)).toEqual([aliasName]);
  });

  describe('AWS Encryption SDK', () => {
    const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    let generateDataKeyCalls = 0;

    /** A keyring whose KMS clients (the aggregated `KMS` class the SDK needs) count GenerateDataKey. */
    function countingKeyring(): KmsKeyringNode {
      const clientProvider = (region: string) => {
        const client = getClient(KMS, clientConfig(emulator.endpoint, region))(region) as KMS;
        client.middlewareStack.add((next, context) => async (args) => {
          if (context.commandName === 'GenerateDataKeyCommand') { generateDataKeyCalls++; }
          return next(args);
        }, { step: 'initialize', name: 'countGenerateDataKey' });
        return client;
      };
      return new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider });
    }

    async function encryptMessages(materials: KmsKeyringNode | NodeCachingMaterialsManager): Promise<number> {
      generateDataKeyCalls = 0;
      for (let i = 0; i < MESSAGES; i++) {
        await encrypt(materials, `message ${i}`, { encryptionContext: CONTEXT });
      }
      return generateDataKeyCalls;
    }

    test('KmsKeyringNode round trip keeps the encryption context', async () => {
      const keyring = countingKeyring();
      const { result } = await encrypt(keyring, 'hello envelope', { encryptionContext: CONTEXT });
      const { plaintext, messageHeader } = await decrypt(keyring, result);
      expect(plaintext.toString()).toBe('hello envelope');
      expect(messageHeader.encryptionContext).toMatchObject(CONTEXT);
    });

    test(`the caching materials manager cuts GenerateDataKey calls for ${MESSAGES} messages to a handful`, async () => {
      const withoutCache = await encryptMessages(countingKeyring());
      const cachingManager = new NodeCachingMaterialsManager({
        backingMaterials: countingKeyring(),
        cache: getLocalCryptographicMaterialsCache(10),
        maxAge: 5 * 60_000,
        maxMessagesEncrypted: 250,
      });
      const withCache = await encryptMessages(cachingManager);
      // eslint-disable-next-line no-console
      console.log(`GenerateDataKey calls for ${MESSAGES} messages: ${withoutCache} without cache, ${withCache} with the caching materials manager`);
      expect(withoutCache).toBe(MESSAGES);
      expect(withCache).toBeGreaterThanOrEqual(MESSAGES / 250);
      expect(withCache).toBeLessThanOrEqual(MESSAGES / 250 + 1);
    });
  });

  describe('the access matrix, judged by iam-simulate on the policies as deployed', () => {
    let deployed: DeployedPolicies;
    const deployedRoleArns = () => Object.fromEntries(principalsOf(KEY_MATRIX).map((name) => [name, app.output(`${name}RoleArn`)]));
    const targets = () => ({ keys: { key: keyArn }, roles: deployedRoleArns() });
    const read = () => readDeployedPolicies(emulator.endpoint, targets());
    beforeAll(async () => { deployed = await read(); });

    testEachCaseHolds(KEY_MATRIX, () => deployed);

    test('the checked engine decides every case: this key policy has no kms:EncryptionContext condition for it to ignore', async () => {
      const judged = await judgeMatrix(KEY_MATRIX, deployed);
      expect(judged.filter((j) => j.judgement.decision !== j.judgement.checkedDecision).map((j) => j.title)).toEqual([]);
    });

    test('what was judged is what KMS and IAM store: the user role in the key policy, kms:* in the wildcard role\'s identity policy', () => {
      const principals = deployed.keys.key.policy.Statement.flatMap((s: any) => [s.Principal.AWS].flat());
      expect(principals).toContain(deployed.roles.user.arn);
      expect(principals).toContain(deployed.roles.admin.arn);
      expect(principals).not.toContain(deployed.roles.kmsWildcard.arn);
      expect(deployed.roles.kmsWildcard.policies.flatMap((p) => p.Statement).map((s: any) => s.Action)).toContain('kms:*');
    });

    test('a deliberate weakening deployed to the key (the admin also named in KeyUsage) fails the admin\'s cases', async () => {
      const weakened = withPrincipalAdded(deployed.keys.key.policy, 'KeyUsage', deployed.roles.admin.arn);
      expect(await brokenCasesOnceDeployed(emulator.endpoint, targets(), 'key', weakened, KEY_MATRIX)).toEqual([
        'the admin cannot Decrypt', 'the admin cannot Encrypt', 'the admin cannot GenerateDataKey', 'the admin cannot Decrypt through an AWS service either',
      ]);
      expect(await brokenCases(KEY_MATRIX, await read())).toEqual([]);
    });

    test('the access checker runs the matrix here too; moto enforces no policy, so each refusal comes back allowed and is undone', async () => {
      // The key by id: moto's DisableKey and ScheduleKeyDeletion find keys by id only (500 for an ARN).
      const keys = { key: { arn: app.output('KeyId'), region: 'us-east-1' } };
      const report = await runCheckerOnEmulator(emulator.endpoint, { matrix: KEY_MATRIX, targets: { roles: deployedRoleArns(), keys } });
      const run = KEY_MATRIX.cases.filter((c) => !c.viaService && !c.grantIsForAwsResource);
      expect(report).toEqual({
        passed: run.filter((c) => c.expected !== 'AccessDenied').map((c) => c.title),
        failed: run.filter((c) => c.expected === 'AccessDenied').map((c) => `${c.title}: expected AccessDenied, got allowed`),
        skipped: expectedReport(KEY_MATRIX).skipped,
      });
      // The user's ScheduleKeyDeletion and DisableKey got through; the admin undid them.
      const { KeyMetadata } = await new KMSClient(clientConfig(emulator.endpoint)).send(new DescribeKeyCommand({ KeyId: keyArn }));
      expect(KeyMetadata).toMatchObject({ KeyState: 'Enabled', Enabled: true });
    });
  });
});
