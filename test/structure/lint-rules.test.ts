import * as fs from 'fs';
import * as path from 'path';
import { Linter, loadESLint } from 'eslint';

/**
 * The structure rules of .eslintrc.json (written by .projenrc.ts) run on small fixture files under
 * fixtures/src, laid out like src/. Each deliberate violation must be reported, and each allowed
 * import must not: a rule switched off, or a zone dropped, fails here.
 */
const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
// projen heads the file with a `//` comment line.
const ESLINTRC = JSON.parse(fs.readFileSync(path.join(REPO, '.eslintrc.json'), 'utf8').replace(/^\/\/.*\n/, ''));

const PRIVATE_MESSAGE = 'private/ is internal to its module';
const CONSTRUCTS_MESSAGE = 'nag and access read synthesized templates and never import constructs';
const SHARED_MESSAGE = 'src/shared is the bottom layer';
const CYCLE_MESSAGE = 'Dependency cycle detected';

/** The rules the repository applies to src/**, as written in .eslintrc.json. */
function srcRules(): Linter.RulesRecord {
  const override = ESLINTRC.overrides.find((candidate: { files: string[] }) => candidate.files.includes('src/**/*.ts'));
  expect(override).toBeDefined();
  return override.rules;
}

/** The zones name paths from the repository root; here the fixture folder stands in for it. */
function rebased(rules: Linter.RulesRecord): Linter.RulesRecord {
  const [level, options] = rules['import/no-restricted-paths'] as [Linter.RuleSeverity, object];
  return { ...rules, 'import/no-restricted-paths': [level, { ...options, basePath: FIXTURES }] };
}

let messagesByFile: Record<string, Array<{ ruleId: string | null; message: string }>>;

beforeAll(async () => {
  const LegacyESLint = await loadESLint({ useFlatConfig: false });
  const eslint = new LegacyESLint({
    cwd: REPO,
    useEslintrc: false,
    ignore: false,
    extensions: ['.ts'],
    baseConfig: {
      root: true,
      // These rules read imports only, so the fixtures are parsed without type information.
      parser: '@typescript-eslint/parser',
      parserOptions: { ecmaVersion: 2018, sourceType: 'module' },
      plugins: ['import'],
      settings: ESLINTRC.settings,
      rules: rebased(srcRules()),
    },
  });
  const results = await eslint.lintFiles([path.join(FIXTURES, 'src')]);
  messagesByFile = Object.fromEntries(results.map((result) => [
    path.relative(path.join(FIXTURES, 'src'), result.filePath),
    result.messages.map(({ ruleId, message }) => ({ ruleId, message })),
  ]));
});

test.each([
  ['bucket/reads-key-private.ts', 'import/no-restricted-paths', PRIVATE_MESSAGE],
  ['nag/imports-construct.ts', 'import/no-restricted-paths', CONSTRUCTS_MESSAGE],
  ['access/imports-construct.ts', 'import/no-restricted-paths', CONSTRUCTS_MESSAGE],
  ['shared/imports-module.ts', 'import/no-restricted-paths', SHARED_MESSAGE],
  ['monitoring/cycle-a.ts', 'import/no-cycle', CYCLE_MESSAGE],
  ['monitoring/cycle-b.ts', 'import/no-cycle', CYCLE_MESSAGE],
])('%s is reported by %s', (file, rule, message) => {
  expect(messagesByFile[file]).toEqual([{ ruleId: rule, message: expect.stringContaining(message) }]);
});

test.each([
  'key/widget.ts', // its own private/
  'nag/imports-shared.ts', // nag may use shared
  'key/primary.ts', // a type-only import back is erased by tsc: no cycle at runtime
  'key/replica.ts',
])('%s is allowed', (file) => {
  expect(messagesByFile[file]).toEqual([]);
});

test('every fixture file is linted', () => {
  expect(Object.keys(messagesByFile)).toHaveLength(12);
});
