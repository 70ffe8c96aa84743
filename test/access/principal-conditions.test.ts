import { AccessDecision, KeyPolicyEvaluator } from '../../src/access';

const ACCOUNT = '111111111111';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ORDERS = `arn:aws:iam::${ACCOUNT}:role/app/orders/OrdersFn`;
const BILLING = `arn:aws:iam::${ACCOUNT}:role/app/billing/BillingFn`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;
const PARTNER = 'arn:aws:iam::222222222222:role/app/reports/Reader';

const identity = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] };

function consumerPolicy(condition: any, principal: any = { AWS: ROOT }) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: 'kms:PutKeyPolicy', Resource: '*' },
      { Sid: 'Consumers', Effect: 'Allow', Principal: principal, Action: 'kms:Decrypt', Resource: '*', Condition: condition },
    ],
  };
}

function decide(keyPolicy: any, principal: string) {
  const evaluator = new KeyPolicyEvaluator({ keyPolicy, keyAccount: ACCOUNT, identityPolicies: { [principal]: [identity] } });
  return evaluator.evaluate({ principal, action: 'kms:Decrypt' });
}

describe('aws:PrincipalArn is decided when synth knows the principal and the pattern', () => {
  const byPath = consumerPolicy({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/orders/*` } });

  test('a role under the path is allowed, without condition left open', () => {
    const result = decide(byPath, ORDERS);
    expect(result.decision).toBe(AccessDecision.ALLOWED);
    expect(result.statements.find((statement) => statement.sid === 'Consumers')).toMatchObject({ conditional: false, conditions: undefined });
  });

  test.each([[BILLING], [ADMIN], [ROOT]])('%s, outside the path, is not', (principal) => {
    expect(decide(byPath, principal).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('ArnEquals takes wildcards too, per ARN part; a value of fewer than six parts is no ARN and stays open', () => {
    expect(decide(consumerPolicy({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/app/*' } }), ORDERS).decision).toBe(AccessDecision.ALLOWED);
    expect(decide(consumerPolicy({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:*:role/app/orders/OrdersFn' } }), ORDERS).decision).toBe(AccessDecision.CONDITIONAL);
    expect(decide(consumerPolicy({ ArnLike: { 'aws:PrincipalArn': '*' } }), ORDERS).decision).toBe(AccessDecision.CONDITIONAL);
    expect(decide(consumerPolicy({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/other/*' } }), ORDERS).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('StringLike matches the whole string; StringEquals takes no wildcard', () => {
    expect(decide(consumerPolicy({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*' } }), ORDERS).decision).toBe(AccessDecision.ALLOWED);
    expect(decide(consumerPolicy({ StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/orders/*` } }), ORDERS).decision)
      .toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('a negated operator excludes the principals it names, and only those', () => {
    const excludingAdmin = consumerPolicy({ ArnNotEquals: { 'aws:PrincipalArn': [ADMIN] } });
    expect(decide(excludingAdmin, ADMIN).decision).toBe(AccessDecision.IMPLICIT_DENY);
    expect(decide(excludingAdmin, ORDERS).decision).toBe(AccessDecision.ALLOWED);
  });

  test('a role of the template matches its own ARN, and no other role of the template', () => {
    const own = consumerPolicy({ ArnEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': ['Workload', 'Arn'] } } });
    expect(decide(own, '${Workload.Arn}').decision).toBe(AccessDecision.ALLOWED);
    expect(decide(own, '${Other.Arn}').decision).toBe(AccessDecision.IMPLICIT_DENY);
    expect(decide(own, ROOT).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('a role of the template against a literal pattern stays CONDITIONAL, with the condition named', () => {
    const result = decide(byPath, '${Workload.Arn}');
    expect(result.decision).toBe(AccessDecision.CONDITIONAL);
    expect(result.statements.find((statement) => statement.sid === 'Consumers')?.conditions)
      .toEqual([`ArnLike aws:PrincipalArn arn:aws:iam::${ACCOUNT}:role/app/orders/*`]);
  });

  test('the account written as ${AWS::AccountId} is the key account', () => {
    const pattern = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/app/orders/*']] };
    expect(decide(consumerPolicy({ ArnLike: { 'aws:PrincipalArn': pattern } }), ORDERS).decision).toBe(AccessDecision.ALLOWED);
  });

  test('service principals send no aws:PrincipalArn', () => {
    const keyPolicy = consumerPolicy({ ArnNotLike: { 'aws:PrincipalArn': ADMIN } }, { Service: 'logs.amazonaws.com' });
    expect(decide(keyPolicy, 'service:logs.amazonaws.com').decision).toBe(AccessDecision.ALLOWED);
    const positive = consumerPolicy({ ArnLike: { 'aws:PrincipalArn': '*' } }, { Service: 'logs.amazonaws.com' });
    expect(decide(positive, 'service:logs.amazonaws.com').decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('another account: the pattern decides, and the consumer still needs its identity policy', () => {
    const keyPolicy = consumerPolicy({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/app/reports/*' } }, { AWS: 'arn:aws:iam::222222222222:root' });
    expect(decide(keyPolicy, PARTNER).decision).toBe(AccessDecision.ALLOWED);
    expect(new KeyPolicyEvaluator({ keyPolicy, keyAccount: ACCOUNT }).evaluate({ principal: PARTNER, action: 'kms:Decrypt' }).decision)
      .toBe(AccessDecision.IMPLICIT_DENY);
  });
});

describe('conditions the evaluator cannot decide are reported with the condition', () => {
  test('aws:PrincipalTag', () => {
    const result = decide(consumerPolicy({ StringEquals: { 'aws:PrincipalTag/kms-consumer': 'orders' } }), ORDERS);
    expect(result.decision).toBe(AccessDecision.CONDITIONAL);
    expect(result.statements.find((statement) => statement.sid === 'Consumers')?.conditions).toEqual(['StringEquals aws:PrincipalTag/kms-consumer orders']);
  });

  test('a decided clause leaves only the open ones in the report', () => {
    const keyPolicy = consumerPolicy({
      ArnNotEquals: { 'aws:PrincipalArn': ADMIN },
      StringEquals: { 'aws:PrincipalTag/kms-consumer': 'orders' },
    });
    expect(decide(keyPolicy, ADMIN).decision).toBe(AccessDecision.IMPLICIT_DENY);
    const consumer = decide(keyPolicy, ORDERS);
    expect(consumer.decision).toBe(AccessDecision.CONDITIONAL);
    expect(consumer.statements.find((statement) => statement.sid === 'Consumers')?.conditions).toEqual(['StringEquals aws:PrincipalTag/kms-consumer orders']);
  });

  test('an IfExists or set operator on aws:PrincipalArn is left open', () => {
    for (const operator of ['ArnLikeIfExists', 'ForAnyValue:ArnLike']) {
      expect(decide(consumerPolicy({ [operator]: { 'aws:PrincipalArn': ADMIN } }), ORDERS).decision).toBe(AccessDecision.CONDITIONAL);
    }
  });
});

describe('principals known only at deploy time', () => {
  // aws-cdk-lib's cross-Region references read values through a custom resource.
  const exported = { 'Fn::GetAtt': ['ExportsReader8B249524', '/cdk/exports/Replica/PrimaryAdminRoleArn'] };
  const keyPolicy = {
    Version: '2012-10-17',
    Statement: [{ Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: exported }, Action: 'kms:PutKeyPolicy', Resource: '*' }],
  };
  const evaluator = new KeyPolicyEvaluator({ keyPolicy, keyAccount: ACCOUNT });

  test('are a problem of their statement, never dropped', () => {
    expect(evaluator.problems).toEqual([expect.stringContaining('statement 0 (Sid KeyAdministration): Principal value cannot be evaluated')]);
  });

  test('give CANNOT_EVALUATE', () => {
    const principal = evaluator.principals().find((name) => name.includes('ExportsReader'))!;
    expect(evaluator.evaluate({ principal, action: 'kms:PutKeyPolicy' }).decision).toBe(AccessDecision.CANNOT_EVALUATE);
    expect(evaluator.evaluate({ principal: ADMIN, action: 'kms:PutKeyPolicy' }).decision).toBe(AccessDecision.CANNOT_EVALUATE);
  });
});

describe('a principal asked about by pattern (a consumer rule\'s row)', () => {
  const ORDERS_ROW = `arn:aws:iam::${ACCOUNT}:role/app/orders/*`;
  const ACCOUNT_ROW = `arn:aws:iam::${ACCOUNT}:*`;
  const DEPLOY = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-1`;

  test('a statement for one named role outside the pattern does not apply to it', () => {
    const toDeployRole = consumerPolicy({ ArnEquals: { 'aws:PrincipalArn': DEPLOY } });
    expect(decide(toDeployRole, ORDERS_ROW).decision).toBe(AccessDecision.IMPLICIT_DENY);
    expect(decide(consumerPolicy({ StringEquals: { 'aws:PrincipalArn': [DEPLOY, ADMIN] } }), ORDERS_ROW).decision).toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('a named role the pattern covers, or a pattern that overlaps it, leaves the statement CONDITIONAL', () => {
    expect(decide(consumerPolicy({ ArnEquals: { 'aws:PrincipalArn': DEPLOY } }), ACCOUNT_ROW).decision).toBe(AccessDecision.CONDITIONAL);
    expect(decide(consumerPolicy({ ArnEquals: { 'aws:PrincipalArn': ORDERS } }), ORDERS_ROW).decision).toBe(AccessDecision.CONDITIONAL);
    expect(decide(consumerPolicy({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/*` } }), ORDERS_ROW).decision).toBe(AccessDecision.CONDITIONAL);
    expect(decide(consumerPolicy({ ArnLike: { 'aws:PrincipalArn': ORDERS_ROW } }), ORDERS_ROW).decision).toBe(AccessDecision.CONDITIONAL);
    expect(decide(consumerPolicy({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }), ORDERS_ROW).decision).toBe(AccessDecision.CONDITIONAL);
  });

  test('a pattern whose fixed start differs cannot match it', () => {
    expect(decide(consumerPolicy({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/billing/*` } }), ORDERS_ROW).decision)
      .toBe(AccessDecision.IMPLICIT_DENY);
  });

  test('a negated clause naming a role outside the pattern holds for all of it', () => {
    const exceptDeploy = consumerPolicy({ ArnNotEquals: { 'aws:PrincipalArn': DEPLOY }, ArnLike: { 'aws:PrincipalArn': ORDERS_ROW } });
    expect(decide(exceptDeploy, ORDERS_ROW).statements.find((statement) => statement.sid === 'Consumers')?.conditions)
      .toEqual([`ArnLike aws:PrincipalArn ${ORDERS_ROW}`]);
  });
});
