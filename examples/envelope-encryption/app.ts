/**
 * Run: npx cdk synth --app "npx ts-node --prefer-ts-exts examples/envelope-encryption/app.ts"
 */
import { App } from 'aws-cdk-lib';
import { buildEnvelopeExample } from './stack';

const app = new App();
buildEnvelopeExample(app);
app.synth();
