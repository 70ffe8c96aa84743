/**
 * A cloud assembly with stages: each Stage is a nested assembly (assembly-<Stage>/ in cdk.out),
 * and the CLI checks its stacks too, as the plugin does.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage, aws_kms as kms } from 'aws-cdk-lib';
import { cli } from './run-cli';

test('every stack of every nested assembly (Stage, and a Stage in a Stage) is checked', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nested-assembly-'));
  const app = new App({ outdir });
  new kms.Key(new Stack(app, 'Top'), 'Key');
  const prod = new Stage(app, 'Prod');
  new kms.Key(new Stack(prod, 'Data'), 'Key');
  new kms.Key(new Stack(new Stage(prod, 'Eu'), 'Logs'), 'Key');
  app.synth();
  expect(fs.existsSync(path.join(outdir, 'assembly-Prod', 'assembly-Prod-Eu'))).toBe(true);

  const { code, stdout } = cli('check', '--format', 'json', '--rules', 'KeyRotationEnabled', outdir);
  const paths = JSON.parse(stdout).findings.map((finding: { path: string }) => finding.path).sort();
  expect(paths).toEqual(['Prod/Data/Key/Resource', 'Prod/Eu/Logs/Key/Resource', 'Top/Key/Resource']);
  expect(code).toBe(1);
});
