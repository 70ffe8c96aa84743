/**
 * Local check of examples/envelope-encryption: the example's stack (built in process, as
 * examples/envelope-encryption/app.ts builds it) deployed to moto, then the example workload's own
 * `roundTrip` (AWS Encryption SDK, alias as generator) run against it. This proves the example
 * code runs against the key the stack deploys.
 *
 * What the emulator cannot show:
 * - the workload runs with the emulator's dummy credentials, not as the workload role, and moto
 *   enforces no key policy: that the role's GenerateDataKey and Decrypt grants are enough (and
 *   nothing more is granted) is shown by the example's unit tests and the access report, and on
 *   real AWS by running workload.ts with the role's credentials;
 * - the stack's account (111111111111) is not moto's: the deployed ARNs carry moto's account;
 * - moto's CloudFormation skips AWS::KMS::Alias; the adapter creates it with CreateAlias from the
 *   template's own AliasName and TargetKeyId (asserted below).
 */
import { DeployedIntegApp, LOCAL_TEST_TIMEOUT_MS, clientConfig, deployApp, describeWithEmulator } from '.';
import { buildEnvelopeExample } from '../../examples/envelope-encryption/stack';
import { roundTrip } from '../../examples/envelope-encryption/workload';

jest.setTimeout(LOCAL_TEST_TIMEOUT_MS);

describeWithEmulator(__filename, 'examples/envelope-encryption on the local emulator', (emulator) => {
  let app: DeployedIntegApp;

  beforeAll(async () => {
    app = await deployApp((cdkApp) => { buildEnvelopeExample(cdkApp); }, emulator.endpoint);
  });
  afterAll(async () => { await app?.cleanup(); });

  test('the stack deploys in its Region; only the alias needed the adapter', () => {
    expect(app.stacks.map((stack) => [stack.id, stack.region])).toEqual([['EnvelopeEncryptionExample', 'eu-west-1']]);
    expect(app.stacks[0].completedResources).toEqual([expect.stringMatching(/ \(AWS::KMS::Alias\)$/)]);
    expect(app.stacks[0].skippedResources).toEqual([]);
  });

  test("the workload's roundTrip encrypts under the alias and gives the plaintext back", async () => {
    const plaintext = 'customer record 42: envelope-encrypted by the example workload';
    const result = await roundTrip(plaintext, {
      generatorKeyId: app.output('AliasName'),
      keyArn: app.output('KeyArn'),
      clientConfig: clientConfig(emulator.endpoint, app.stacks[0].region),
    });
    expect(result.plaintext).toBe(plaintext);
    expect(result.ciphertextBytes).toBeGreaterThan(plaintext.length);
  });
});
