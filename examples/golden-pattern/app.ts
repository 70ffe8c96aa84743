/**
 * The golden pattern: what `npm run synth:example` synthesizes.
 *
 * Run: npm run synth:example   (exits non-zero when a check finds a violation)
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildGoldenPattern } from './pattern';

const app = new App();
buildGoldenPattern(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();


