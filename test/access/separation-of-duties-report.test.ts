/**
 * The access report's "may administer and use" judges a row as the key constructs' own
 * separation-of-duties check does (one implementation, src/access/separation-of-duties.ts):
 * use narrowed by a role path or a tag does not count against administration narrowed to named
 * roles the path cannot match. iam-simulate, an independent engine, confirms each verdict.
 */
import * as fc from 'fast-check';
import { AccessDecision, KeyAccessReport, PrincipalAccess } from '../../src/access';
import { simulate } from '../support/policy-simulation';

const ACCOUNT = '111111111111';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ADMIN_ACTIONS = ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey'];
const TAG = 'aws:PrincipalTag/kms-consumer-1234abcd-GrantDecrypt';
/** What a role's identity policy allows in these cases: everything on the key, so the key policy decides. */
const EVERYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

/** A key policy in platform shape: administration by named role ARN, use by a role path and by a tag. */
function keyPolicy(admin: string, usePattern: string, administrationCondition = true): any {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        ...{ Sid: 'AccountAdministration', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ADMIN_ACTIONS, Resource: '*' },
        ...(administrationCondition ? { Condition: { ArnEquals: { 'aws:PrincipalArn': admin } } } : {}),
      },
      useStatement('DeclaredConsumers', { ArnLike: { 'aws:PrincipalArn': usePattern } }),
      useStatement('TaggedConsumers', { StringEquals: { [TAG]: 'true' } }),
    ],
  };
}

function useStatement(sid: string, condition: any): any {
  return { Sid: sid, Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:Decrypt', Resource: '*', Condition: condition };
}

function rows(policy: any): Record<string, PrincipalAccess> {
  const template = { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: policy } } } };
  const report = KeyAccessReport.fromTemplates([{ stackName: 'Security', template, account: ACCOUNT }]);
  return Object.fromEntries(report.keys[0].principals.map((row) => [row.principal, row]));
}

/**
 * Whether iam-simulate lets `principal` (allowed everything by its identity policy, untagged) do
 * `action`. iam-simulate takes aws:PrincipalArn from the request context only.
 */
async function simulated(policy: any, principal: string, action: string): Promise<boolean> {
  const context = { 'aws:PrincipalArn': principal };
  return (await simulate(policy, { principal, action, identityPolicies: [EVERYTHING], context })) === 'Allowed';
}

describe('administration by a named role, use by a path it is not under', () => {
  const admin = `arn:aws:iam::${ACCOUNT}:role/platform/KeyAdmin`;
  const pattern = `arn:aws:iam::${ACCOUNT}:role/app/orders/*`;
  const policy = keyPolicy(admin, pattern);
  const report = rows(policy);

  test('the account row is CONDITIONAL on both sides, yet may not do both; the path row cannot administer', () => {
    const { administer, use } = report[`arn:aws:iam::${ACCOUNT}:*`];
    expect([administer.decision, use.decision]).toEqual([AccessDecision.CONDITIONAL, AccessDecision.CONDITIONAL]);
    // Administration is for the named role only, whose ARN no role under the path has.
    expect([report[pattern].administer.decision, report[pattern].use.decision]).toEqual([AccessDecision.IMPLICIT_DENY, AccessDecision.CONDITIONAL]);
    expect(Object.values(report).filter((row) => row.mayAdministerAndUse).map((row) => row.principal)).toEqual([]);
    expect(report[admin].mayAdministerAndUse).toBe(false);
  });

  test('the Markdown lists nobody as doing both', () => {
    const template = { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: policy } } } };
    const markdown = KeyAccessReport.toMarkdown(KeyAccessReport.fromTemplates([{ stackName: 'S', template, account: ACCOUNT }]));
    expect(markdown).not.toContain('**May both administer and use (separation of duties broken):**');
  });

  test('iam-simulate agrees: a consumer under the path decrypts and cannot administer; the administrator administers and cannot decrypt', async () => {
    const consumer = `arn:aws:iam::${ACCOUNT}:role/app/orders/Fn`;
    expect(await simulated(policy, consumer, 'kms:Decrypt')).toBe(true);
    expect(await simulated(policy, consumer, 'kms:PutKeyPolicy')).toBe(false);
    expect(await simulated(policy, admin, 'kms:PutKeyPolicy')).toBe(true);
    expect(await simulated(policy, admin, 'kms:Decrypt')).toBe(false);
  });
});

