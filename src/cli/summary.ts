import { ReportedFinding } from './check';
import { LoadedApp } from './inputs';
import { RuleLevel } from '../nag/rule-table';

/** Counts for people and for the exit code. */
export interface CheckSummary {
  /** Unacknowledged error-level findings. */
  readonly errors: number;
  /** Unacknowledged warnings. */
  readonly warnings: number;
  readonly acknowledged: number;
  readonly templates: number;
  readonly resources: number;
}

export function summarize(findings: ReportedFinding[], apps: LoadedApp[]): CheckSummary {
  const open = findings.filter((finding) => finding.acknowledged === undefined);
  const templates = apps.flatMap((app) => app.templates);
  return {
    errors: open.filter((finding) => finding.rule.level === RuleLevel.ERROR).length,
    warnings: open.filter((finding) => finding.rule.level === RuleLevel.WARNING).length,
    acknowledged: findings.length - open.length,
    templates: templates.length,
    resources: templates.reduce((total, { template }) => total + Object.keys(template.Resources ?? {}).length, 0),
  };
}
