import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Runs an integ app as the harness does (CDK_OUTDIR set, context from CDK_CONTEXT_JSON, extra
 * environment variables for the run) and reads the template of `stackName` it wrote.
 */
export function synthIntegAppTemplate(appFile: string, stackName: string,
  context: Record<string, string> = {}, env: Record<string, string> = {}): any {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `${stackName}-`));
  const overrides: Record<string, string> = { ...env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) };
  const saved = Object.fromEntries(Object.keys(overrides).map((name) => [name, process.env[name]]));
  Object.assign(process.env, overrides);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the app is a script; requiring it runs it
    jest.isolateModules(() => require(path.join(__dirname, '..', '..', appFile)));
    return JSON.parse(fs.readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf8'));
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) { delete process.env[name]; } else { process.env[name] = value; }
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The one resource of `type` in a template. */
export function resourceOfType(template: any, type: string): any {
  return Object.values(template.Resources).find((resource: any) => resource.Type === type);
}