describe('where the use path could match the administrator, the report still says so', () => {
  const admin = `arn:aws:iam::${ACCOUNT}:role/app/orders/KeyAdmin`;
  const pattern = `arn:aws:iam::${ACCOUNT}:role/app/*`;
  const policy = keyPolicy(admin, pattern);
  const report = rows(policy);

  test('the path row and the administrator may both administer and use; the Markdown names them', () => {
    expect(report[pattern].mayAdministerAndUse).toBe(true);
    expect(report[admin].mayAdministerAndUse).toBe(true);
    const template = { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: policy } } } };
    const markdown = KeyAccessReport.toMarkdown(KeyAccessReport.fromTemplates([{ stackName: 'S', template, account: ACCOUNT }]));
    const listed = markdown.split('**May both administer and use (separation of duties broken):**\n\n')[1]?.split('\n\n')[0];
    expect(listed?.trim().split('\n').sort()).toEqual([`- \`${admin}\``, `- \`${pattern}\``].sort());
  });

  test('iam-simulate agrees: the administrator can do both', async () => {
    expect(await simulated(policy, admin, 'kms:PutKeyPolicy')).toBe(true);
    expect(await simulated(policy, admin, 'kms:Decrypt')).toBe(true);
  });
});

test('administration delegated to the whole account, use by a tag: the account row may do both (a tag is no bound on who administers)', async () => {
  const policy = keyPolicy('unused', `arn:aws:iam::${ACCOUNT}:role/app/orders/*`, false);
  expect(rows(policy)[`arn:aws:iam::${ACCOUNT}:*`].mayAdministerAndUse).toBe(true);
  const tagged = `arn:aws:iam::${ACCOUNT}:role/any/Role`;
  const request = { principal: tagged, identityPolicies: [EVERYTHING], context: { 'aws:PrincipalArn': tagged, [TAG]: 'true' } };
  expect(await simulate(policy, { ...request, action: 'kms:PutKeyPolicy' })).toBe('Allowed');
  expect(await simulate(policy, { ...request, action: 'kms:Decrypt' })).toBe('Allowed');
});

describe('for every administrator path and consumer path pattern', () => {
  const segment = fc.constantFrom('app', 'orders', 'platform', 'ops');
  const arbitraryCase = fc.record({
    adminPath: fc.array(segment, { minLength: 0, maxLength: 2 }),
    adminName: fc.constantFrom('KeyAdmin', 'Fn', 'ops'),
    patternPath: fc.array(segment, { minLength: 1, maxLength: 2 }),
    patternTail: fc.constantFrom('*', 'K*', 'F?', '*Admin'),
  });

  test('some row may do both exactly when iam-simulate lets the administrator both administer and decrypt (untagged)', async () => {
    await fc.assert(fc.asyncProperty(arbitraryCase, async ({ adminPath, adminName, patternPath, patternTail }) => {
      const admin = `arn:aws:iam::${ACCOUNT}:role/${[...adminPath, adminName].join('/')}`;
      const pattern = `arn:aws:iam::${ACCOUNT}:role/${[...patternPath, patternTail].join('/')}`;
      const policy = keyPolicy(admin, pattern);
      const reported = Object.values(rows(policy)).some((row) => row.mayAdministerAndUse);
      const both = await simulated(policy, admin, 'kms:PutKeyPolicy') && await simulated(policy, admin, 'kms:Decrypt');
      expect(reported).toBe(both);
    }), { numRuns: 60, seed: 14 });
  });
});
