import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { handlerCode } from '../../src/custom-key-store/private/handler-code';

const SRC = path.join(__dirname, '..', '..', 'src', 'custom-key-store');
const HANDLER_MODULES = [
  'aws-errors', 'connection-errors', 'constants', 'imported-key-material', 'key', 'key-material', 'key-store', 'request-identity', 'retry',
  'store-creation', 'store-lifecycle', 'xks-credential', 'xks-key-store',
];

/** The files a Lambda would get, by staging the code in a real synth. */
function stagedFiles(code: lambda.Code): string[] {
  const app = new App();
  new lambda.Function(new Stack(app, 'S'), 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'key-store.onEvent', code });
  const outdir = app.synth().directory;
  const [assetDir] = fs.readdirSync(outdir).filter((entry) => entry.startsWith('asset.'));
  return fs.readdirSync(path.join(outdir, assetDir)).sort();
}

function expectRunnableHandlers(dir: string): void {
  for (const module of HANDLER_MODULES) {
    const source = fs.readFileSync(path.join(dir, `${module}.js`), 'utf8');
    // Every relative import resolves inside the asset; nothing else but the SDK and Node.js built-ins the runtime has.
    for (const [, required] of source.matchAll(/require\("([^"]+)"\)/g)) {
      if (required.startsWith('.')) { expect(fs.existsSync(path.join(dir, `${required}.js`))).toBe(true); } else { expect(required).toMatch(/^(@aws-sdk\/client-(kms|secrets-manager)|crypto)$/); }
    }
  }
  expect(fs.readFileSync(path.join(dir, 'key-store.js'), 'utf8')).toMatch(/exports\.isComplete = isComplete|exports\.onEvent = onEvent/);
}

test('from src/ (ts-jest, ts-node): the TypeScript handlers become a JavaScript-only asset', () => {
  const code = handlerCode() as lambda.AssetCode;
  expect(code.path).not.toContain(SRC);
  expect(stagedFiles(code)).toEqual(HANDLER_MODULES.map((module) => `${module}.js`).sort());
  expectRunnableHandlers(code.path);
});

test('from lib/ (after jsii compile): the compiled folder itself, without type declarations', () => {
  // Lay out what jsii emits, under .tmp/ (git-ignored) so aws-cdk-lib still resolves.
  const lib = path.join(__dirname, '..', '..', '.tmp', 'lib-layout', 'custom-key-store');
  fs.rmSync(path.dirname(lib), { recursive: true, force: true });
  const compile = (from: string, to: string) => {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    const output = ts.transpileModule(fs.readFileSync(from, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    fs.writeFileSync(to, output.outputText);
    fs.writeFileSync(to.replace(/\.js$/, '.d.ts'), 'export {};\n');
  };
  for (const module of HANDLER_MODULES) { compile(path.join(SRC, 'handler', `${module}.ts`), path.join(lib, 'handler', `${module}.js`)); }
  compile(path.join(SRC, 'private', 'handler-code.ts'), path.join(lib, 'private', 'handler-code.js'));
  compile(path.join(SRC, '..', 'shared', 'handler-code.ts'), path.join(lib, '..', 'shared', 'handler-code.js'));

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const compiled = require(path.join(lib, 'private', 'handler-code.js')) as { handlerCode: () => lambda.AssetCode };
  const code = compiled.handlerCode();

  expect(code.path).toBe(path.join(lib, 'handler'));
  expect(stagedFiles(code)).toEqual(HANDLER_MODULES.map((module) => `${module}.js`).sort());
  expectRunnableHandlers(code.path);
});
