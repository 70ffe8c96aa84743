import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { buildAfterAdoption } from '../../examples/adoption/after';
import { buildBeforeAdoption } from '../../examples/adoption/before';
import { buildEnvelopeExample } from '../../examples/envelope-encryption/stack';
import { buildGoldenPattern } from '../../examples/golden-pattern/pattern';
import { buildHsmExample } from '../../examples/hsm-backed-key/stack';
import { buildQuickStart } from '../../examples/quick-start/stack';
import { KmsChecks } from '../../src';

/** Stand-ins for a real cluster: they pass the synth-time checks; nothing is deployed here. */
const HSM_SETTINGS = {
  cloudHsmClusterId: 'cluster-abcdefghijk',
  trustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nVEVTVC1UUlVTVC1BTkNIT1I=\n-----END CERTIFICATE-----',
  kmsUserSecretName: 'kms/kmsuser',
};

/** Rule ids of every unacknowledged finding of `packs` over `app`. */
function findings(app: App, packs: NagPack[]): string[] {
  return packs.flatMap((pack) => pack.validateScope(app).violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.locations?.[0] ?? r.resourceLogicalId).join(',')}`));
}

function checks(): NagPack[] {
  return [new AwsSolutionsChecks(), new KmsChecks()];
}

describe('every example synthesizes and passes the checks', () => {
  test.each([
    ['golden pattern', (app: App) => { buildGoldenPattern(app); }],
    ['adoption, after switching to the library', (app: App) => { buildAfterAdoption(app); }],
    ['envelope encryption', (app: App) => { buildEnvelopeExample(app); }],
    ['HSM-backed key', (app: App) => { buildHsmExample(app, HSM_SETTINGS); }],
  ])('%s', (_name, build) => {
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

describe('the golden pattern', () => {
  test('has a primary and a replica stack in two Regions', () => {
    const app = new App();
    const { primary, replica } = buildGoldenPattern(app);
    expect([primary.region, replica.region]).toEqual(['eu-west-1', 'eu-central-1']);
    app.synth();
    expect(Stack.of(replica).dependencies.map((s) => s.stackName)).toContain(primary.stackName);
  });
});
