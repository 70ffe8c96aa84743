import { App, Duration, Stack, aws_kms as kms, aws_route53 as route53 } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DnssecSigningKey, DnssecSigningKeyProps, KmsChecks } from '../../src';
import { ACCOUNT, concrete, simulate } from '../support/policy-simulation';

const ENV = { account: ACCOUNT, region: 'us-east-1' };

function statement(policy: any, sid: string): any {
  const found = policy.Statement.find((s: any) => s.Sid === sid);
  if (!found) { throw new Error(`no statement ${sid}`); }
  return found;
}

describe('a DNSSEC signing key for one hosted zone', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
  const key = new DnssecSigningKey(stack, 'Key', { hostedZones: [zone] });
  const template = Template.fromStack(stack);
  const [keyResource] = Object.values(template.findResources('AWS::KMS::Key'));
  const policy = keyResource.Properties.KeyPolicy;
  const zoneId = stack.getLogicalId(zone.node.defaultChild as route53.CfnHostedZone);
  const zoneArn = `arn:aws:route53:::hostedzone/${zoneId}`;

  test('is an ECC_NIST_P256 SIGN_VERIFY key with AWS_KMS material, single-Region, not rotating, RETAINed', () => {
    expect(keyResource.Properties).toMatchObject({
      KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Origin: 'AWS_KMS', MultiRegion: false, EnableKeyRotation: false, PendingWindowInDays: 30,
    });
    expect(keyResource.Properties.RotationPeriodInDays).toBeUndefined();
    expect(keyResource.DeletionPolicy).toBe('Retain');
    expect(key.keyArn).toBeDefined();
  });

  test('keeps the role model and adds exactly the two Route 53 statements', () => {
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual([
      'AccountAdministration', 'KeyAdministration', 'KeyUsage', 'AllowAttachmentOfPersistentResources',
      'ServiceUsageDnssecRoute53AmazonawsCom', 'ServiceResourceGrantsDnssecRoute53AmazonawsCom',
    ]);
    expect(statement(policy, 'KeyUsage').Action).toEqual(['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify']);
  });

  test('Route 53 may describe, read the public key and sign, only for this zone of this account', () => {
    expect(statement(policy, 'ServiceUsageDnssecRoute53AmazonawsCom')).toEqual({
      Sid: 'ServiceUsageDnssecRoute53AmazonawsCom',
      Effect: 'Allow',
      Principal: { Service: 'dnssec-route53.amazonaws.com' },
      Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/', { Ref: zoneId }]] }] },
      },
    });
  });

  test('Route 53 may create grants only for AWS resources', () => {
    expect(statement(policy, 'ServiceResourceGrantsDnssecRoute53AmazonawsCom')).toEqual({
      Sid: 'ServiceResourceGrantsDnssecRoute53AmazonawsCom',
      Effect: 'Allow',
      Principal: { Service: 'dnssec-route53.amazonaws.com' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    });
  });

  describe('judged by iam-simulate', () => {
    // The zone's id is a Ref; in the simulation the zone is called by its logical id.
    const resolved = concrete(JSON.parse(JSON.stringify(policy).split(`{"Ref":"${zoneId}"}`).join(`"${zoneId}"`)));
    const route53Principal = 'dnssec-route53.amazonaws.com';
    const own = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': zoneArn };
    test.each([
      ['Sign for this zone', 'Allowed', 'kms:Sign', own],
      ['GetPublicKey for this zone', 'Allowed', 'kms:GetPublicKey', own],
      ['Sign for another zone', 'ImplicitlyDenied', 'kms:Sign', { ...own, 'aws:SourceArn': 'arn:aws:route53:::hostedzone/ZOTHER' }],
      ['Sign for another account', 'ImplicitlyDenied', 'kms:Sign', { ...own, 'aws:SourceAccount': '222222222222' }],
      ['Verify', 'ImplicitlyDenied', 'kms:Verify', own],
      ['PutKeyPolicy', 'ImplicitlyDenied', 'kms:PutKeyPolicy', own],
      ['CreateGrant for an AWS resource', 'Allowed', 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' }],
      ['CreateGrant for anything else', 'ImplicitlyDenied', 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' }],
    ])('%s: %s', async (_name, expected, action, context) => {
      expect(await simulate(resolved, { principal: route53Principal, action, context })).toBe(expected);
    });
  });

  test('passes KmsChecks: Route 53 is a user that cannot administer, and grants only for AWS resources', () => {
    const rules = new KmsChecks().validateScope(stack).violations.map((violation) => violation.ruleName);
    expect(rules).toEqual(['KmsChecks-KeyDeletionMonitored']);
  });
});

test('without hosted zones: any hosted zone of the key account', () => {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  new DnssecSigningKey(stack, 'Key');
  const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
  expect(statement(key.Properties.KeyPolicy, 'ServiceUsageDnssecRoute53AmazonawsCom').Condition).toEqual({
    StringEquals: { 'aws:SourceAccount': ACCOUNT },
    ArnLike: { 'aws:SourceArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/*']] }] },
  });
});

describe('bad input fails at synth, naming the prop, the value and what is allowed', () => {
  function build(env: { account?: string; region?: string } | undefined, props: DnssecSigningKeyProps = {}): () => void {
    return () => {
      const stack = new Stack(new App(), 'Stack', { env });
      new DnssecSigningKey(stack, 'Key', props);
      Template.fromStack(stack);
    };
  }

  test.each(['eu-west-1', 'us-east-2'])('a key in %s', (region) => {
    expect(build({ account: ACCOUNT, region })).toThrow(
      new RegExp(`Stack/Key: the key's Region "${region}" is not possible for a DNSSEC signing key\\. Allowed: us-east-1`));
  });

  test('an environment-agnostic stack', () => {
    expect(build(undefined)).toThrow(/the stack Stack has no explicit Region \(Received: an environment-agnostic stack.*Allowed: env.region us-east-1/);
  });

  test.each([
    [{ keySpec: kms.KeySpec.RSA_2048 }, /'keySpec' value "RSA_2048" is not possible for a DNSSEC signing key\. Allowed: ECC_NIST_P256 or unset/],
    [{ keyUsage: kms.KeyUsage.KEY_AGREEMENT }, /'keyUsage' value "KEY_AGREEMENT" is not possible .*Allowed: SIGN_VERIFY or unset/],
    [{ multiRegion: true }, /'multiRegion' value true is not possible .*Allowed: false or unset/],
    [{ enableKeyRotation: true }, /'enableKeyRotation' value true is not possible/],
    [{ rotationPeriod: Duration.days(90) }, /'rotationPeriod' value "90 days" is not possible .*Allowed: leave it unset/],
    [{ hostedZones: [] }, /'hostedZones' is empty/],
  ])('%o', (props, message) => {
    expect(build(ENV, props as DnssecSigningKeyProps)).toThrow(message);
  });
});
