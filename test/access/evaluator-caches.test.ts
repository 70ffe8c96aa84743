import { AccessDecision, KeyPolicyEvaluator } from '../../src/access';

/**
 * The evaluator remembers answers per request, per action signature and per Action element, and
 * compiles each ARN glob once. Each test asks questions whose answers differ in exactly one input
 * of a cache key, in an order where a key that left that input out would hand back a stale answer.
 */

const ACCOUNT = '111111111111';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
const WORKER = `arn:aws:iam::${ACCOUNT}:role/Worker`;

const policy = (...statements: any[]) => ({ Version: '2012-10-17', Statement: statements });
const allow = (principal: any, extra: any) => ({ Effect: 'Allow', Principal: principal, Resource: '*', ...extra });
const identity = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
function evaluator(keyPolicy: any, identityPolicies?: Record<string, any[]>) {
  return new KeyPolicyEvaluator({ keyPolicy, keyAccount: ACCOUNT, identityPolicies });
}

describe('answers per request', () => {
  test('the same principal and action, asked with and without identity policies elsewhere, get their own answers', () => {
    const delegated = evaluator(policy(allow({ AWS: ROOT }, { Action: 'kms:Decrypt' })));
    expect(delegated.evaluate({ principal: APP, action: 'kms:Decrypt' }).decision).toBe(AccessDecision.IMPLICIT_DENY);
    expect(delegated.evaluate({ principal: APP, action: 'kms:Decrypt', identityPoliciesElsewhere: true }).decision).toBe(AccessDecision.CONDITIONAL);
    expect(delegated.evaluate({ principal: APP, action: 'kms:Decrypt' }).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('two principals asking the same action get their own answers', () => {
    const named = evaluator(policy(allow({ AWS: APP }, { Action: 'kms:Decrypt' })));
    expect(named.evaluate({ principal: APP, action: 'kms:Decrypt' }).decision).toBe(AccessDecision.ALLOWED);
    expect(named.evaluate({ principal: WORKER, action: 'kms:Decrypt' }).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });
});

describe('answers per action signature', () => {
  test('actions the key policy treats alike still differ by what the identity policy allows', () => {
    // The key policy delegates both actions to the account alike; only the identity policy tells them apart.
    const delegated = evaluator(policy(allow({ AWS: ROOT }, { Action: ['kms:Decrypt', 'kms:Encrypt'] })), { [APP]: [identity('kms:Decrypt')] });
    expect(delegated.evaluate({ principal: APP, action: 'kms:Decrypt' }).decision).toBe(AccessDecision.ALLOWED);
    expect(delegated.evaluate({ principal: APP, action: 'kms:Encrypt' }).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('actions the key policy treats differently get their own answers for one principal', () => {
    const named = evaluator(policy(allow({ AWS: APP }, { Action: 'kms:Decrypt' })));
    expect(named.evaluate({ principal: APP, action: 'kms:Decrypt' }).decision).toBe(AccessDecision.ALLOWED);
    expect(named.evaluate({ principal: APP, action: 'kms:Encrypt' }).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('the key policy part of a signature is per action, whoever asks first', () => {
    const named = evaluator(policy(allow({ AWS: [APP, WORKER] }, { Action: 'kms:Decrypt' })));
    expect(named.evaluate({ principal: WORKER, action: 'kms:Encrypt' }).decision).toBe(AccessDecision.IMPLICIT_DENY);
    expect(named.evaluate({ principal: APP, action: 'kms:Decrypt' }).decision).toBe(AccessDecision.ALLOWED);
  });
});

describe('Action elements shared between policies', () => {
  // Every evaluator reads its policy afresh; statements with equal Action elements share one table.
  const ask = (statement: any, action: string) => evaluator(policy(allow({ AWS: APP }, statement))).evaluate({ principal: APP, action }).decision;

  test('a different list of actions is a different element', () => {
    expect(ask({ Action: ['kms:Decrypt', 'kms:Encrypt'] }, 'kms:Encrypt')).toBe(AccessDecision.ALLOWED);
    expect(ask({ Action: ['kms:Decrypt', 'kms:Sign'] }, 'kms:Encrypt')).toBe(AccessDecision.IMPLICIT_DENY);
    expect(ask({ Action: ['kms:Decrypt'] }, 'kms:Encrypt')).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('NotAction with the same list is a different element', () => {
    expect(ask({ Action: ['kms:Decrypt', 'kms:Verify'] }, 'kms:Decrypt')).toBe(AccessDecision.ALLOWED);
    expect(ask({ NotAction: ['kms:Decrypt', 'kms:Verify'] }, 'kms:Decrypt')).toBe(AccessDecision.IMPLICIT_DENY);
    expect(ask({ NotAction: ['kms:Decrypt', 'kms:Verify'] }, 'kms:Encrypt')).toBe(AccessDecision.ALLOWED);
  });

  test('an unreadable value makes a different element', () => {
    expect(ask({ Action: ['kms:Sign', 'kms:GetPublicKey'] }, 'kms:Decrypt')).toBe(AccessDecision.IMPLICIT_DENY);
    expect(ask({ Action: ['kms:Sign', 'kms:GetPublicKey', { Ref: 'ActionParameter' }] }, 'kms:Decrypt')).toBe(AccessDecision.CANNOT_EVALUATE);
  });

  test('an unreadable element is read, and reported, in every policy that has it', () => {
    const problems = () => evaluator(policy(allow({ AWS: APP }, { Action: [{ Ref: 'ActionParameter' }] }))).problems;
    expect(problems()).toEqual([expect.stringContaining('Action value cannot be evaluated')]);
    expect(problems()).toEqual([expect.stringContaining('Action value cannot be evaluated')]);
  });

  test('patterns that differ only in their wildcard are different elements', () => {
    expect(ask({ Action: 'kms:Generate*' }, 'kms:GenerateMac')).toBe(AccessDecision.ALLOWED);
    expect(ask({ Action: 'kms:Generate?' }, 'kms:GenerateMac')).toBe(AccessDecision.IMPLICIT_DENY);
    expect(ask({ Action: 'kms:GenerateMa?' }, 'kms:GenerateMac')).toBe(AccessDecision.ALLOWED);
  });
});

describe('compiled aws:PrincipalArn globs', () => {
  const ask = (pattern: string, principal: string) => evaluator(policy(allow({ AWS: ROOT }, {
    Action: 'kms:Decrypt', Condition: { ArnLike: { 'aws:PrincipalArn': pattern } },
  }))).evaluate({ principal, action: 'kms:Decrypt', identityPoliciesElsewhere: true }).decision;

  test('each pattern matches as itself, after other patterns were compiled', () => {
    expect(ask(`arn:aws:iam::${ACCOUNT}:role/A*`, APP)).toBe(AccessDecision.CONDITIONAL);
    expect(ask(`arn:aws:iam::${ACCOUNT}:role/W*`, APP)).toBe(AccessDecision.IMPLICIT_DENY);
    expect(ask(`arn:aws:iam::${ACCOUNT}:role/A?p`, APP)).toBe(AccessDecision.CONDITIONAL);
    expect(ask(`arn:aws:iam::${ACCOUNT}:role/A?`, APP)).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('without wildcards a pattern matches only the same text, dots included', () => {
    expect(ask(`arn:aws:iam::${ACCOUNT}:role/App`, APP)).toBe(AccessDecision.CONDITIONAL);
    expect(ask(`arn:aws:iam::${ACCOUNT}:role/A.p`, APP)).toBe(AccessDecision.IMPLICIT_DENY);
    expect(ask(`arn:aws:iam::${ACCOUNT}:role/app`, APP)).toBe(AccessDecision.IMPLICIT_DENY);
  });
});
