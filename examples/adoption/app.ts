/**
 * Run: npx cdk synth --app "npx ts-node --prefer-ts-exts examples/adoption/app.ts" -c stage=before
 *      (or -c stage=after). Both stages run AwsSolutionsChecks and KmsChecks at synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildAfterAdoption } from './after';
import { buildBeforeAdoption } from './before';
import { KmsChecks } from '../../src';

const app = new App();
const stage = app.node.tryGetContext('stage') ?? 'after';
(stage === 'before' ? buildBeforeAdoption : buildAfterAdoption)(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new KmsChecks(app));
app.synth();
