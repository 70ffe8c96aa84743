/**
 * The imported key material and external key store handlers against the local emulator, in this
 * process (moto cannot run Lambda-backed custom resources at all).
 *
 * What moto 5.1.1 cannot show, each pinned by a test below so that a moto that learns it fails
 * here and the test can grow:
 * - it creates an `Origin: EXTERNAL` key already Enabled, where KMS leaves it PendingImport;
 * - it answers GetParametersForImport with HTTP 500 (not implemented), so no material is ever
 *   wrapped or imported locally: the unit tests (aws-sdk-client-mock) cover the import, the
 *   wrapping and every KMS error; real AWS covers the rest;
 * - it answers CreateCustomKeyStore and DescribeCustomKeyStores with HTTP 500, so no external key
 *   store exists locally: the unit tests cover every store state and connection error code.
 * What does run against moto: each handler's first calls (DescribeKey and the origin check,
 * GetSecretValue of the material or the proxy credential from moto's Secrets Manager), and the
 * way each handler fails when KMS answers with an error it does not know. Neither the material
 * nor the credential may appear in any log line on that path.
 */
import { randomBytes } from 'node:crypto';
import { CreateKeyCommand, DescribeKeyCommand, GetParametersForImportCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LOCAL_TEST_TIMEOUT_MS, clientConfig, describeWithEmulator } from '.';
import { setSleep } from '../../src/custom-key-store/handler/retry';

jest.setTimeout(LOCAL_TEST_TIMEOUT_MS);

/** Every line the handlers logged during `run`, joined. */
async function logsOf(run: () => Promise<unknown>): Promise<{ logs: string; error: unknown }> {
  const lines: string[] = [];
  const capture = (...args: unknown[]) => { lines.push(args.map(String).join(' ')); };
  const spies = (['log', 'info', 'warn', 'error'] as const).map((level) => jest.spyOn(console, level).mockImplementation(capture));
  let error: unknown;
  try { await run(); } catch (caught) { error = caught; }
  spies.forEach((spy) => spy.mockRestore());
  return { logs: lines.join('\n'), error };
}

describeWithEmulator(__filename, 'imported key material and XKS handlers on the local emulator', (emulator) => {
  let kms: KMSClient;
  let secrets: SecretsManagerClient;
  const savedEnv = { ...process.env };
  /** The handlers treat moto's 500s as transient and back off; the delays are recorded, not waited. */
  const delays: number[] = [];

  beforeAll(() => {
    // The handlers make their clients when their module loads, from the environment, as in Lambda.
    const config = clientConfig(emulator.endpoint);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: config.endpoint,
      AWS_REGION: config.region,
      AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
      AWS_MAX_ATTEMPTS: '1',
    });
    kms = new KMSClient(config);
    secrets = new SecretsManagerClient(config);
    setSleep(async (ms) => { delays.push(ms); });
  });
  beforeEach(() => { delays.length = 0; });
  afterAll(() => {
    kms?.destroy();
    secrets?.destroy();
    process.env = savedEnv;
  });

  describe('ImportedKeyMaterial', () => {
    const material = randomBytes(32);
    let keyId: string;
    let secretArn: string;

    beforeAll(async () => {
      keyId = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', Description: 'byok local' }))).KeyMetadata!.KeyId!;
      secretArn = (await secrets.send(new CreateSecretCommand({ Name: `byok-${keyId}`, SecretString: material.toString('base64') }))).ARN!;
    });

    test('moto 5.1.1 creates an EXTERNAL key Enabled (KMS: PendingImport) and has no GetParametersForImport (HTTP 500)', async () => {
      const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      expect(KeyMetadata).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'Enabled' });
      await expect(kms.send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_4096' })))
        .rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    });

    test('the handler reads the key and the material from moto, fails at GetParametersForImport, and never logs the material', async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { onEvent } = require('../../src/custom-key-store/handler/imported-key-material') as typeof import('../../src/custom-key-store/handler/imported-key-material');
      const { logs, error } = await logsOf(() => onEvent({
        RequestType: 'Create',
        LogicalResourceId: 'Material',
        ResourceProperties: { KeyId: keyId, KeyMaterialSecretArn: secretArn, DeleteMaterialOnRemoval: 'true' },
      } as any));
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 500 } });
      expect(delays).toHaveLength(7); // eight attempts: a 500 is treated as transient, then reported
      expect(logs).toContain(`Create imported key material of key ${keyId}`);
      for (const form of [material.toString('base64'), material.toString('hex')]) { expect(logs).not.toContain(form); }
      expect(String((error as Error).message)).not.toContain(material.toString('base64'));
    });

    test('the handler refuses a key that is not EXTERNAL, read from moto, before it reads the secret', async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { onEvent } = require('../../src/custom-key-store/handler/imported-key-material') as typeof import('../../src/custom-key-store/handler/imported-key-material');
      const awsKey = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      await expect(onEvent({ RequestType: 'Create', LogicalResourceId: 'Material', ResourceProperties: { KeyId: awsKey, KeyMaterialSecretArn: secretArn } } as any))
        .rejects.toThrow(`Key ${awsKey} has origin AWS_KMS; KMS imports material only into keys with origin EXTERNAL.`);
    });
  });

  describe('XksKeyStore', () => {
    const credential = { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: randomBytes(33).toString('base64') };
    let secretArn: string;

    beforeAll(async () => {
      secretArn = (await secrets.send(new CreateSecretCommand({ Name: 'xks-proxy-credential', SecretString: JSON.stringify(credential) }))).ARN!;
    });

    test('the handler fails on moto 5.1.1, which has no custom key stores (HTTP 500), and never logs the credential', async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { onEvent } = require('../../src/custom-key-store/handler/xks-key-store') as typeof import('../../src/custom-key-store/handler/xks-key-store');
      const { logs, error } = await logsOf(() => onEvent({
        RequestType: 'Create',
        LogicalResourceId: 'Store',
        ResourceProperties: {
          CustomKeyStoreName: 'local-xks',
          XksProxyUriEndpoint: 'https://xks.example.com',
          XksProxyUriPath: '/kms/xks/v1',
          XksProxyConnectivity: 'PUBLIC_ENDPOINT',
          CredentialSecretArn: secretArn,
        },
      } as any));
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 500 } });
      expect(delays.length).toBeGreaterThan(0);
      expect(logs).not.toContain(credential.RawSecretAccessKey);
      expect(String((error as Error).message)).not.toContain(credential.RawSecretAccessKey);
    });
  });
});
