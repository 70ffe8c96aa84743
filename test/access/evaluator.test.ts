import { AccessDecision, KeyPolicyEvaluator, PolicySource } from '../../src/access';

const ACCOUNT = '111111111111';
const OTHER = '222222222222';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
const PARTNER = `arn:aws:iam::${OTHER}:role/Partner`;

function policy(...statements: any[]) {
  return { Version: '2012-10-17', Statement: statements };
}
function allow(principal: any, action: any, extra: any = {}) {
  return { Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...extra };
}
function deny(principal: any, action: any, extra: any = {}) {
  return { Effect: 'Deny', Principal: principal, Action: action, Resource: '*', ...extra };
}
function decide(keyPolicy: any, principal: string, action: string, identityPolicies?: Record<string, any[]>) {
  return new KeyPolicyEvaluator({ keyPolicy, keyAccount: ACCOUNT, identityPolicies }).evaluate({ principal, action });
}
const identity = (...statements: any[]) => ({ Version: '2012-10-17', Statement: statements.map((s) => ({ Resource: '*', ...s })) });

describe('principals named in the key policy', () => {
  test('a role named directly may act without an identity policy', () => {
    const result = decide(policy(allow({ AWS: ADMIN }, 'kms:PutKeyPolicy')), ADMIN, 'kms:PutKeyPolicy');
    expect(result.decision).toBe(AccessDecision.ALLOWED);
    expect(result.statements).toEqual([{ sid: undefined, index: 0, effect: 'Allow', conditional: false, source: PolicySource.KEY_POLICY, policyIndex: undefined }]);
  });

  test('another role of the same account is not allowed', () => {
    expect(decide(policy(allow({ AWS: ADMIN }, 'kms:*')), APP, 'kms:Decrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test("'*' names every principal", () => {
    expect(decide(policy(allow('*', 'kms:Decrypt')), PARTNER, 'kms:Decrypt', { [PARTNER]: [identity({ Effect: 'Allow', Action: 'kms:Decrypt' })] }).decision)
      .toBe(AccessDecision.ALLOWED);
    expect(decide(policy(allow({ AWS: '*' }, 'kms:Decrypt')), APP, 'kms:Decrypt').decision).toBe(AccessDecision.ALLOWED);
  });

  test('a service principal is allowed by the key policy alone', () => {
    const keyPolicy = policy(allow({ Service: 'logs.amazonaws.com' }, ['kms:Encrypt*', 'kms:Decrypt*']));
    expect(decide(keyPolicy, 'service:logs.amazonaws.com', 'kms:Encrypt').decision).toBe(AccessDecision.ALLOWED);
    expect(decide(keyPolicy, 'service:s3.amazonaws.com', 'kms:Encrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('a role of the template is in the key account', () => {
    const keyPolicy = policy(allow({ AWS: { 'Fn::GetAtt': ['AdminRole', 'Arn'] } }, 'kms:PutKeyPolicy'));
    expect(decide(keyPolicy, '${AdminRole.Arn}', 'kms:PutKeyPolicy').decision).toBe(AccessDecision.ALLOWED);
  });
});

describe('account root delegation', () => {
  const rootPolicy = policy(allow({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:root`]] } }, 'kms:*'));

  test.each([ROOT, ACCOUNT])('the key policy naming %s lets an IAM principal act when its identity policy allows it', (root) => {
    const keyPolicy = policy(allow({ AWS: root }, 'kms:*'));
    const result = decide(keyPolicy, APP, 'kms:Decrypt', { [APP]: [identity({ Effect: 'Allow', Action: 'kms:Decrypt' })] });
    expect(result.decision).toBe(AccessDecision.ALLOWED);
    expect(result.statements.map((s) => s.source)).toEqual([PolicySource.KEY_POLICY, PolicySource.IDENTITY_POLICY]);
  });

  test('without an identity policy the delegation alone allows nothing', () => {
    const result = decide(rootPolicy, APP, 'kms:Decrypt');
    expect(result.decision).toBe(AccessDecision.IMPLICIT_DENY);
    expect(result.statements).toHaveLength(1);
  });

  test('identityPoliciesElsewhere is part of the question: one evaluator answers both ways, in either order', () => {
    const evaluator = new KeyPolicyEvaluator({ keyPolicy: policy(allow({ AWS: ROOT }, 'kms:*')), keyAccount: ACCOUNT });
    const here = { principal: APP, action: 'kms:Decrypt' };
    const elsewhere = { ...here, identityPoliciesElsewhere: true };
    expect(evaluator.evaluate(here).decision).toBe(AccessDecision.IMPLICIT_DENY);
    expect(evaluator.evaluate(elsewhere).decision).toBe(AccessDecision.CONDITIONAL);
    const reversed = new KeyPolicyEvaluator({ keyPolicy: policy(allow({ AWS: ROOT }, 'kms:*')), keyAccount: ACCOUNT });
    expect(reversed.evaluate(elsewhere).decision).toBe(AccessDecision.CONDITIONAL);
    expect(reversed.evaluate(here).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('an identity policy alone allows nothing without the delegation', () => {
    const keyPolicy = policy(allow({ AWS: ADMIN }, 'kms:*'));
    expect(decide(keyPolicy, APP, 'kms:Decrypt', { [APP]: [identity({ Effect: 'Allow', Action: 'kms:*' })] }).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('the root user itself is allowed by a statement naming its account', () => {
    expect(decide(rootPolicy, ROOT, 'kms:PutKeyPolicy').decision).toBe(AccessDecision.ALLOWED);
    expect(decide(rootPolicy, ACCOUNT, 'kms:PutKeyPolicy').decision).toBe(AccessDecision.ALLOWED);
  });

  test('an identity policy Deny counts', () => {
    const identityPolicies = { [ADMIN]: [identity({ Effect: 'Deny', Action: 'kms:PutKeyPolicy' })] };
    const result = decide(policy(allow({ AWS: ADMIN }, 'kms:*')), ADMIN, 'kms:PutKeyPolicy', identityPolicies);
    expect(result.decision).toBe(AccessDecision.EXPLICIT_DENY);
    expect(result.statements[0].source).toBe(PolicySource.IDENTITY_POLICY);
  });

  test('identity policies given as { PolicyName, PolicyDocument } are read too', () => {
    const identityPolicies = { [APP]: [{ PolicyName: 'Inline', PolicyDocument: identity({ Effect: 'Allow', Action: 'kms:Decrypt' }) }] };
    expect(decide(rootPolicy, APP, 'kms:Decrypt', identityPolicies).decision).toBe(AccessDecision.ALLOWED);
  });
});

describe('cross-account principals need both sides', () => {
  const partnerAllowed = { [PARTNER]: [identity({ Effect: 'Allow', Action: 'kms:Decrypt' })] };

  test('named in the key policy and allowed by its identity policy', () => {
    expect(decide(policy(allow({ AWS: PARTNER }, 'kms:Decrypt')), PARTNER, 'kms:Decrypt', partnerAllowed).decision).toBe(AccessDecision.ALLOWED);
  });

  test('named in the key policy only', () => {
    expect(decide(policy(allow({ AWS: PARTNER }, 'kms:Decrypt')), PARTNER, 'kms:Decrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('its account named in the key policy, and its identity policy allows', () => {
    expect(decide(policy(allow({ AWS: OTHER }, 'kms:Decrypt')), PARTNER, 'kms:Decrypt', partnerAllowed).decision).toBe(AccessDecision.ALLOWED);
  });

  test('another account root user is allowed when the key policy names its account', () => {
    expect(decide(policy(allow({ AWS: OTHER }, 'kms:Decrypt')), `arn:aws:iam::${OTHER}:root`, 'kms:Decrypt').decision).toBe(AccessDecision.ALLOWED);
  });

  test('the key account delegation does not reach another account', () => {
    expect(decide(policy(allow({ AWS: ROOT }, 'kms:*')), PARTNER, 'kms:Decrypt', partnerAllowed).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });
});

describe('Deny and NotPrincipal', () => {
  test('an explicit Deny wins over an Allow', () => {
    const result = decide(policy(allow({ AWS: ADMIN }, 'kms:*'), deny('*', 'kms:ScheduleKeyDeletion', { Sid: 'NoDeletion' })), ADMIN, 'kms:ScheduleKeyDeletion');
    expect(result.decision).toBe(AccessDecision.EXPLICIT_DENY);
    expect(result.statements).toEqual([expect.objectContaining({ sid: 'NoDeletion', index: 1, effect: 'Deny' })]);
  });

  test('NotPrincipal on a Deny spares the principals it lists', () => {
    const keyPolicy = policy(allow('*', 'kms:*'), { Effect: 'Deny', NotPrincipal: { AWS: ADMIN }, Action: 'kms:PutKeyPolicy', Resource: '*' });
    expect(decide(keyPolicy, ADMIN, 'kms:PutKeyPolicy').decision).toBe(AccessDecision.ALLOWED);
    expect(decide(keyPolicy, APP, 'kms:PutKeyPolicy').decision).toBe(AccessDecision.EXPLICIT_DENY);
  });

  test('NotPrincipal on an Allow names everyone else', () => {
    const keyPolicy = policy({ Effect: 'Allow', NotPrincipal: { AWS: ADMIN }, Action: 'kms:Decrypt', Resource: '*' });
    expect(decide(keyPolicy, APP, 'kms:Decrypt').decision).toBe(AccessDecision.ALLOWED);
    expect(decide(keyPolicy, ADMIN, 'kms:Decrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
  });
});

describe('Action and NotAction', () => {
  test.each([
    ['kms:Create*', 'kms:CreateGrant', AccessDecision.ALLOWED],
    ['KMS:create*', 'kms:CreateGrant', AccessDecision.ALLOWED],
    ['kms:Create*', 'kms:Decrypt', AccessDecision.IMPLICIT_DENY],
    ['kms:*', 'kms:Decrypt', AccessDecision.IMPLICIT_DENY.replace('IMPLICIT_DENY', 'ALLOWED')],
    ['*', 'kms:Decrypt', AccessDecision.ALLOWED],
    ['s3:*', 'kms:Decrypt', AccessDecision.IMPLICIT_DENY],
  ])('Action %s and request %s', (pattern, action, expected) => {
    expect(decide(policy(allow({ AWS: ADMIN }, pattern)), ADMIN, action).decision).toBe(expected);
  });

  test('NotAction allows everything but the listed actions', () => {
    const keyPolicy = policy({ Effect: 'Allow', Principal: { AWS: ADMIN }, NotAction: ['kms:Decrypt', 'kms:Encrypt*'], Resource: '*' });
    expect(decide(keyPolicy, ADMIN, 'kms:PutKeyPolicy').decision).toBe(AccessDecision.ALLOWED);
    expect(decide(keyPolicy, ADMIN, 'kms:Decrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
    expect(decide(keyPolicy, ADMIN, 'kms:Encrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
  });
});

describe('Resource and NotResource', () => {
  const evaluate = (statement: any, keyArn?: string, identityResource?: any) => new KeyPolicyEvaluator({
    keyPolicy: policy(statement),
    keyAccount: '${AWS::AccountId}',
    keyArn,
    identityPolicies: identityResource ? { '${App.Arn}': [{ Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: identityResource }] }] } : undefined,
  }).evaluate({ principal: '${App.Arn}', action: 'kms:Decrypt' }).decision;
  const root = { AWS: 'arn:aws:iam::${AWS::AccountId}:root' };

  test("'*' in a key policy means this key", () => {
    expect(evaluate(allow({ AWS: '${App.Arn}' }, 'kms:Decrypt'))).toBe(AccessDecision.ALLOWED);
  });

  test("NotResource '*' names nothing", () => {
    expect(evaluate({ Effect: 'Allow', Principal: { AWS: '${App.Arn}' }, Action: 'kms:Decrypt', NotResource: '*' })).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test.each([
    ['the key ARN', { 'Fn::GetAtt': ['Key', 'Arn'] }, AccessDecision.ALLOWED],
    ['every resource', '*', AccessDecision.ALLOWED],
    ['every key of the account', 'arn:aws:kms:*:${AWS::AccountId}:key/*', AccessDecision.ALLOWED],
    ['another key of the template', { 'Fn::GetAtt': ['OtherKey', 'Arn'] }, AccessDecision.IMPLICIT_DENY],
    ['a key with a literal id', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab', AccessDecision.IMPLICIT_DENY],
    ['a bucket', 'arn:aws:s3:::bucket/*', AccessDecision.IMPLICIT_DENY],
    ['an alias', 'arn:aws:kms:*:*:alias/app', AccessDecision.IMPLICIT_DENY],
    ['the keys of one Region, which may or may not be the key\'s', 'arn:aws:kms:eu-west-1:*:key/*', AccessDecision.CANNOT_EVALUATE],
  ])('an identity policy Resource naming %s', (_name, resource, expected) => {
    expect(evaluate(allow(root, 'kms:*'), '${Key.Arn}', resource)).toBe(expected);
  });
});

describe('conditions are reported, never guessed', () => {
  const condition = { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } };

  test('a conditional Allow is CONDITIONAL', () => {
    const result = decide(policy(allow({ AWS: APP }, 'kms:CreateGrant', condition)), APP, 'kms:CreateGrant');
    expect(result.decision).toBe(AccessDecision.CONDITIONAL);
    expect(result.statements).toEqual([expect.objectContaining({ conditional: true })]);
  });

  test('an unconditional Allow beside a conditional one is ALLOWED', () => {
    const keyPolicy = policy(allow({ AWS: APP }, 'kms:CreateGrant', condition), allow({ AWS: APP }, 'kms:*'));
    expect(decide(keyPolicy, APP, 'kms:CreateGrant')).toEqual(expect.objectContaining({ decision: AccessDecision.ALLOWED, statements: [expect.objectContaining({ index: 1 })] }));
  });

  test('a conditional Deny makes an Allow CONDITIONAL', () => {
    const keyPolicy = policy(allow({ AWS: APP }, 'kms:*'), deny('*', 'kms:*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(decide(keyPolicy, APP, 'kms:Decrypt').decision).toBe(AccessDecision.CONDITIONAL);
  });

  test('a conditional Deny alone is still a deny', () => {
    expect(decide(policy(deny('*', 'kms:*', condition)), APP, 'kms:Decrypt').decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('a conditional identity Allow through the delegation is CONDITIONAL', () => {
    const identityPolicies = { [APP]: [identity({ Effect: 'Allow', Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })] };
    expect(decide(policy(allow({ AWS: ROOT }, 'kms:*')), APP, 'kms:Decrypt', identityPolicies).decision).toBe(AccessDecision.CONDITIONAL);
  });
});

describe('unresolvable tokens: CANNOT_EVALUATE with the statement index, never a crash or a silent pass', () => {
  const unknownPrincipal = { AWS: { 'Fn::ImportValue': 'SharedRoleArn' } };

  test('an unknown principal that could grant', () => {
    const evaluator = new KeyPolicyEvaluator({ keyPolicy: policy(allow({ AWS: ADMIN }, 'kms:PutKeyPolicy'), allow(unknownPrincipal, 'kms:Decrypt', { Sid: 'Shared' })), keyAccount: ACCOUNT });
    const result = evaluator.evaluate({ principal: APP, action: 'kms:Decrypt' });
    expect(result.decision).toBe(AccessDecision.CANNOT_EVALUATE);
    expect(result.statements).toEqual([expect.objectContaining({ index: 1, sid: 'Shared' })]);
    expect(evaluator.problems).toEqual([expect.stringMatching(/^key policy statement 1 \(Sid Shared\): Principal value cannot be evaluated .*ImportValue/)]);
  });

  test('an unknown principal that cannot change the outcome does not hide it', () => {
    const keyPolicy = policy(allow({ AWS: ADMIN }, 'kms:PutKeyPolicy'), allow(unknownPrincipal, 'kms:Decrypt'));
    expect(decide(keyPolicy, ADMIN, 'kms:PutKeyPolicy').decision).toBe(AccessDecision.ALLOWED);
    expect(decide(keyPolicy, ADMIN, 'kms:ScheduleKeyDeletion').decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('an unknown Deny that could override an Allow', () => {
    const keyPolicy = policy(allow({ AWS: ADMIN }, 'kms:*'), deny('*', { 'Fn::If': ['Prod', 'kms:*', 'kms:Decrypt'] }));
    expect(decide(keyPolicy, ADMIN, 'kms:PutKeyPolicy')).toEqual(expect.objectContaining({
      decision: AccessDecision.CANNOT_EVALUATE, statements: [expect.objectContaining({ index: 1, effect: 'Deny' })],
    }));
  });

  test.each([
    ['a statement made by Fn::If', policy({ 'Fn::If': ['Prod', allow('*', 'kms:*'), { Ref: 'AWS::NoValue' }] })],
    ['a Statement list made by Fn::If', { Statement: { 'Fn::If': ['Prod', [], []] } }],
    ['a whole policy made by Fn::If', { 'Fn::If': ['Prod', {}, {}] }],
    ['an Effect made by a parameter', policy({ Effect: { Ref: 'Effect' }, Principal: '*', Action: 'kms:*', Resource: '*' })],
    ['a principal made by a parameter', policy(allow({ AWS: { Ref: 'TrustedPrincipal' } }, 'kms:*'))],
    ['a resource made by Fn::If', policy(allow('*', 'kms:*', { Resource: { 'Fn::If': ['Prod', '*', 'arn:aws:kms:::key/x'] } }))],
  ])('%s', (_name, keyPolicy) => {
    const evaluator = new KeyPolicyEvaluator({ keyPolicy, keyAccount: ACCOUNT });
    const result = evaluator.evaluate({ principal: APP, action: 'kms:Decrypt' });
    expect(result.decision).toBe(AccessDecision.CANNOT_EVALUATE);
    expect(result.statements[0].index).toBe(0);
    expect(evaluator.problems.length).toBeGreaterThan(0);
  });
});

describe('principals()', () => {
  test('lists every principal of the key policy and the identity policies, canonical', () => {
    const evaluator = new KeyPolicyEvaluator({
      keyPolicy: policy(allow({ AWS: [ACCOUNT, ADMIN] }, 'kms:*'), allow({ Service: 'logs.amazonaws.com' }, 'kms:Encrypt'), deny('*', 'kms:Decrypt')),
      keyAccount: ACCOUNT,
      identityPolicies: { [APP]: [] },
    });
    expect(evaluator.principals()).toEqual([ROOT, ADMIN, 'service:logs.amazonaws.com', '*', APP]);
  });
});
