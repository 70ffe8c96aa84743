import { ReportedFinding } from './check';
import { CheckSummary } from './summary';

/** Findings grouped by file and resource, each with the id that acknowledges it. */
export function renderText(findings: ReportedFinding[], summary: CheckSummary): string {
  const lines: string[] = [];
  const byFile = groupBy(findings, (finding) => finding.file);
  for (const [file, inFile] of byFile) {
    lines.push(file);
    for (const [, onResource] of groupBy(inFile, (finding) => finding.logicalId)) {
      const { logicalId, resourceType, path, line } = onResource[0];
      const where = [path, line === undefined ? undefined : `line ${line}`].filter((part) => part !== undefined).join(', ');
      lines.push(`  ${logicalId} (${resourceType})${where ? ` ${where}` : ''}`);
      for (const finding of onResource) {
        const level = finding.acknowledged !== undefined ? 'acknowledged' : finding.rule.level.toLowerCase();
        lines.push(`    ${level.padEnd(12)} ${finding.name}  ${finding.rule.info}`);
        if (finding.reason) { lines.push(`${' '.repeat(17)}${finding.reason}`); }
        if (finding.acknowledged !== undefined) { lines.push(`${' '.repeat(17)}reason: ${finding.acknowledged}`); }
      }
    }
    lines.push('');
  }
  const counts = `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${summary.acknowledged} acknowledged`;
  lines.push(`${counts} in ${plural(summary.templates, 'template')} (${plural(summary.resources, 'resource')}).`);
  if (summary.errors + summary.warnings > 0) {
    lines.push('Each finding\'s id (KmsChecks-Rule[finding]) is what an acknowledgement names. Rules: RULES.md in the cdk-kms-patterns package.');
  }
  return `${lines.join('\n')}\n`;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) { group.push(item); } else { groups.set(key(item), [item]); }
  }
  return groups;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
