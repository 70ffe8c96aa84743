/**
 * Never crash, never guess: every rule handles every shape valid CloudFormation allows, and what
 * truly cannot be resolved is a `[CannotEvaluate]` finding with a readable id and a reason.
 */
import * as fc from 'fast-check';
import { ACCOUNT, OTHER_ACCOUNT, ROOT, keyTemplate, templateFindings, validateTemplate } from './template-validate';
import { Expect } from './validate';
import { Compliance } from '../../src/nag/private/rule-result';
import { resourceFromTemplate } from '../../src/nag/private/rule-target';
import { withRunCache } from '../../src/nag/private/run-cache';
import { DEFAULT_RULE_SETTINGS, kmsRules } from '../../src/nag/rule-table';

const IF = (yes: unknown, no: unknown) => ({ 'Fn::If': ['IsProd', yes, no] });
const ADMIN = ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DescribeKey'];
const rootAdministers = { Sid: 'RootAdministers', Effect: 'Allow', Principal: { AWS: ROOT }, Action: ADMIN, Resource: '*' };

function role(policies: unknown): any {
  return { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, Policies: policies } };
}

describe('intrinsics in any position', () => {
  test('a role whose Policies is an Fn::If is CannotEvaluate with a reason, not a crash', () => {
    const template = { Resources: { Role: role(IF([{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } }], { Ref: 'AWS::NoValue' })) } };
    const { names, reasons } = templateFindings(template, 'KmsChecks-IamNoKmsWildcardOnAllResources');
    expect(names).toEqual({ 'KmsChecks-IamNoKmsWildcardOnAllResources[CannotEvaluate]': ['Role'] });
    expect(reasons).toEqual([expect.stringMatching(/^The statements of policy Policies0 are \{"Fn::If".*only known at deploy time\.$/)]);
  });

  test('a role whose Policies is an Fn::If, beside a key that delegates to the account, makes the key\'s separation CannotEvaluate', () => {
    const template = keyTemplate([rootAdministers, { Effect: 'Allow', Principal: { AWS: { 'Fn::GetAtt': ['Role', 'Arn'] } }, Action: 'kms:Decrypt', Resource: '*' }],
      { Role: role(IF([{ PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:PutKeyPolicy', Resource: '*' }] } }], [])) });
    validateTemplate(template, 'KmsChecks-KeyAdminAndUseSeparated', Expect.CANNOT_EVALUATE);
    expect(templateFindings(template, 'KmsChecks-KeyPolicyEvaluable').names).toEqual({ 'KmsChecks-KeyPolicyEvaluable[IdentityPolicy0.Statement]': ['Key'] });
  });

  test.each([
    ['the whole KeyPolicy', IF({ Statement: [] }, { Statement: [] }), 'KeyPolicy.Statement'],
    ['the Statement list', undefined, 'KeyPolicy.Statement'],
    ['one statement', undefined, 'KeyPolicy.Statement1'],
    ['a Principal', undefined, 'KeyPolicy.Statement1.Principal'],
    ['an Action', undefined, 'KeyPolicy.Statement1.Action'],
    ['an Effect', undefined, 'KeyPolicy.Statement1.Effect'],
  ])('an Fn::If in %s is a readable KeyPolicyEvaluable finding', (position, keyPolicy, id) => {
    const statement = { Sid: 'Use', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` }, Action: 'kms:Decrypt', Resource: '*' };
    const shaped: Record<string, unknown> = {
      'the Statement list': IF([rootAdministers], [rootAdministers]),
      'one statement': [rootAdministers, IF(statement, { Ref: 'AWS::NoValue' })],
      'a Principal': [rootAdministers, { ...statement, Principal: { AWS: IF('arn:aws:iam::111111111111:role/a', '*') } }],
      'an Action': [rootAdministers, { ...statement, Action: { Ref: 'ActionParameter' } }],
      'an Effect': [rootAdministers, { ...statement, Effect: IF('Allow', 'Deny') }],
    };
    const template = keyPolicy ? { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: keyPolicy } } } } : keyTemplate(shaped[position]);
    expect(Object.keys(templateFindings(template, 'KmsChecks-KeyPolicyEvaluable').names)).toEqual([`KmsChecks-KeyPolicyEvaluable[${id}]`]);
  });

  test('a Condition block built with Fn::If makes the wildcard rule CannotEvaluate, not compliant', () => {
    const template = keyTemplate([rootAdministers, { Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: IF({ StringEquals: { 'kms:CallerAccount': ACCOUNT } }, { Ref: 'AWS::NoValue' }) }]);
    validateTemplate(template, 'KmsChecks-KeyPolicyWildcardPrincipalRestricted', Expect.CANNOT_EVALUATE);
  });

  test.each([
    ['EnableKeyRotation', 'KmsChecks-KeyRotationEnabled', { EnableKeyRotation: { Ref: 'Rotate' } }],
    ['RotationPeriodInDays', 'KmsChecks-KeyRotationPeriodWithinMaximum', { EnableKeyRotation: true, RotationPeriodInDays: IF(90, 400) }],
    ['PendingWindowInDays', 'KmsChecks-KeyPendingWindowAtLeastMinimum', { PendingWindowInDays: { Ref: 'Window' } }],
    ['BypassPolicyLockoutSafetyCheck', 'KmsChecks-KeyPolicyLockoutSafetyCheckKept', { BypassPolicyLockoutSafetyCheck: IF(true, false) }],
  ])('%s from a parameter or Fn::If is CannotEvaluate', (_property, ruleId, properties) => {
    const template = { Resources: { Key: { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: properties } } };
    validateTemplate(template, ruleId, Expect.CANNOT_EVALUATE);
  });

  test('a DeletionPolicy built with Fn::If (language extensions) is CannotEvaluate', () => {
    const template = { Resources: { Key: { Type: 'AWS::KMS::Key', DeletionPolicy: IF('Retain', 'Delete'), UpdateReplacePolicy: 'Retain', Properties: {} } } };
    validateTemplate(template, 'KmsChecks-KeyRetained', Expect.CANNOT_EVALUATE);
  });

  test.each([
    ['BucketEncryption', { BucketEncryption: IF({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] }, { Ref: 'AWS::NoValue' }) }],
    ['one encryption rule', { BucketEncryption: { ServerSideEncryptionConfiguration: [IF({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }, {})] } }],
    ['BucketKeyEnabled', { BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: { Ref: 'UseBucketKey' }, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:111111111111:key/1' } }] } }],
  ])('a bucket whose %s is an intrinsic is CannotEvaluate for the Bucket Key rule, never NOT_APPLICABLE', (_position, properties) => {
    validateTemplate({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: properties } } }, 'KmsChecks-S3BucketKeyEnabled', Expect.CANNOT_EVALUATE);
  });
});

describe('Statement as an object or a list', () => {
  test('a key policy with a single statement object is read like a list of one', () => {
    const statement = { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
    expect(templateFindings(keyTemplate(statement), 'KmsChecks-KeyPolicyNoRootFullAccess').names)
      .toEqual(templateFindings(keyTemplate([statement]), 'KmsChecks-KeyPolicyNoRootFullAccess').names);
    validateTemplate(keyTemplate(statement), 'KmsChecks-KeyPolicyNoRootFullAccess', Expect.NON_COMPLIANCE);
  });

  test('a wildcard principal in a single statement object is found by name', () => {
    const template = keyTemplate({ Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' });
    expect(templateFindings(template, 'KmsChecks-KeyPolicyWildcardPrincipalRestricted').names).toEqual({ 'KmsChecks-KeyPolicyWildcardPrincipalRestricted[Anyone]': ['Key'] });
  });

  test('an identity policy with a single statement object is read', () => {
    const template = { Resources: { Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: { Sid: 'All', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' } } } } } };
    expect(templateFindings(template, 'KmsChecks-IamNoKmsWildcardOnAllResources').names).toEqual({ 'KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.All]': ['Policy'] });
  });
});

describe('NotAction, NotResource, NotPrincipal and Deny', () => {
  const identity = (statement: Record<string, unknown>) => ({ Resources: { Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', Roles: ['r'], PolicyDocument: { Statement: [{ Effect: 'Allow', ...statement }] } } } } });

  test('Action "*" with NotResource "*" matches nothing and passes', () => {
    validateTemplate(identity({ Action: '*', NotResource: '*' }), 'KmsChecks-IamNoKmsWildcardOnAllResources', Expect.COMPLIANCE);
  });

  test('NotResource excluding every KMS key ARN passes', () => {
    validateTemplate(identity({ Action: 'kms:*', NotResource: 'arn:aws:kms:*:*:key/*' }), 'KmsChecks-IamNoKmsWildcardOnAllResources', Expect.COMPLIANCE);
  });

  test('NotResource excluding one key reaches every other key', () => {
    validateTemplate(identity({ Action: 'kms:Decrypt', NotResource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1` }), 'KmsChecks-IamNoKmsWildcardOnAllResources', Expect.NON_COMPLIANCE);
  });

  test('NotAction leaving kms:Decrypt in, on every key, is flagged', () => {
    validateTemplate(identity({ NotAction: 'kms:Encrypt', Resource: '*' }), 'KmsChecks-IamNoKmsWildcardOnAllResources', Expect.NON_COMPLIANCE);
  });

  test('an Allow with NotPrincipal allows everyone else: a wildcard principal', () => {
    const template = keyTemplate([rootAdministers, { Sid: 'AllButGuest', Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/guest` }, Action: 'kms:Decrypt', Resource: '*' }]);
    expect(templateFindings(template, 'KmsChecks-KeyPolicyWildcardPrincipalRestricted').names).toEqual({ 'KmsChecks-KeyPolicyWildcardPrincipalRestricted[AllButGuest]': ['Key'] });
  });

  test('a Deny with NotPrincipal leaves the named principal its access', () => {
    const admin = `arn:aws:iam::${ACCOUNT}:role/admin`;
    const template = keyTemplate([
      { Effect: 'Allow', Principal: { AWS: admin }, Action: 'kms:PutKeyPolicy', Resource: '*' },
      { Effect: 'Deny', NotPrincipal: { AWS: admin }, Action: 'kms:PutKeyPolicy', Resource: '*' },
    ]);
    validateTemplate(template, 'KmsChecks-KeyPolicyNotLockedOut', Expect.COMPLIANCE);
  });

  test('a Deny of kms:PutKeyPolicy to everyone locks the key out', () => {
    validateTemplate(keyTemplate([rootAdministers, { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:PutKeyPolicy', Resource: '*' }]), 'KmsChecks-KeyPolicyNotLockedOut', Expect.NON_COMPLIANCE);
  });
});

describe('Sid', () => {
  test.each([['empty', ''], ['missing', undefined], ['not a name', 'a sid with spaces']])('a %s Sid gives a positional finding id', (_name, sid) => {
    const template = { Resources: { Policy: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Sid: sid, Effect: 'Allow', Action: 'kms:*', Resource: '*' }] } } } } };
    expect(templateFindings(template, 'KmsChecks-IamNoKmsWildcardOnAllResources').names).toEqual({ 'KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.Statement0]': ['Policy'] });
  });
});

describe('a key without a KeyPolicy is judged by KMS\'s default key policy (root kms:*)', () => {
  const template = { Resources: { Key: { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { EnableKeyRotation: true } } } };

  test('it gives the account root administration and use', () => {
    expect(templateFindings(template, 'KmsChecks-KeyPolicyNoRootFullAccess').names).toEqual({ [`KmsChecks-KeyPolicyNoRootFullAccess[${ROOT}]`]: ['Key'] });
  });

  test('it is known at synth and not locked out', () => {
    validateTemplate(template, 'KmsChecks-KeyPolicyEvaluable', Expect.COMPLIANCE);
    validateTemplate(template, 'KmsChecks-KeyPolicyNotLockedOut', Expect.COMPLIANCE);
  });
});

describe('literal ARNs of any account', () => {
  test('a role of another account with administration and use is named by its ARN', () => {
    const partner = `arn:aws:iam::${OTHER_ACCOUNT}:role/Partner`;
    const template = keyTemplate([rootAdministers, { Effect: 'Allow', Principal: { AWS: partner }, Action: ['kms:Decrypt', 'kms:PutKeyPolicy'], Resource: '*' }]);
    expect(templateFindings(template, 'KmsChecks-KeyAdminAndUseSeparated').names).toEqual({ [`KmsChecks-KeyAdminAndUseSeparated[${partner}]`]: ['Key'] });
  });

  test('a literal ARN of the stack\'s own account is that account', () => {
    const template = keyTemplate([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${AWS::AccountId}:root' }, Action: 'kms:*', Resource: '*' }]);
    expect(templateFindings(template, 'KmsChecks-KeyPolicyNoRootFullAccess').names).toEqual({ [`KmsChecks-KeyPolicyNoRootFullAccess[${ROOT}]`]: ['Key'] });
  });
});

/** Any JSON value, intrinsics included. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 7, 30, '', '*', 'kms:*', 'Allow', 'Deny', 'aws:kms', 'Retain', ROOT, 'arn:aws:kms:*:*:key/*'),
    fc.string(),
    fc.constantFrom({ Ref: 'Param' }, { Ref: 'AWS::AccountId' }, { 'Fn::ImportValue': 'x' }, { 'Fn::GetAtt': ['Role', 'Arn'] }, IF('a', 'b'), { 'Fn::Sub': '${AWS::AccountId}' }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('Statement', 'Effect', 'Principal', 'AWS', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Sid',
      'StringEquals', 'aws:PrincipalArn', 'ServerSideEncryptionConfiguration', 'ServerSideEncryptionByDefault', 'SSEAlgorithm',
      'PolicyDocument', 'PolicyName', 'Fn::If'), tie('value'), { maxKeys: 4 })),
})).value;

/** A plausible template whose values at random places are replaced by any value. */
const anyTemplate = fc.record({
  keyPolicy: anyValue,
  statement: anyValue,
  principal: anyValue,
  condition: anyValue,
  policies: anyValue,
  encryption: anyValue,
  deletionPolicy: anyValue,
  rotation: anyValue,
  properties: anyValue,
}).map((values) => ({
  Resources: {
    Key: { Type: 'AWS::KMS::Key', DeletionPolicy: values.deletionPolicy, Properties: { EnableKeyRotation: values.rotation, KeyPolicy: values.keyPolicy } },
    Shaped: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [rootAdministers, values.statement, { Effect: 'Allow', Principal: values.principal, Action: 'kms:Decrypt', Resource: '*', Condition: values.condition }] } } },
    Replica: { Type: 'AWS::KMS::ReplicaKey', Properties: values.properties },
    Role: { Type: 'AWS::IAM::Role', Properties: { Policies: values.policies } },
    Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: values.statement, Roles: [{ Ref: 'Role' }] } },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: values.encryption } },
    Filter: { Type: 'AWS::Logs::MetricFilter', Properties: { FilterPattern: values.condition } },
  },
}));

test('no rule throws on any value in any position, and every finding has a readable id', () => {
  const rules = kmsRules(DEFAULT_RULE_SETTINGS);
  fc.assert(fc.property(anyTemplate, fc.constantFrom(ACCOUNT, '${AWS::AccountId}'), (template, account) => {
    withRunCache(() => {
      const resources = Object.entries(template.Resources).map(([id, entry]) => resourceFromTemplate(id, entry));
      const app = { resourcesOfType: (type: string) => resources.filter((resource) => resource.type === type) };
      const stack = { template, account, app };
      for (const [logicalId, entry] of Object.entries(template.Resources)) {
        for (const rule of rules) {
          // Called directly, not through the runner, which would turn a throw into a finding.
          const result = rule.rule({ resource: resourceFromTemplate(logicalId, entry), stack });
          if (!Object.values(Compliance).includes(result as Compliance)) {
            expect(result).not.toEqual([]);
            for (const finding of result as Array<{ id: string }>) { expect(finding.id).toMatch(/^[\w.:/@*${}+=,-]{1,200}$/); }
          }
        }
      }
    });
  }), { numRuns: 300, seed: 20261202 });
});
