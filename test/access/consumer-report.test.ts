import { AccessDecision, KeyAccessReport } from '../../src/access';

const ACCOUNT = '111111111111';
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;
const ORDERS = `arn:aws:iam::${ACCOUNT}:role/app/orders/*`;

const template = {
  Resources: {
    Key: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'], Resource: '*' },
            {
              Sid: 'ConsumersByPath',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
              Action: ['kms:Decrypt', 'kms:DescribeKey'],
              Resource: '*',
              Condition: { ArnLike: { 'aws:PrincipalArn': ORDERS }, ArnNotEquals: { 'aws:PrincipalArn': [ADMIN] } },
            },
            {
              Sid: 'ConsumersByTag',
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::222222222222:root' },
              Action: 'kms:Decrypt',
              Resource: '*',
              Condition: { StringEquals: { 'aws:PrincipalTag/kms-consumer': 'reports' } },
            },
          ],
        },
      },
    },
  },
};

describe('the access report shows consumers admitted by condition', () => {
  const report = KeyAccessReport.fromTemplates([{ stackName: 'Security', template, account: ACCOUNT }]);
  const byPrincipal = Object.fromEntries(report.keys[0].principals.map((row) => [row.principal, row]));

  test('a role path consumer is a row of its own: use CONDITIONAL with the condition, nothing else', () => {
    const row = byPrincipal[ORDERS];
    expect(row.use).toMatchObject({ decision: AccessDecision.CONDITIONAL, statements: ['key policy statement 1 (Sid ConsumersByPath)'] });
    // The row's own condition, the path, is shown; the exclusion of the administrator holds for
    // every role under the path (its ARN is outside it), so it is no condition of this row.
    expect(row.use.conditions).toEqual([`ArnLike aws:PrincipalArn ${ORDERS}`]);
    expect(row.use.reason).toContain('identity policy of the principal outside this template');
    expect([row.administer.decision, row.grant.decision, row.delete.decision]).toEqual([
      AccessDecision.IMPLICIT_DENY, AccessDecision.IMPLICIT_DENY, AccessDecision.IMPLICIT_DENY,
    ]);
  });

  test('a tag consumer of another account is a row for that account, with the tag condition', () => {
    const row = byPrincipal['arn:aws:iam::222222222222:*'];
    expect(row.use.decision).toBe(AccessDecision.CONDITIONAL);
    expect(row.use.conditions).toEqual(['StringEquals aws:PrincipalTag/kms-consumer reports']);
  });

  test('the administrator cannot use the key: the exclusion decides it', () => {
    expect(byPrincipal[ADMIN].administer.decision).toBe(AccessDecision.ALLOWED);
    expect(byPrincipal[ADMIN].use.decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('the Markdown names the condition', () => {
    expect(KeyAccessReport.toMarkdown(report)).toContain('CONDITIONAL (key policy statement 2 (Sid ConsumersByTag); when StringEquals aws:PrincipalTag/kms-consumer reports)');
  });
});
