import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { PROJECT_DIR, PackedLibrary, installIntoScratchApp, packLibrary } from './packed-library';
import { buildGoldenPattern } from '../../examples/golden-pattern/pattern';

jest.setTimeout(300_000);

/** The folders tests, benchmarks and the emulator leave in a clone: none may reach the tarball. */
const SCRATCH_FOLDERS = ['.emulator', 'cdk.out', '.tmp', 'coverage', 'test-reports', 'bench/results'];
const SENTINEL = 'package-test-sentinel.txt';

/** The README's quick start, as a newcomer copies it. */
function readmeQuickStart(): string {
  const readme = fs.readFileSync(path.join(PROJECT_DIR, 'README.md'), 'utf8');
  const match = /## Quick start\s+```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) { throw new Error('README.md has no "## Quick start" section with a ```ts block'); }
  return match[1];
}

/** The bundled dependencies and their own dependencies: npm packs all of them (js-yaml brings argparse). */
function bundledClosure(names: string[]): string[] {
  const found = new Set<string>();
  const visit = (name: string) => {
    if (found.has(name)) { return; }
    found.add(name);
    const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'node_modules', name, 'package.json'), 'utf8'));
    Object.keys(manifest.dependencies ?? {}).forEach(visit);
  };
  names.forEach(visit);
  return [...found];
}

describe('the npm package', () => {
  let packed: PackedLibrary;
  const created: string[] = [];

  beforeAll(() => {
    // Whatever order jest runs the suites in, the scratch folders exist when the package is packed.
    for (const folder of SCRATCH_FOLDERS) {
      const file = path.join(PROJECT_DIR, folder, SENTINEL);
      if (fs.existsSync(file)) { continue; }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'must never be packed\n');
      created.push(file);
    }
    packed = packLibrary();
  });

  afterAll(() => created.forEach((file) => fs.rmSync(file, { force: true })));

  test('holds the compiled library, the jsii manifest, the docs and nothing else', () => {
    const bundled = bundledClosure(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8')).bundledDependencies ?? []);
    const shipped = (file: string) => /^lib\/.+\.(js|d\.ts)$/.test(file)
      || ['.jsii', 'API.md', 'README.md', 'RULES.md', 'LICENSE', 'package.json'].includes(file)
      || bundled.some((name) => file.startsWith(`node_modules/${name}/`));
    expect(packed.files.filter((file) => !shipped(file))).toEqual([]);
    expect(packed.files).toEqual(expect.arrayContaining(
      ['lib/index.js', 'lib/index.d.ts', '.jsii', 'API.md', 'README.md', 'RULES.md', 'LICENSE', 'package.json']));
    // The Lambda code the CloudHSM constructs deploy is read from lib/ at synth.
    expect(packed.files).toContain('lib/custom-key-store/handler/key-store.js');
    // Programs, not API: the handlers' and the CLI's declarations stay out, and no shipped
    // declaration refers to them.
    expect(packed.files.filter((file) => /^lib\/(.+\/handler|cli)\/.+\.d\.ts$/.test(file))).toEqual([]);
    const declarations = packed.files.filter((file) => file.endsWith('.d.ts'))
      .map((file) => fs.readFileSync(path.join(PROJECT_DIR, file), 'utf8'));
    expect(declarations.filter((text) => /from ['"][^'"]*\/(handler|cli)\//.test(text))).toEqual([]);
    expect(packed.files.filter((file) => file.includes(SENTINEL))).toEqual([]);
  });

  test('is under 300 files and 1.5 MB', () => {
    expect(packed.files.length).toBeLessThan(300);
    expect(packed.size).toBeLessThan(1.5 * 1024 * 1024);
  });

  test("installs into a consumer app, where README's quick start synthesizes with the checks", () => {
    const appDir = installIntoScratchApp(packed.tarball);
    const program = `${readmeQuickStart()}
const assembly = app.synth();
console.log(JSON.stringify(assembly.stacks.map((s) => Object.values(s.template.Resources).map((r) => r.Type))));
`;
    const js = ts.transpileModule(program, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    fs.writeFileSync(path.join(appDir, 'app.js'), js);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-kms-patterns-consumer-out-'));
    // An unacknowledged KmsChecks finding would make app.synth() throw, and node exit non-zero.
    const stdout = execFileSync('node', ['app.js'], { cwd: appDir, encoding: 'utf8', env: { ...process.env, CDK_OUTDIR: outdir } });
    const types: string[] = JSON.parse(stdout.trim().split('\n').pop()!).flat();
    expect(types).toEqual(expect.arrayContaining(['AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::S3::Bucket', 'AWS::IAM::Role']));
    // The package came from the tarball, not from this checkout's src/.
    const installed = fs.realpathSync(path.join(appDir, 'node_modules', 'cdk-kms-patterns'));
    expect(installed.startsWith(appDir)).toBe(true);
    expect(fs.existsSync(path.join(installed, 'src'))).toBe(false);
  });

  // The `check` CLI as users get it, from the same tarball (packed once for this file): run with
  // npx on the golden pattern's cloud assembly and on a plain YAML template.
  describe('the check CLI, installed from the tarball', () => {
    let appDir: string;

    beforeAll(() => {
      appDir = installIntoScratchApp(packed.tarball);
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
      expect(stdout).toMatch(/^0 errors, 0 warnings, 0 acknowledged in 5 templates \(\d+ resources\)\.$/m);
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
  });
});
