import { App } from 'aws-cdk-lib';
import { buildAfterAdoption } from '../../examples/adoption/after';
import { buildDnssecExample } from '../../examples/dnssec/stack';
import { buildEnvelopeExample } from '../../examples/envelope-encryption/stack';
import { buildGoldenPattern } from '../../examples/golden-pattern/pattern';
import { buildHsmExample } from '../../examples/hsm-backed-key/stack';
import { buildQuickStart } from '../../examples/quick-start/stack';

/** Stand-ins for a real cluster: they pass the synth-time checks; nothing is deployed here. */
export const HSM_SETTINGS = {
  cloudHsmClusterId: 'cluster-abcdefghijk',
  trustAnchorCertificate: '-----BEGIN CERTIFICATE-----\nVEVTVC1UUlVTVC1BTkNIT1I=\n-----END CERTIFICATE-----',
  kmsUserSecretName: 'kms/kmsuser',
};

/** Every example a user copies, as [name, build]; each must pass the checks (examples.test.ts). */
export const CHECKED_EXAMPLES: Array<[string, (app: App) => void]> = [
  ['golden pattern', (app) => { buildGoldenPattern(app); }],
  ['adoption, after switching to the library', (app) => { buildAfterAdoption(app); }],
  ['envelope encryption', (app) => { buildEnvelopeExample(app); }],
  ['HSM-backed key', (app) => { buildHsmExample(app, HSM_SETTINGS); }],
  ['DNSSEC signing key', (app) => { buildDnssecExample(app, 'example.com'); }],
];

/** The checked examples plus the README quick start. */
export const ALL_EXAMPLES: Array<[string, (app: App) => void]> = [
  ...CHECKED_EXAMPLES,
  ['README quick start', (app) => { buildQuickStart(app); }],
];
