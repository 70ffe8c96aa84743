import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack, Validations, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { AccessDecision, CustomerManagedKey, KeyAccessReport } from '../../src';

const ACCOUNT = '111111111111';

function app(outdir?: string): App {
  return new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
}

function rows(report: ReturnType<typeof KeyAccessReport.fromStage>, keyIndex = 0) {
  return Object.fromEntries(report.keys[keyIndex].principals.map((row) => [row.principal.replace(/[0-9A-F]{8}\.Arn/, '.Arn'),
    [row.administer.decision, row.use.decision, row.grant.decision, row.delete.decision]]));
}

describe('KeyAccessReport of a CustomerManagedKey', () => {
  const root = app();
  const stack = new Stack(root, 'Keys', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  new CustomerManagedKey(stack, 'Data');
  const report = KeyAccessReport.fromStage(root);

  test('separates administrators from users: nobody both administers and uses the key', () => {
    expect(report.keys.map((key) => [key.stack, key.path, key.type])).toEqual([['Keys', 'Keys/Data/Resource', 'AWS::KMS::Key']]);
    expect(rows(report)).toEqual({
      // The account statement admits only the deployment role (aws:PrincipalArn), which also needs
      // its identity policy (outside the template): CONDITIONAL. The root itself no longer administers.
      [`arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-1`]: [AccessDecision.CONDITIONAL, AccessDecision.IMPLICIT_DENY, AccessDecision.IMPLICIT_DENY, AccessDecision.CONDITIONAL],
      '${DataAdminRole.Arn}': [AccessDecision.ALLOWED, AccessDecision.IMPLICIT_DENY, AccessDecision.IMPLICIT_DENY, AccessDecision.ALLOWED],
      '${DataUserRole.Arn}': [AccessDecision.IMPLICIT_DENY, AccessDecision.ALLOWED, AccessDecision.CONDITIONAL, AccessDecision.IMPLICIT_DENY],
    });
  });

  test('says why: the deciding statements and, for grants, that a condition decides', () => {
    const user = report.keys[0].principals.find((row) => row.principal.startsWith('${DataUserRole'))!;
    expect(user.use.statements).toEqual(['key policy statement 2 (Sid KeyUsage)']);
    expect(user.grant).toEqual(expect.objectContaining({ actions: ['kms:CreateGrant'], statements: ['key policy statement 3 (Sid AllowAttachmentOfPersistentResources)'] }));
    expect(report.keys[0].problems).toEqual([]);
  });
});

describe('KeyAccessReport of a plain kms.Key', () => {
  const root = app();
  const stack = new Stack(root, 'Plain', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key');
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  key.grantDecrypt(reader);
  const report = KeyAccessReport.fromStage(root);

  test('shows that the account root statement hands every action to IAM, and who IAM lets use the key', () => {
    expect(rows(report)).toEqual({
      [`arn:aws:iam::${ACCOUNT}:root`]: [AccessDecision.ALLOWED, AccessDecision.ALLOWED, AccessDecision.ALLOWED, AccessDecision.ALLOWED],
      '${Reader.Arn}': [AccessDecision.IMPLICIT_DENY, AccessDecision.ALLOWED, AccessDecision.IMPLICIT_DENY, AccessDecision.IMPLICIT_DENY],
    });
    const readerRow = report.keys[0].principals[1];
    expect(readerRow.use.actions).toEqual(['kms:Decrypt']);
    expect(readerRow.use.statements).toEqual(['key policy statement 0', 'identity policy 0 statement 0']);
  });

  test('renders a Markdown matrix', () => {
    const markdown = KeyAccessReport.toMarkdown(report);
    expect(markdown).toContain('## Plain/Key/Resource');
    expect(markdown).toContain('| Principal | Administer | Use | Grant | Delete |');
    expect(markdown).toMatch(/\| `\$\{Reader[0-9A-F]{8}\.Arn\}` \| - \| ALLOWED \(key policy statement 0; identity policy 0 statement 0\) \| - \| - \|/);
  });
});

test('unresolvable tokens are reported as CANNOT_EVALUATE with the statement index', () => {
  const report = KeyAccessReport.fromTemplates([{
    stackName: 'Imported',
    template: {
      Resources: {
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: { 'Fn::ImportValue': 'AdminArn' } }, Action: 'kms:*', Resource: '*' }] } },
        },
      },
    },
  }]);
  expect(report.keys[0].problems).toEqual([expect.stringMatching(/^key policy statement 0: Principal value cannot be evaluated/)]);
  expect(KeyAccessReport.toMarkdown(report)).toContain('**Cannot evaluate:**');
});

test('as a validation plugin, synth writes kms-access-report.json and .md into the cloud assembly and passes', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'kms-access-report-'));
  const root = app(outdir);
  const stack = new Stack(root, 'Keys', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  new CustomerManagedKey(stack, 'Data');
  Validations.of(root).addPlugins(new KeyAccessReport());
  root.synth();
  expect(existsSync(join(outdir, 'kms-access-report.md'))).toBe(true);
  const written = JSON.parse(readFileSync(join(outdir, 'kms-access-report.json'), 'utf-8'));
  expect(written.keys.map((key: any) => key.stack)).toEqual(['Keys']);
  expect(written.keys[0].principals).toHaveLength(3);
});
