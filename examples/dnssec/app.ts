/**
 * Run (the zone name is yours; after deploy, add the DS record Route 53 shows to the parent zone):
 *   npx cdk synth --app "npx ts-node --prefer-ts-exts examples/dnssec/app.ts" -c zoneName=example.com
 */
import { App } from 'aws-cdk-lib';
import { buildDnssecExample } from './stack';

const app = new App();
buildDnssecExample(app, app.node.tryGetContext('zoneName') ?? 'example.com');
app.synth();
