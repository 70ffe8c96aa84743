import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { aws_lambda as lambda } from 'aws-cdk-lib';

/**
 * The Lambda code of one handler folder (`<module>/handler/`).
 *
 * jsii compiles `handler/*.ts` to `lib/<module>/handler/*.js`, and the package ships those files:
 * from lib/ the asset is that folder without the type declarations. When this code runs from
 * src/ (ts-jest, ts-node for the integ apps) there is no `.js` next to the sources, and an asset
 * of `.ts` files would deploy a Lambda that cannot start. Then the sources are transpiled once
 * into a folder named after their content hash, with the same TypeScript that runs this code (a
 * dev dependency: it only exists in this repository, where src/ does). Handlers import nothing
 * outside their folder but the AWS SDK the Lambda runtime provides.
 *
 * @param handlerDir the handler folder
 * @param entryModule a module of the folder (without extension), to tell compiled from source
 */
export function handlerCode(handlerDir: string, entryModule: string): lambda.Code {
  if (fs.existsSync(path.join(handlerDir, `${entryModule}.js`))) {
    return lambda.Code.fromAsset(handlerDir, { exclude: ['*.ts', '*.map'] });
  }
  return lambda.Code.fromAsset(transpiledHandlerDir(handlerDir, entryModule));
}

function transpiledHandlerDir(handlerDir: string, entryModule: string): string {
  const sources = fs.readdirSync(handlerDir).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')).sort();
  const hash = createHash('sha256');
  sources.forEach((file) => hash.update(file).update(fs.readFileSync(path.join(handlerDir, file))));
  const outDir = path.join(os.tmpdir(), `cdk-kms-patterns-handler-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(outDir, `${entryModule}.js`))) { return outDir; }

  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies -- dev-only path, see above
  const ts: typeof import('typescript') = require('typescript');
  const staging = fs.mkdtempSync(`${outDir}-`);
  for (const file of sources) {
    const output = ts.transpileModule(fs.readFileSync(path.join(handlerDir, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    fs.writeFileSync(path.join(staging, file.replace(/\.ts$/, '.js')), output.outputText);
  }
  // Rename is atomic, so parallel test workers never see a half-written folder.
  try { fs.renameSync(staging, outDir); } catch { fs.rmSync(staging, { recursive: true, force: true }); }
  return outDir;
}
