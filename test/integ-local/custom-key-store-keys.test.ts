/**
 * integ/integ.cloudhsm-key.ts and integ/integ.xks-key.ts: the access matrix their checker runs
 * on AWS (integ/support/matrices/custom-key-store-key.ts), judged by iam-simulate on the
 * synthesized policies, not on deployed ones.
 *
 * What the emulator cannot show: moto 5.1.1 answers the custom key store APIs with HTTP 500
 * (pinned by byok-xks-handlers.test.ts), and the stores and keys are Lambda-backed custom
 * resources, which moto cannot run; so neither app is deployed locally, and no round trip goes
 * through an HSM or an external key proxy here. The key policy is judged as the template writes
 * it, which is what the key's handler passes to CreateKey; KMS decides it only on AWS.
 */
import { brokenCases, testEachCaseHolds, withPrincipalAdded } from './access-matrix';
import { DeployedPolicies } from './deployed-policies';
import { synthIntegApp } from './synth';
import { templatePolicies } from './template-policies';
import { CUSTOM_KEY_STORE_KEY_MATRIX } from '../../integ/support/matrices/custom-key-store-key';

const APPS = [
  { file: 'integ/integ.cloudhsm-key.ts', keyType: 'Custom::KmsCloudHsmKey' },
  { file: 'integ/integ.xks-key.ts', keyType: 'Custom::KmsXksKey' },
];

describe.each(APPS)('$file', ({ file, keyType }) => {
  const template = () => synthIntegApp(file).testCaseStacks[0].template;
  let synthesized: DeployedPolicies;
  beforeAll(() => {
    synthesized = templatePolicies(template(), { keys: { key: 'KeyArn' }, roles: { user: 'userRoleArn', admin: 'adminRoleArn' } });
  });

  test('not deployed to the emulator: moto 5.1.1 has no custom key stores (HTTP 500) and cannot run the Lambda-backed key, so the synthesized policies are judged', () => {
    expect(synthIntegApp(file).testCaseStacks).toHaveLength(1);
    const keyOutput = template().Outputs.KeyArn.Value['Fn::GetAtt'][0];
    expect(template().Resources[keyOutput].Type).toBe(keyType);
    expect(Object.values<any>(template().Resources).filter((r) => r.Type === 'AWS::KMS::Key')).toEqual([]);
  });

  testEachCaseHolds(CUSTOM_KEY_STORE_KEY_MATRIX, () => synthesized);

  test('a deliberate weakening (the admin also named in KeyUsage) fails the admin\'s cases', async () => {
    const policy = withPrincipalAdded(synthesized.keys.key.policy, 'KeyUsage', synthesized.roles.admin.arn);
    const weakened = { ...synthesized, keys: { key: { ...synthesized.keys.key, policy } } };
    expect(await brokenCases(CUSTOM_KEY_STORE_KEY_MATRIX, weakened))
      .toEqual(['the admin cannot Decrypt', 'the admin cannot Encrypt', 'the admin cannot GenerateDataKey']);
  });
});
