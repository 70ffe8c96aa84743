import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_DIR } from './packed-library';

jest.setTimeout(300_000);

/** Runs the README's main command (the real npm task), with extra arguments when given. */
function synthExample(...args: string[]) {
  const result = spawnSync('npm', ['run', 'synth:example', ...(args.length > 0 ? ['--', ...args] : [])],
    { cwd: PROJECT_DIR, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

test('npm run synth:example exits 0 on the clean golden pattern and says where everything is', () => {
  const { status, output } = synthExample();
  expect(status).toBe(0);
  expect(output).toContain('Checks passed. Templates');
  expect(output).toContain('cdk.out/golden-pattern/*.template.json');
  expect(output).toMatch(/Access report: cdk\.out\/golden-pattern\/kms-access-report\.md \(and \.json\): \d+ keys; .* 0 may do both; 0 CANNOT EVALUATE/);
  expect(fs.existsSync(path.join(PROJECT_DIR, 'cdk.out', 'golden-pattern', 'kms-access-report.json'))).toBe(true);
});

test('npm run synth:example exits non-zero on a violation, with the findings and the report path', () => {
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'synth-example-violation-')), 'out');
  const result = synthExample('test/fixtures/apps/violating-golden-pattern.ts', output);
  expect(result.status).toBe(1);
  expect(result.output).toContain('Checks failed');
  expect(result.output).toContain('KmsChecks: KmsChecks-KeyRotationEnabled at Shortcut/UnprotectedKey/Resource');
  expect(result.output).toContain('KmsChecks: KmsChecks-KeyPolicyNoRootFullAccess[arn:aws:iam::111111111111:root] at Shortcut/UnprotectedKey/Resource');
  expect(result.output).toContain(`Validation report: ${path.join(output, 'validation-report.json')}`);
  // The golden pattern's own stacks are clean: only the weakened key is reported by KmsChecks.
  expect(result.output).not.toMatch(/KmsChecks: \S+ at KmsGoldenPattern/);
});
