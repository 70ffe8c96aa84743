import { App, CfnResource, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { AccessDecision, CustomerManagedKey, GrantOperation, KeyAccessReport, KeyPolicyEvaluator, PolicySource } from '../../src';
import { readTemplate } from '../../src/access/template-model';
import { violationsOf } from '../nag/validate';

const ACCOUNT = '111111111111';
const WORKER = `arn:aws:iam::${ACCOUNT}:role/Worker`;
const PARTNER = 'arn:aws:iam::222222222222:role/Partner';
const KEY_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` }, Action: 'kms:PutKeyPolicy', Resource: '*' }] };

function grant(extra: Record<string, unknown> = {}) {
  return { logicalId: 'WorkerGrant', granteePrincipal: WORKER, operations: ['Decrypt', 'GenerateDataKey'], ...extra };
}

function decide(grants: any[], principal: string, action: string, keyPolicy: any = KEY_POLICY, identityPolicies?: Record<string, any[]>) {
  return new KeyPolicyEvaluator({ keyPolicy, keyAccount: ACCOUNT, grants, identityPolicies }).evaluate({ principal, action });
}

describe('readTemplate finds grant resources and the key they are on', () => {
  const properties = { GranteePrincipal: WORKER, Operations: ['Decrypt'] };
  const model = readTemplate({
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: KEY_POLICY } },
      Other: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: KEY_POLICY } },
      ByArn: { Type: 'Custom::KmsKeyGrant', Properties: { KeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] }, ...properties, Constraints: { EncryptionContextSubset: { a: 'b' } } } },
      ById: { Type: 'AWS::CloudFormation::CustomResource', Properties: { KeyId: { Ref: 'Key' }, ...properties, RetiringPrincipal: PARTNER } },
      OnAnotherKey: { Type: 'Custom::Anything', Properties: { KeyArn: 'arn:aws:kms:us-east-1:111111111111:key/abc', ...properties } },
      NotCustom: { Type: 'AWS::Some::Thing', Properties: { KeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] }, ...properties } },
      NoOperations: { Type: 'Custom::KmsKeyGrant', Properties: { KeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] }, GranteePrincipal: WORKER } },
    },
  });

  test('by KeyArn or KeyId, with the grant parameters as in the template', () => {
    expect(model.keys[0].grants).toEqual([
      { logicalId: 'ByArn', path: undefined, granteePrincipal: WORKER, operations: ['Decrypt'], retiringPrincipal: undefined, constraints: { EncryptionContextSubset: { a: 'b' } } },
      { logicalId: 'ById', path: undefined, granteePrincipal: WORKER, operations: ['Decrypt'], retiringPrincipal: PARTNER, constraints: undefined },
    ]);
  });

  test('grants on keys outside the template, non-custom resources and incomplete ones are not grants of a key here', () => {
    expect(model.keys[1].grants).toEqual([]);
  });
});

describe('KeyPolicyEvaluator with grants', () => {
  test('a grant allows its grantee its operations on its own, and says it is a grant', () => {
    const result = decide([grant()], WORKER, 'kms:Decrypt');
    expect(result.decision).toBe(AccessDecision.ALLOWED);
    expect(result.statements).toEqual([{ sid: 'WorkerGrant', index: 0, effect: 'Allow', conditional: false, source: PolicySource.GRANT }]);
    expect(result.reason).toBe('Allowed by grant WorkerGrant.');
  });

  test('only its operations, only to its grantee', () => {
    expect(decide([grant()], WORKER, 'kms:Encrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
    expect(decide([grant()], `arn:aws:iam::${ACCOUNT}:role/Other`, 'kms:Decrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('an encryption context constraint makes it CONDITIONAL, and the constraint is named', () => {
    const result = decide([grant({ constraints: { EncryptionContextEquals: { tenant: 'acme' } } })], WORKER, 'kms:Decrypt');
    expect(result.decision).toBe(AccessDecision.CONDITIONAL);
    expect(result.statements[0]).toEqual(expect.objectContaining({ source: PolicySource.GRANT, conditional: true, constraints: 'EncryptionContextEquals {"tenant":"acme"}' }));
    expect(result.reason).toBe('Allowed by grant WorkerGrant (EncryptionContextEquals {"tenant":"acme"}) when their conditions hold.');
  });

  test('an explicit Deny in the key policy still wins over a grant', () => {
    const denying = { ...KEY_POLICY, Statement: [...KEY_POLICY.Statement, { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] };
    expect(decide([grant()], WORKER, 'kms:Decrypt', denying).decision).toBe(AccessDecision.EXPLICIT_DENY);
  });

  test('an explicit Deny in the grantee identity policy still wins over a grant', () => {
    const identity = { [WORKER]: [{ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }] }] };
    expect(decide([grant()], WORKER, 'kms:Decrypt', KEY_POLICY, identity).decision).toBe(AccessDecision.EXPLICIT_DENY);
  });

  test('a grantee of another account needs no identity policy of ours: the grant is enough', () => {
    expect(decide([grant({ granteePrincipal: PARTNER })], PARTNER, 'kms:Decrypt').decision).toBe(AccessDecision.ALLOWED);
  });

  test('a grant to an account delegates to IAM in it, like an account in the key policy', () => {
    const toAccount = [grant({ granteePrincipal: `arn:aws:iam::${ACCOUNT}:root` })];
    expect(decide(toAccount, WORKER, 'kms:Decrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
    const identity = { [WORKER]: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] }] };
    expect(decide(toAccount, WORKER, 'kms:Decrypt', KEY_POLICY, identity).decision).toBe(AccessDecision.ALLOWED);
  });

  test('grantees are principals of the key', () => {
    expect(new KeyPolicyEvaluator({ keyPolicy: KEY_POLICY, keyAccount: ACCOUNT, grants: [grant()] }).principals()).toContain(WORKER);
  });

  test('a grant whose operations are only known at deploy time cannot be evaluated, and says so', () => {
    const grants = [grant({ operations: { 'Fn::If': ['C', ['Decrypt'], ['Encrypt']] } })];
    const evaluator = new KeyPolicyEvaluator({ keyPolicy: KEY_POLICY, keyAccount: ACCOUNT, grants });
    expect(evaluator.evaluate({ principal: WORKER, action: 'kms:Decrypt' }).decision).toBe(AccessDecision.CANNOT_EVALUATE);
    expect(evaluator.problems).toEqual([expect.stringMatching(/^grant statement 0 \(Sid WorkerGrant\): Action value cannot be evaluated/)]);
  });
});

describe('the access report and KmsChecks read KeyGrant resources', () => {
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'Keys', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const key = new CustomerManagedKey(stack, 'Data');
  const worker = new iam.Role(stack, 'Worker', { assumedBy: new iam.AccountRootPrincipal() });
  key.grantWithConstraints('WorkerGrant', { grantee: worker, operations: [GrantOperation.DECRYPT], encryptionContextSubset: { tenant: 'acme' } });
  const report = KeyAccessReport.fromStage(app);
  const [data] = report.keys;

  test('the grantee has a row: use CONDITIONAL through the grant, with its constraint', () => {
    const row = data.principals.find((principal) => principal.principal.startsWith('${Worker'))!;
    expect(row.use).toEqual(expect.objectContaining({
      decision: AccessDecision.CONDITIONAL,
      actions: ['kms:Decrypt'],
      statements: [expect.stringMatching(/^grant DataWorkerGrant[0-9A-F]{8} \(EncryptionContextSubset \{"tenant":"acme"\}\)$/)],
    }));
    const denied = AccessDecision.IMPLICIT_DENY;
    expect([row.administer.decision, row.grant.decision, row.delete.decision]).toEqual([denied, denied, denied]);
  });

  test('the key lists its grants, and the Markdown shows them under the matrix', () => {
    expect(data.grants).toEqual([{
      logicalId: expect.stringMatching(/^DataWorkerGrant/),
      path: 'Keys/Data/WorkerGrant/Resource/Default',
      grantee: expect.stringMatching(/^\$\{Worker[0-9A-F]{8}\.Arn\}$/),
      operations: ['Decrypt'],
      constraints: 'EncryptionContextSubset {"tenant":"acme"}',
      retiringPrincipal: undefined,
    }]);
    const markdown = KeyAccessReport.toMarkdown(report);
    expect(markdown).toContain('| Grant | Grantee | Operations | Constraint | Retiring principal |');
    expect(markdown).toMatch(/\| Keys\/Data\/WorkerGrant\/Resource\/Default \| `\$\{Worker[0-9A-F]{8}\.Arn\}` \| Decrypt \| EncryptionContextSubset \{"tenant":"acme"\} \| - \|/);
  });

  test('the handler role may create only the pinned grant: no KmsChecks policy finding', () => {
    for (const rule of ['KmsChecks-KeyCreateGrantForAwsResourcesOnly', 'KmsChecks-KeyAdminAndUseSeparated', 'KmsChecks-KeyPolicyEvaluable']) {
      expect(violationsOf(stack, rule)).toEqual({});
    }
  });
});

describe('KmsChecks findings that come from grants', () => {
  function withGrantResource(properties: (stack: Stack, key: CustomerManagedKey) => Record<string, unknown>): Stack {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const key = new CustomerManagedKey(stack, 'Key');
    // A grant resource written by hand (or by another tool): KeyGrant itself refuses these at synth.
    new CfnResource(stack, 'HandWrittenGrant', { type: 'Custom::KmsKeyGrant', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:f', KeyArn: key.keyArn, ...properties(stack, key) } });
    return stack;
  }

  test('a grant of use to a key administrator is a separation-of-duties finding for that administrator', () => {
    const stack = withGrantResource((_stack, key) => ({ GranteePrincipal: key.adminRole!.roleArn, Operations: ['Decrypt'] }));
    expect(Object.keys(violationsOf(stack, 'KmsChecks-KeyAdminAndUseSeparated'))).toEqual([
      expect.stringMatching(/^KmsChecks-KeyAdminAndUseSeparated\[\$\{KeyAdminRole[0-9A-F]{8}\.Arn\}\]$/),
    ]);
  });

  test('a grant that carries CreateGrant lets its grantee hand the key to anyone: a grant finding for the grantee', () => {
    const stack = withGrantResource(() => ({ GranteePrincipal: WORKER, Operations: ['Decrypt', 'CreateGrant'] }));
    expect(Object.keys(violationsOf(stack, 'KmsChecks-KeyCreateGrantForAwsResourcesOnly'))).toEqual([`KmsChecks-KeyCreateGrantForAwsResourcesOnly[${WORKER}]`]);
  });

  test('KeyGrant with the CreateGrant operation: the grantee and the handler role that may create it are both findings', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const key = new CustomerManagedKey(stack, 'Key');
    key.grantWithConstraints('G', { grantee: new iam.ArnPrincipal(WORKER), operations: [GrantOperation.DECRYPT, GrantOperation.CREATE_GRANT] });
    expect(Object.keys(violationsOf(stack, 'KmsChecks-KeyCreateGrantForAwsResourcesOnly')).sort()).toEqual([
      expect.stringMatching(/^KmsChecks-KeyCreateGrantForAwsResourcesOnly\[\$\{CdkKmsPatternsKeyGrantProviderHandlerRole[0-9A-F]{8}\.Arn\}\]$/),
      `KmsChecks-KeyCreateGrantForAwsResourcesOnly[${WORKER}]`,
    ]);
  });
});

describe('KeyCreateGrantForAwsResourcesOnly: what counts as a pinned grant', () => {
  const HELPER = `arn:aws:iam::${ACCOUNT}:role/Helper`;
  test.each([
    ['grantee and operations pinned', false, { 'StringEquals': { 'kms:GranteePrincipal': WORKER }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } }],
    ['a wildcard grantee', true, { 'StringLike': { 'kms:GranteePrincipal': `arn:aws:iam::${ACCOUNT}:role/*` }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } }],
    ['operations not pinned', true, { StringEquals: { 'kms:GranteePrincipal': WORKER } }],
    ['operations that include CreateGrant', true, { 'StringEquals': { 'kms:GranteePrincipal': WORKER }, 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'CreateGrant'] } }],
    ['only operations pinned', true, { 'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] } }],
  ])('%s: finding %s', (_name, finding, condition) => {
    const stack = new Stack(new App(), 'Stack', { env: { account: ACCOUNT, region: 'us-east-1' } });
    const key = new CustomerManagedKey(stack, 'Key');
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(HELPER)], actions: ['kms:CreateGrant'], resources: ['*'], conditions: condition }));
    expect(Object.keys(violationsOf(stack, 'KmsChecks-KeyCreateGrantForAwsResourcesOnly'))).toEqual(finding ? [`KmsChecks-KeyCreateGrantForAwsResourcesOnly[${HELPER}]`] : []);
  });
});

describe('a grant whose key reference cannot be read at synth', () => {
  const KEY = { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: KEY_POLICY } };
  const grantOn = (reference: unknown) => ({ Type: 'Custom::KmsKeyGrant', Properties: { KeyArn: reference, GranteePrincipal: WORKER, Operations: ['Decrypt'] } });

  test.each([
    ['an imported value', { 'Fn::ImportValue': 'SharedKeyArn' }],
    ['a parameter', { Ref: 'KeyArnParameter' }],
    ['a condition', { 'Fn::If': ['UseA', { 'Fn::GetAtt': ['Key', 'Arn'] }, 'arn:aws:kms:us-east-1:111111111111:key/abc'] }],
  ])('(%s) is not dropped: its grantee is CANNOT EVALUATE on every key of the template, naming the grant', (_name, reference) => {
    const report = KeyAccessReport.fromTemplates([{
      stackName: 'Stack',
      account: ACCOUNT,
      template: { Parameters: { KeyArnParameter: { Type: 'String' } }, Resources: { Key: KEY, Other: KEY, Grant: grantOn(reference) } },
    }]);
    for (const key of report.keys) {
      const row = key.principals.find((principal) => principal.principal === WORKER)!;
      expect(row.use.decision).toBe(AccessDecision.CANNOT_EVALUATE);
      expect(key.grants.map((listed) => listed.logicalId)).toEqual(['Grant']);
      expect(row.use.statements).toEqual(['grant Grant']);
      expect(row.use.reason).toMatch(/cannot evaluate/i);
    }
  });

  test('a grant on a key of another account or Region (a literal ARN) is still not a grant of these keys', () => {
    const report = KeyAccessReport.fromTemplates([{ stackName: 'Stack', account: ACCOUNT, template: { Resources: { Key: KEY, Grant: grantOn('arn:aws:kms:us-east-1:111111111111:key/abc') } } }]);
    expect(report.keys[0].grants).toEqual([]);
    expect(report.keys[0].principals.map((principal) => principal.principal)).not.toContain(WORKER);
  });
});
