/**
 * The golden pattern: what `npm run synth:example` synthesizes.
 *
 * Run: npm run synth:example   (exits non-zero when a check finds a violation)
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildGoldenPattern } from './pattern';
import { KeyAccessReport, KmsChecks } from '../../src';

// Strong cross-stack references protect the primary key ARN export while a replica reads it.
const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
buildGoldenPattern(app);
// The access report (who can administer, use, grant and delete each key) lands in the cloud
// assembly as kms-access-report.json and .md.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new KmsChecks(app), new KeyAccessReport());
app.synth();


