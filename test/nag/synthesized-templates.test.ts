import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { resourceTemplate } from '../../src/nag/private/construct-targets';
import { withRunCache } from '../../src/nag/private/run-cache';
import { withSynthesizedTemplates } from '../../src/nag/private/synthesized-templates';

/** A synthesized app whose template file says something the tree does not (to see which is read). */
function synthesizedWithEditedTemplate(): { key: kms.CfnKey; templatePath: string } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'kms-templates-')) });
  const stack = new Stack(app, 'Stack');
  const key = new kms.CfnKey(stack, 'Key', { enableKeyRotation: true });
  app.synth();
  const templatePath = path.join(app.outdir, stack.templateFile);
  const template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
  template.Resources.Key.Properties.EnableKeyRotation = 'from-file';
  fs.writeFileSync(templatePath, JSON.stringify(template));
  return { key, templatePath };
}

describe('resources of a validation in progress', () => {
  test('are read from the template files the validation names', () => {
    const { key, templatePath } = synthesizedWithEditedTemplate();
    const read = withRunCache(() => withSynthesizedTemplates([templatePath], () => resourceTemplate(key)));
    expect(read).toEqual({ logicalId: 'Key', type: 'AWS::KMS::Key', properties: { EnableKeyRotation: 'from-file' } });
  });

  test.each([
    ['outside a validation', (work: () => unknown) => withRunCache(work)],
    ['when the validation does not name the file', (work: () => unknown) => withRunCache(() => withSynthesizedTemplates([], work))],
  ])('are rendered from the tree %s', (_case, run) => {
    const { key } = synthesizedWithEditedTemplate();
    expect(run(() => resourceTemplate(key))).toMatchObject({ properties: { EnableKeyRotation: true } });
  });
});
