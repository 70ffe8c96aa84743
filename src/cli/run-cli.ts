import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Acknowledgements, FileAcknowledgement, readAcknowledgementsFile } from './acknowledgements';
import { CheckArguments, USAGE, UsageError, parseCheckArguments } from './arguments';
import { checkApps } from './check';
import { InputProblem, LoadedApp, loadInputs } from './inputs';
import { renderSarif } from './sarif-output';
import { CheckSummary, summarize } from './summary';
import { InputError } from './template-resolution';
import { renderText } from './text-output';
import { KeyAccessReport } from '../access/access-report';
import { PACK_NAME, RuleRow, kmsRules } from '../nag/rule-table';

/** Where the CLI writes (the process's streams, or a test's buffers). */
export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `cdk-kms-patterns <command>`: runs the command and returns the exit code. 0: nothing at or
 * above `--fail-on`; 1: findings at or above it; 2: a usage or input error (the other inputs are
 * still checked and reported).
 */
export function runCli(argv: string[], out: CliOutput): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || (command === 'check' && rest.some((arg) => arg === '-h' || arg === '--help'))) {
    out.stdout(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    out.stdout(`${packageVersion()}\n`);
    return 0;
  }
  try {
    if (command !== 'check') { throw new UsageError(`unknown command ${command}: the command is check`); }
    return check(parseCheckArguments(rest), out);
  } catch (error) {
    if (!(error instanceof UsageError)) { throw error; }
    out.stderr(`cdk-kms-patterns: ${error.message}\nRun cdk-kms-patterns check --help for the options.\n`);
    return 2;
  }
}

function check(args: CheckArguments, out: CliOutput): number {
  const rules = selectRules(args);
  const problems: InputProblem[] = [];
  let fromFile: FileAcknowledgement[] = [];
  if (args.acknowledgements !== undefined) {
    try {
      fromFile = readAcknowledgementsFile(args.acknowledgements);
    } catch (error) {
      if (!(error instanceof InputError)) { throw error; }
      problems.push({ file: args.acknowledgements, message: error.message });
    }
  }
  const loaded = loadInputs(args.paths, args.parameters);
  problems.push(...loaded.problems);
  const findings = checkApps(loaded.apps, rules, new Acknowledgements(fromFile));
  const summary = summarize(findings, loaded.apps);

  let report: string;
  if (args.format === 'sarif') {
    report = renderSarif(findings, problems, { version: packageVersion(), rules });
  } else if (args.format === 'json') {
    report = `${JSON.stringify({ summary, findings: findings.map(({ rule, ...finding }) => ({ ...finding, level: rule.level, message: rule.info, explanation: rule.explanation })), problems }, undefined, 2)}\n`;
  } else {
    report = renderText(findings, summary);
  }
  if (args.output === undefined) { out.stdout(report); } else { writeFileSync(args.output, report); }
  if (args.accessReport !== undefined) { writeAccessReport(args.accessReport, loaded.apps); }
  for (const problem of problems) { out.stderr(`error: ${problem.file}: ${problem.message}\n`); }
  return problems.length > 0 ? 2 : exitCode(args, summary);
}

function selectRules(args: CheckArguments): RuleRow[] {
  const all = kmsRules({
    maximumRotationDays: args.maximumRotationDays,
    minimumPendingDays: args.minimumPendingDays,
    requireCustomerManagedKeyForS3: args.requireCustomerManagedKeyForS3,
    deletionMonitorWarning: args.deletionMonitorWarning,
  });
  const unknown = args.rules.filter((name) => !all.some((rule) => rule.id === name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown rule ${unknown.map((name) => `${PACK_NAME}-${name}`).join(', ')}. Rules: ${all.map((rule) => rule.id).join(', ')}`);
  }
  return args.rules.length === 0 ? all : all.filter((rule) => args.rules.includes(rule.id));
}

function exitCode(args: CheckArguments, summary: CheckSummary): number {
  if (args.failOn === 'none') { return 0; }
  const failing = args.failOn === 'warning' ? summary.errors + summary.warnings : summary.errors;
  return failing > 0 ? 1 : 0;
}

/** The access report of every key in every template checked, as `cdk synth` writes it with KeyAccessReport. */
function writeAccessReport(directory: string, apps: LoadedApp[]): void {
  const report = KeyAccessReport.fromTemplates(apps.flatMap((app) => app.templates)
    .map(({ stackName, template, account }) => ({ stackName, template, account })));
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'kms-access-report.json'), `${JSON.stringify(report, undefined, 2)}\n`);
  writeFileSync(join(directory, 'kms-access-report.md'), KeyAccessReport.toMarkdown(report));
}

function packageVersion(): string {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}
