import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { aws_lambda as lambda } from 'aws-cdk-lib';

/** The handler sources, next to this folder: `.js` in the published lib/, `.ts` in src/. */
const HANDLER_DIR = path.join(__dirname, '..', 'handler');

/**
 * The Lambda code of the custom key store handlers.
 *
 * jsii compiles `handler/*.ts` to `lib/custom-key-store/handler/*.js`, and the package ships
 * those files: from lib/ the asset is that folder without the type declarations. When this file
 * runs from src/ (ts-jest, ts-node for the integ apps) there is no `.js` next to the sources, and
 * an asset of `.ts` files would deploy a Lambda that cannot start. Then the sources are
 * transpiled once into a folder named after their content hash, with the same TypeScript that
 * runs this code (a dev dependency: it only exists in this repository, where src/ does). The
 * handlers import nothing outside their folder but the AWS SDK the Lambda runtime provides.
 */
export function handlerCode(): lambda.Code {
  if (fs.existsSync(path.join(HANDLER_DIR, 'key-store.js'))) {
    return lambda.Code.fromAsset(HANDLER_DIR, { exclude: ['*.ts', '*.map'] });
  }
  return lambda.Code.fromAsset(transpiledHandlerDir());
}

function transpiledHandlerDir(): string {
  const sources = fs.readdirSync(HANDLER_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')).sort();
  const hash = createHash('sha256');
  sources.forEach((file) => hash.update(file).update(fs.readFileSync(path.join(HANDLER_DIR, file))));
  const outDir = path.join(os.tmpdir(), `cdk-kms-patterns-handler-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(outDir, 'key-store.js'))) { return outDir; }

  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies -- dev-only path, see above
  const ts: typeof import('typescript') = require('typescript');
  const staging = fs.mkdtempSync(`${outDir}-`);
  for (const file of sources) {
    const output = ts.transpileModule(fs.readFileSync(path.join(HANDLER_DIR, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    fs.writeFileSync(path.join(staging, file.replace(/\.ts$/, '.js')), output.outputText);
  }
  // Rename is atomic, so parallel test workers never see a half-written folder.
  try { fs.renameSync(staging, outDir); } catch { fs.rmSync(staging, { recursive: true, force: true }); }
  return outDir;
}
