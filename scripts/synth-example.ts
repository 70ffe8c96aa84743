/**
 * `npm run synth:example [app.ts] [output dir]`: synthesizes an example app with its checks and
 * says what happened.
 *
 * - Clean: exits 0 and prints where the templates and the access report are, with the report's
 *   one-line summary.
 * - A check fails (or synth fails): exits 1 and prints the findings (cdk prints them in full
 *   above) and where the validation report is.
 *
 * A Node script rather than a shell line because projen runs task lines in a shell of its own,
 * which has no `{ ...; }` groups.
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';

const DEFAULT_APP = 'examples/golden-pattern/app.ts';
const DEFAULT_OUTPUT = 'cdk.out/golden-pattern';

interface Violation {
  readonly ruleName: string;
  readonly violatingConstructs?: { readonly constructPath?: string }[];
}
interface PluginReport {
  readonly pluginName: string;
  readonly conclusion?: string;
  readonly violations?: Violation[];
}
interface AccessReportSummary {
  readonly keys: { readonly principals: { readonly administer: Access; readonly use: Access; readonly mayAdministerAndUse?: boolean }[]; readonly problems: string[] }[];
}
interface Access {
  readonly decision: string;
}

function main(args: string[]): number {
  const [app = DEFAULT_APP, output = DEFAULT_OUTPUT] = args;
  if (!existsSync(app)) {
    console.error(`synth:example: no app at ${app}. Usage: npm run synth:example -- [app.ts] [output dir]`);
    return 2;
  }
  const synth = spawnSync('cdk', ['synth', '--app', `ts-node --transpile-only --prefer-ts-exts ${app}`, '--output', output, '--quiet'],
    { stdio: 'inherit' });
  const validationReport = join(output, 'validation-report.json');
  if (synth.status !== 0) {
    console.error('');
    console.error(`Checks failed (cdk synth exited ${synth.status ?? synth.signal}).`);
    findings(validationReport).forEach((line) => console.error(`  ${line}`));
    console.error(`Validation report: ${validationReport}`);
    return 1;
  }
  const templates = readdirSync(output).filter((file) => file.endsWith('.template.json'));
  console.log('');
  console.log(`Checks passed. Templates (${templates.length}): ${join(output, '*.template.json')}`);
  const accessReport = join(output, 'kms-access-report.json');
  if (existsSync(accessReport)) {
    console.log(`Access report: ${join(output, 'kms-access-report.md')} (and .json): ${summarize(accessReport)}`);
  }
  return 0;
}

/** One line per finding, `rule at construct path`, from the validation report cdk wrote. */
function findings(path: string): string[] {
  if (!existsSync(path)) { return ['(no validation report: synth failed before the checks ran; see the error above)']; }
  const reports: PluginReport[] = JSON.parse(readFileSync(path, 'utf8')).pluginReports ?? [];
  const lines = reports.flatMap((report) => (report.violations ?? []).flatMap((violation) =>
    (violation.violatingConstructs ?? [{}]).map((construct) =>
      `${report.pluginName}: ${violation.ruleName} at ${construct.constructPath ?? '(unknown construct)'}`)));
  return lines.length > 0 ? lines : ['(the validation report lists no finding: see the error above)'];
}

/** The access report in one line: keys, who may administer or use them, and what could not be evaluated. */
function summarize(path: string): string {
  const report: AccessReportSummary = JSON.parse(readFileSync(path, 'utf8'));
  const rows = report.keys.flatMap((key) => key.principals);
  const may = (access: Access) => access.decision === 'ALLOWED' || access.decision === 'CONDITIONAL';
  const administer = rows.filter((row) => may(row.administer)).length;
  const use = rows.filter((row) => may(row.use)).length;
  const conditionalUse = rows.filter((row) => row.use.decision === 'CONDITIONAL').length;
  // The report judges it as the key constructs do: conditional on both sides is not always both.
  const both = rows.filter((row) => row.mayAdministerAndUse).length;
  const unreadable = rows.filter((row) => row.administer.decision === 'CANNOT_EVALUATE' || row.use.decision === 'CANNOT_EVALUATE').length
    + report.keys.reduce((sum, key) => sum + key.problems.length, 0);
  return `${report.keys.length} keys; ${administer} principals may administer, ${use} may use `
    + `(${conditionalUse} only under conditions), ${both} may do both; ${unreadable} CANNOT EVALUATE`;
}

process.exitCode = main(process.argv.slice(2));
