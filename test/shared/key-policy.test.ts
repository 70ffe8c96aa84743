import { Stack, aws_iam as iam } from 'aws-cdk-lib';
import { KeyPolicy } from '../../src/shared/key-policy';

function render(policy: KeyPolicy): any[] {
  return new Stack().resolve(policy.document.toJSON()).Statement;
}

const alice = new iam.ArnPrincipal('arn:aws:iam::111111111111:role/alice');
const bob = new iam.ArnPrincipal('arn:aws:iam::111111111111:role/bob');

describe('KeyPolicy.allow never drops what a later call with the same Sid asks for', () => {
  test('same actions and conditions: the principals join one statement', () => {
    const policy = new KeyPolicy();
    policy.allow('Use', ['kms:Decrypt'], [alice]);
    policy.allow('Use', ['kms:Decrypt'], [bob]);
    expect(render(policy)).toEqual([expect.objectContaining({
      Sid: 'Use',
      Action: 'kms:Decrypt',
      Principal: { AWS: ['arn:aws:iam::111111111111:role/alice', 'arn:aws:iam::111111111111:role/bob'] },
    })]);
  });

  test('equal conditions, more actions: the later principal gets its actions; the earlier principal gets none it did not ask for', () => {
    const policy = new KeyPolicy();
    policy.allow('Use', ['kms:Decrypt'], [alice]);
    policy.allow('Use', ['kms:Decrypt', 'kms:Encrypt'], [bob]);
    const statements = render(policy);
    const allowed = (principal: string, action: string) => statements.some((statement) =>
      [statement.Principal.AWS].flat().includes(principal) && [statement.Action].flat().includes(action));
    expect(allowed('arn:aws:iam::111111111111:role/bob', 'kms:Encrypt')).toBe(true);
    expect(allowed('arn:aws:iam::111111111111:role/bob', 'kms:Decrypt')).toBe(true);
    expect(allowed('arn:aws:iam::111111111111:role/alice', 'kms:Encrypt')).toBe(false);
    expect(new Set(statements.map((statement) => statement.Sid)).size).toBe(statements.length);
  });

  test('equal conditions, same principal, more actions: merged into the one statement', () => {
    const policy = new KeyPolicy();
    policy.allow('Use', ['kms:Decrypt'], [alice], { Bool: { 'aws:SecureTransport': 'true' } });
    policy.allow('Use', ['kms:Encrypt'], [alice], { Bool: { 'aws:SecureTransport': 'true' } });
    expect(render(policy)).toEqual([expect.objectContaining({
      Sid: 'Use', Action: ['kms:Decrypt', 'kms:Encrypt'], Principal: { AWS: 'arn:aws:iam::111111111111:role/alice' },
    })]);
  });

  test('different conditions: a new Sid with the later conditions', () => {
    const policy = new KeyPolicy();
    policy.allow('Use', ['kms:Decrypt'], [alice], { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
    policy.allow('Use', ['kms:Decrypt'], [bob], { StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' } });
    expect(render(policy)).toEqual([
      expect.objectContaining({
        Sid: 'Use',
        Principal: { AWS: 'arn:aws:iam::111111111111:role/alice' },
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      }),
      expect.objectContaining({
        Sid: 'Use2',
        Principal: { AWS: 'arn:aws:iam::111111111111:role/bob' },
        Condition: { StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' } },
      }),
    ]);
  });

  test('conditions on a later call where the first had none: a new Sid, never an unconditional grant', () => {
    const policy = new KeyPolicy();
    policy.allow('Use', ['kms:Decrypt'], [alice]);
    policy.allow('Use', ['kms:Decrypt'], [bob], { StringEquals: { 'aws:PrincipalTag/team': 'orders' } });
    const [first, second] = render(policy);
    expect(first.Condition).toBeUndefined();
    expect(second).toEqual(expect.objectContaining({ Sid: 'Use2', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'orders' } } }));
  });

  test('a third variant finds the matching earlier one instead of adding another', () => {
    const policy = new KeyPolicy();
    const tagged = { StringEquals: { 'aws:PrincipalTag/team': 'orders' } };
    policy.allow('Use', ['kms:Decrypt'], [alice]);
    policy.allow('Use', ['kms:Decrypt'], [bob], tagged);
    policy.allow('Use', ['kms:Decrypt'], [alice], tagged);
    expect(render(policy).map((statement) => statement.Sid)).toEqual(['Use', 'Use2']);
  });

  test('a principal with conditions of its own never joins a statement of principals without them', () => {
    const policy = new KeyPolicy();
    policy.allow('Use', ['kms:Decrypt'], [alice]);
    policy.allow('Use', ['kms:Decrypt'], [new iam.PrincipalWithConditions(bob, { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/app/*' } })]);
    const [first, second] = render(policy);
    expect(first).toEqual(expect.objectContaining({ Sid: 'Use', Principal: { AWS: 'arn:aws:iam::111111111111:role/alice' } }));
    expect(first.Condition).toBeUndefined();
    expect(second).toEqual(expect.objectContaining({ Sid: 'Use2', Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/app/*' } } }));
  });

  test('a Sid taken by a statement added as given is not reused', () => {
    const policy = new KeyPolicy();
    policy.add(new iam.PolicyStatement({ sid: 'Use', actions: ['kms:Encrypt'], principals: [bob], resources: ['*'] }));
    policy.allow('Use', ['kms:Decrypt'], [alice]);
    expect(render(policy).map((statement) => statement.Sid)).toEqual(['Use', 'Use2']);
  });
});
