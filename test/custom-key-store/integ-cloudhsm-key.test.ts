import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Runs the integ app as the harness does (CDK_OUTDIR set) and reads what it wrote. */
function synthIntegApp(context: Record<string, string> = {}): any {
  return synthIntegTemplates(context).CloudHsmKeyIntegStack;
}

/** Every template the integ app writes, by stack name (test case and assertions). */
function synthIntegTemplates(context: Record<string, string> = {}): Record<string, any> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-cloudhsm-'));
  const saved = { outdir: process.env.CDK_OUTDIR, context: process.env.CDK_CONTEXT_JSON };
  process.env.CDK_OUTDIR = outdir;
  process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app is a script; requiring it runs it
    jest.isolateModules(() => require('../../integ/integ.cloudhsm-key'));
  } finally {
    restore('CDK_OUTDIR', saved.outdir);
    restore('CDK_CONTEXT_JSON', saved.context);
  }
  return Object.fromEntries(fs.readdirSync(outdir).filter((file) => file.endsWith('.template.json'))
    .map((file) => [file.replace(/\.template\.json$/, ''), JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'))]));
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) { delete process.env[name]; } else { process.env[name] = value; }
}

function normalized(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip)?/g, 'ASSET_HASH$1'));
}

describe('integ/integ.cloudhsm-key.ts', () => {
  // One synthesis without context, shared by the tests that read it.
  let withoutContext: Record<string, any> | undefined;
  const defaultTemplates = () => (withoutContext ??= synthIntegTemplates());

  test('synthesizes without context, with placeholders and stable outputs', () => {
    const template = defaultTemplates().CloudHsmKeyIntegStack;
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(['CustomKeyStoreId', 'KeyArn', 'KeyId', 'AliasName']));
    const store = Object.values(template.Resources).find((r: any) => r.Type === 'Custom::KmsCloudHsmKeyStore') as any;
    expect(store.Properties.CloudHsmClusterId).toBe('cluster-placehldrzz');
    expect(normalized(template)).toMatchSnapshot();
  });

  test('takes the cluster, trust anchor and secret from context', () => {
    const template = synthIntegApp({
      cloudHsmClusterId: 'cluster-234567abcde',
      trustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----',
      kmsUserPasswordSecretName: 'team/kmsuser',
    });
    const store = Object.values(template.Resources).find((r: any) => r.Type === 'Custom::KmsCloudHsmKeyStore') as any;
    expect(store.Properties).toEqual(expect.objectContaining({
      CloudHsmClusterId: 'cluster-234567abcde',
      TrustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----',
    }));
    expect(JSON.stringify(store.Properties.PasswordSecretArn)).toContain('secret:team/kmsuser');
  });

  test('cryptographic calls run as the key\'s user role, which the access checker assumes, not as the assertion provider', () => {
    const templates = defaultTemplates();
    const resources = Object.values(templates).flatMap((template: any) => Object.values(template.Resources ?? {})) as any[];
    // awsApiCall runs as the assertion provider's role, which no key policy statement names.
    const providerCalls = resources.filter((r) => /^Custom::DeployAssert@SdkCallKMS/.test(r.Type)).map((r) => r.Properties.api);
    expect(providerCalls.filter((api: string) => /^(generateDataKey|encrypt|decrypt|reEncrypt)/i.test(api))).toEqual([]);

    const key = Object.values(templates.CloudHsmKeyIntegStack.Resources).find((r: any) => r.Type === 'Custom::KmsCloudHsmKey') as any;
    const usage = key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'KeyUsage');
    expect(usage.Action).toEqual(expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt']));
    expect(usage.Principal.AWS).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^KeyUserRole/), 'Arn'] });
    const [invoke, ...more] = resources.filter((r) => /^Custom::DeployAssert@SdkCallLambdainvoke/.test(r.Type));
    expect(more).toEqual([]);
    // The checker's payload names that role as `user` (through the test-case stack's export of its ARN).
    expect(JSON.stringify(invoke.Properties.parameters)).toContain(usage.Principal.AWS['Fn::GetAtt'][0]);
  });
});
