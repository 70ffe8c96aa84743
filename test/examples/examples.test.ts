import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { CHECKED_EXAMPLES } from './example-apps';
import { buildBeforeAdoption } from '../../examples/adoption/before';
import { buildDnssecExample } from '../../examples/dnssec/stack';
import { buildQuickStart } from '../../examples/quick-start/stack';
import { KmsChecks } from '../../src';

/** Rule ids of every unacknowledged finding of `packs` over `app`. */
function findings(app: App, packs: NagPack[]): string[] {
  return packs.flatMap((pack) => pack.validateScope(app).violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.locations?.[0] ?? r.resourceLogicalId).join(',')}`));
}

function checks(): NagPack[] {
  return [new AwsSolutionsChecks(), new KmsChecks()];
}

describe('every example synthesizes and passes the checks', () => {
  test.each(CHECKED_EXAMPLES)('%s', (_name, build) => {
    const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
    build(app);
    expect(findings(app, checks())).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the README quick start', () => {
  test('synthesizes with zero KmsChecks findings', () => {
    const app = new App();
    buildQuickStart(app);
    expect(findings(app, [new KmsChecks()])).toEqual([]);
  });
});

describe('the adoption example before switching', () => {
  test('plain aws-cdk-lib produces findings the library removes', () => {
    const app = new App();
    buildBeforeAdoption(app);
    const before = findings(app, checks());
    expect(before.length).toBeGreaterThan(0);
    expect(before.map((f) => f.split(' ')[0])).toMatchSnapshot();
  });
});

describe('the DNSSEC example', () => {
  test('makes the key-signing key from the signing key, and turns signing on after it', () => {
    const app = new App();
    const template = Template.fromStack(buildDnssecExample(app, 'example.com'));
    const [kskId, ksk] = Object.entries(template.findResources('AWS::Route53::KeySigningKey'))[0];
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    const [zoneId] = Object.keys(template.findResources('AWS::Route53::HostedZone'));
    expect(ksk.Properties).toEqual({
      HostedZoneId: { Ref: zoneId }, KeyManagementServiceArn: { 'Fn::GetAtt': [keyId, 'Arn'] }, Name: 'ksk1', Status: 'ACTIVE',
    });
    template.hasResource('AWS::Route53::DNSSEC', { Properties: { HostedZoneId: { Ref: zoneId } }, DependsOn: [kskId] });
  });
});
