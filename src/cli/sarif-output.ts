import { createHash } from 'crypto';
import { relative, sep } from 'path';
import { ReportedFinding } from './check';
import { InputProblem } from './inputs';
import { PACK_NAME, RuleLevel, RuleRow } from '../nag/rule-table';

const RULES_URL = 'https://github.com/cdk-kms-patterns/cdk-kms-patterns/blob/main/RULES.md';

/** What the SARIF log says about the tool. */
export interface SarifTool {
  readonly version: string;
  readonly rules: RuleRow[];
}

/**
 * A SARIF 2.1.0 log, as GitHub code scanning reads it: one run, every rule with its help,
 * results located at the template file and the resource's line, acknowledged findings as
 * suppressed results, and input problems as tool notifications.
 * File URIs are relative to the working directory: run the check from the repository root.
 */
export function renderSarif(findings: ReportedFinding[], problems: InputProblem[], tool: SarifTool): string {
  const ruleIds = tool.rules.map((rule) => `${PACK_NAME}-${rule.id}`);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk-kms-patterns',
          informationUri: RULES_URL,
          version: tool.version,
          rules: tool.rules.map((rule, index) => ({
            id: ruleIds[index],
            name: rule.id,
            shortDescription: { text: rule.info },
            fullDescription: { text: plain(rule.checks) },
            help: { text: plain(helpMarkdown(rule)), markdown: helpMarkdown(rule) },
            helpUri: `${RULES_URL}#${rule.id.toLowerCase()}`,
            defaultConfiguration: { level: sarifLevel(rule.level) },
            properties: { tags: ['security', 'kms'] },
          })),
        },
      },
      invocations: [{
        executionSuccessful: problems.length === 0,
        toolExecutionNotifications: problems.map((problem) => ({
          level: 'error',
          message: { text: `${problem.file}: ${problem.message}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: uri(problem.file) } } }],
        })),
      }],
      results: findings.map((finding) => ({
        ruleId: finding.ruleId,
        ruleIndex: ruleIds.indexOf(finding.ruleId),
        level: sarifLevel(finding.rule.level),
        message: { text: message(finding) },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: uri(finding.file) },
            region: { startLine: finding.line ?? 1 },
          },
          logicalLocations: [{ name: finding.logicalId, fullyQualifiedName: `${finding.stack}/${finding.logicalId}`, kind: 'resource' }],
        }],
        partialFingerprints: { 'kmsChecksFinding/v1': fingerprint(finding) },
        ...(finding.acknowledged === undefined ? {} : { suppressions: [{ kind: 'external', justification: finding.acknowledged }] }),
      })),
    }],
  };
  return `${JSON.stringify(log, undefined, 2)}\n`;
}

function sarifLevel(level: RuleLevel): 'error' | 'warning' {
  return level === RuleLevel.WARNING ? 'warning' : 'error';
}

function message(finding: ReportedFinding): string {
  const what = `${finding.stack}/${finding.logicalId} (${finding.resourceType}): ${finding.rule.info}`;
  const id = finding.findingId === undefined ? '' : ` Finding ${finding.name}.`;
  return `${what}${id}${finding.reason ? ` ${finding.reason}` : ''}`;
}

/** Stable across runs and line moves: the rule, finding, stack and resource. */
function fingerprint(finding: ReportedFinding): string {
  return createHash('sha256').update(`${finding.name}\u0000${finding.stack}\u0000${finding.logicalId}`).digest('hex').slice(0, 32);
}

function uri(file: string): string {
  return encodeURI(relative(process.cwd(), file).split(sep).join('/'));
}

/** Markdown code spans read as plain text. */
/** What the rule checks, which conditions narrow (when any count) and why: RULES.md's section. */
function helpMarkdown(rule: RuleRow): string {
  return [rule.checks, ...(rule.narrowing ? [`Narrowing conditions: ${rule.narrowing}`] : []), rule.explanation].join('\n\n');
}

function plain(markdown: string): string {
  return markdown.replace(/`/g, '');
}
