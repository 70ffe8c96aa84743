/**
 * The `check` CLI as users get it: from the packed tarball installed in a scratch directory, run
 * with npx on the golden pattern's cloud assembly and on a plain YAML template.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { installIntoScratchApp, packLibrary } from './packed-library';
import { buildGoldenPattern } from '../../examples/golden-pattern/pattern';

jest.setTimeout(300_000);

let appDir: string;

beforeAll(() => {
  appDir = installIntoScratchApp(packLibrary().tarball);
  // The peers are links to this project's copies; the CLI must not need them at all.
  for (const peer of ['aws-cdk-lib', 'constructs', 'cdk-nag']) { fs.rmSync(path.join(appDir, 'node_modules', peer)); }
  const app = new App({ outdir: path.join(appDir, 'cdk.out', 'golden-pattern'), context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
  buildGoldenPattern(app);
  app.synth();
  fs.copyFileSync(path.join(__dirname, '..', 'cli', 'fixtures', 'key-with-parameters.yaml'), path.join(appDir, 'key.yaml'));
});

/** `npx cdk-kms-patterns <args>` in the scratch directory, without reaching the registry. */
function npx(...args: string[]) {
  const result = spawnSync('npx', ['--no', '--offline', '--', 'cdk-kms-patterns', ...args], { cwd: appDir, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('npx cdk-kms-patterns check cdk.out/golden-pattern: every stack checked, no finding, exit 0', () => {
  const { code, stdout, stderr } = npx('check', 'cdk.out/golden-pattern');
  expect(stderr).toBe('');
  expect(stdout).toMatch(/^0 errors, 0 warnings, 0 acknowledged in 2 templates \(\d+ resources\)\.$/m);
  expect(code).toBe(0);
});

test('npx cdk-kms-patterns check on a plain YAML template finds its weaknesses, exit 1', () => {
  const { code, stdout } = npx('check', '--format', 'json', 'key.yaml');
  expect(JSON.parse(stdout).findings.map((finding: any) => finding.name).sort())
    .toEqual(['KmsChecks-KeyPendingWindowAtLeastMinimum', 'KmsChecks-KeyRotationEnabled']);
  expect(code).toBe(1);
});

test('the installed command is the packed one, and it writes SARIF', () => {
  const installed = fs.realpathSync(path.join(appDir, 'node_modules', '.bin', 'cdk-kms-patterns'));
  expect(installed).toBe(path.join(fs.realpathSync(appDir), 'node_modules', 'cdk-kms-patterns', 'lib', 'cli', 'main.js'));
  const { code } = npx('check', '--format', 'sarif', '--output', 'kms.sarif', 'key.yaml');
  expect(code).toBe(1);
  expect(JSON.parse(fs.readFileSync(path.join(appDir, 'kms.sarif'), 'utf8')).version).toBe('2.1.0');
});
