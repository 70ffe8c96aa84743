/**
 * KmsChecks-KeyPolicyNoRootFullAccess judges an account root by what it can do, however the
 * actions are written. KMS semantics: a key policy statement to an account root lets every IAM
 * principal of that account whose identity policy allows the action perform it (and the root user
 * itself). Unless a condition selects which principals, that is administration and use for
 * everyone the account's IAM policies say.
 */
import { ACCOUNT, OTHER_ACCOUNT, ROOT, keyTemplate, templateFindings, validateTemplate } from './template-validate';
import { Expect } from './validate';

const RULE = 'KmsChecks-KeyPolicyNoRootFullAccess';
const ADMIN = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*',
  'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];
const USE = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
const root = (statement: Record<string, unknown>) => ({ Effect: 'Allow', Principal: { AWS: ROOT }, Resource: '*', ...statement });

describe(`${RULE}: administration and use by an account root, however written`, () => {
  test.each([
    ['kms:*', { Action: 'kms:*' }],
    ['"*"', { Action: '*' }],
    ['NotAction kms:GenerateRandom (every action but one)', { NotAction: 'kms:GenerateRandom' }],
    ['NotAction s3:* (every KMS action)', { NotAction: 's3:*' }],
    ['the console\'s administrator list plus kms:Decrypt', { Action: [...ADMIN, 'kms:Decrypt'] }],
    ['kms:PutKeyPolicy and kms:Decrypt only', { Action: ['kms:PutKeyPolicy', 'kms:Decrypt'] }],
  ])('root with %s is flagged, naming the root', (_name, actions) => {
    expect(templateFindings(keyTemplate([root(actions)]), RULE).names).toEqual({ [`${RULE}[${ROOT}]`]: ['Key'] });
  });

  test('administration and use in two statements is the same thing', () => {
    validateTemplate(keyTemplate([root({ Sid: 'Admin', Action: ADMIN }), root({ Sid: 'Use', Action: USE })]), RULE, Expect.NON_COMPLIANCE);
  });

  test('the account id as principal is the account root', () => {
    validateTemplate(keyTemplate([{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*' }]), RULE, Expect.NON_COMPLIANCE);
  });

  test('administration only (CustomerManagedKey accountAdministration) passes', () => {
    validateTemplate(keyTemplate([root({ Action: ADMIN })]), RULE, Expect.COMPLIANCE);
  });

  test('use only passes (it is not administration)', () => {
    validateTemplate(keyTemplate([root({ Action: USE })]), RULE, Expect.COMPLIANCE);
  });

  test('a Deny of every cryptographic operation leaves administration only', () => {
    validateTemplate(keyTemplate([
      root({ Action: 'kms:*' }),
      { Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Sign', 'kms:Verify', 'kms:GenerateMac', 'kms:VerifyMac', 'kms:DeriveSharedSecret'], Resource: '*' },
    ]), RULE, Expect.COMPLIANCE);
  });
});

describe(`${RULE}: roots of other accounts`, () => {
  test('another account\'s root with kms:* is flagged: full control from outside', () => {
    const template = keyTemplate([root({ Action: ADMIN }), { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }]);
    expect(templateFindings(template, RULE).names).toEqual({ [`${RULE}[arn:aws:iam::${OTHER_ACCOUNT}:root]`]: ['Key'] });
  });

  test('in an environment-agnostic stack, a literal root of any account is flagged', () => {
    const template = keyTemplate([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }]);
    expect(templateFindings(template, RULE, { account: '${AWS::AccountId}' }).names)
      .toEqual({ [`${RULE}[arn:aws:iam::${OTHER_ACCOUNT}:root]`]: ['Key'] });
  });

  test('another account allowed to use the key only passes', () => {
    validateTemplate(keyTemplate([root({ Action: ADMIN }), { Effect: 'Allow', Principal: { AWS: OTHER_ACCOUNT }, Action: USE, Resource: '*' }]), RULE, Expect.COMPLIANCE);
  });
});

describe(`${RULE}: which conditions narrow (README, RULES.md)`, () => {
  test.each([
    ['ArnLike aws:PrincipalArn on a role path', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/orders/*` } }],
    ['StringLike aws:PrincipalArn', { StringLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/ops-*`] } }],
    ['StringEquals aws:PrincipalTag', { StringEquals: { 'aws:PrincipalTag/team': 'security' } }],
    ['StringEquals aws:username', { StringEquals: { 'aws:username': 'break-glass' } }],
  ])('kms:* to root under %s passes: it is about those principals', (_name, condition) => {
    validateTemplate(keyTemplate([root({ Action: 'kms:*', Condition: condition })]), RULE, Expect.COMPLIANCE);
  });

  test('use narrowed by aws:PrincipalTag beside unconditional administration passes (the platform consumer pattern)', () => {
    validateTemplate(keyTemplate([
      root({ Action: ADMIN }),
      root({ Action: USE, Condition: { StringEquals: { 'aws:PrincipalTag/consumer-of': 'orders-key' } } }),
    ]), RULE, Expect.COMPLIANCE);
  });

  test('a Deny to everyone but some principals narrows', () => {
    validateTemplate(keyTemplate([
      root({ Action: 'kms:*' }),
      { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/key-team/*` } } },
    ]), RULE, Expect.COMPLIANCE);
  });

  test.each([
    ['aws:SecureTransport (when, not who)', { Bool: { 'aws:SecureTransport': 'true' } }],
    ['kms:ViaService (how, not who)', { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } }],
    ['kms:CallerAccount (the same account)', { StringEquals: { 'kms:CallerAccount': ACCOUNT } }],
    ['a negated principal condition', { StringNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/guest-*` } }],
    ['an IfExists principal condition', { ArnLikeIfExists: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/*` } }],
    ['aws:PrincipalArn matching every principal of the account', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:*` } }],
    ['aws:PrincipalTag with the value *', { StringLike: { 'aws:PrincipalTag/team': '*' } }],
  ])('kms:* to root under %s is flagged', (_name, condition) => {
    validateTemplate(keyTemplate([root({ Action: 'kms:*', Condition: condition })]), RULE, Expect.NON_COMPLIANCE);
  });

  test('a narrowing condition whose value is only known at deploy time is CannotEvaluate, with the reason', () => {
    const template = keyTemplate([root({ Action: 'kms:*', Condition: { ArnLike: { 'aws:PrincipalArn': { 'Fn::If': ['Prod', 'arn:aws:iam::111111111111:role/a', '*'] } } } })]);
    const { names, reasons } = templateFindings(template, RULE);
    expect(names).toEqual({ [`${RULE}[CannotEvaluate]`]: ['Key'] });
    expect(reasons).toEqual([expect.stringMatching(/^Whether arn:aws:iam::111111111111:root can both administer and use the key: a condition of .* cannot be read at synth\.$/)]);
  });
});
