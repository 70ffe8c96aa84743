import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Runs the integ app as the harness does (CDK_OUTDIR set) and reads what it wrote. */
function synthIntegApp(context: Record<string, string> = {}): any {
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
  return JSON.parse(fs.readFileSync(path.join(outdir, 'CloudHsmKeyIntegStack.template.json'), 'utf8'));
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) { delete process.env[name]; } else { process.env[name] = value; }
}

function normalized(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip)?/g, 'ASSET_HASH$1'));
}

describe('integ/integ.cloudhsm-key.ts', () => {
  test('synthesizes without context, with placeholders and stable outputs', () => {
    const template = synthIntegApp();
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
});
