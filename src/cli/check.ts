import { Acknowledgements } from './acknowledgements';
import { LoadedApp, LoadedTemplate } from './inputs';
import { PACK_NAME, RuleRow } from '../nag/rule-table';
import { checkTemplates } from '../nag/template-runner';

/** One finding, placed in its file, with its acknowledgement if any. */
export interface ReportedFinding {
  readonly rule: RuleRow;
  /** `KmsChecks-Rule`. */
  readonly ruleId: string;
  /** `KmsChecks-Rule[finding]`, or the rule id when the rule reports without a finding id. */
  readonly name: string;
  readonly findingId?: string;
  /** Why, when the finding needs one (every `[CannotEvaluate]` has one). */
  readonly reason?: string;
  readonly file: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** Construct path, when the cloud assembly or template says it. */
  readonly path?: string;
  /** 1-based line of the resource in the file, when it can be found. */
  readonly line?: number;
  /** The acknowledgement's reason: the finding does not count towards the exit code. */
  readonly acknowledged?: string;
}

/** Runs the rules over every app (a cloud assembly, or a template file, is one app). */
export function checkApps(apps: LoadedApp[], rules: RuleRow[], acknowledgements: Acknowledgements): ReportedFinding[] {
  const reported: ReportedFinding[] = [];
  for (const app of apps) {
    const found = checkTemplates(app.templates.map(({ template, account }) => ({ template, account })), rules);
    const lines = new Map<LoadedTemplate, Map<string, number>>();
    for (const { templateIndex, logicalId, resourceType, rule, finding } of found) {
      const template = app.templates[templateIndex];
      if (!lines.has(template)) { lines.set(template, resourceLines(template.text)); }
      const ruleId = `${PACK_NAME}-${rule.id}`;
      const place = { template, logicalId };
      reported.push({
        rule,
        ruleId,
        name: finding ? `${ruleId}[${finding.id}]` : ruleId,
        findingId: finding?.id,
        reason: finding?.reason,
        file: template.file,
        stack: template.stackName,
        logicalId,
        resourceType,
        path: acknowledgements.constructPath(place),
        line: lines.get(template)!.get(logicalId),
        acknowledged: acknowledgements.reasonFor(ruleId, finding?.id, place),
      });
    }
  }
  return reported;
}

/**
 * The line of each resource's key under `Resources`, in JSON or YAML text: the keys at the first
 * indentation below the `Resources` key.
 */
function resourceLines(text: string): Map<string, number> {
  const lines = text.split('\n');
  const found = new Map<string, number>();
  const start = lines.findIndex((line) => /^\s*["']?Resources["']?\s*:/.test(line));
  if (start < 0) { return found; }
  const outer = /^\s*/.exec(lines[start])![0].length;
  let indent: number | undefined;
  for (let index = start + 1; index < lines.length; index++) {
    const key = /^(\s*)["']?([\w-]+)["']?\s*:/.exec(lines[index]);
    if (!key) { continue; }
    const depth = key[1].length;
    if (depth <= outer) { break; }
    indent ??= depth;
    if (depth === indent && !found.has(key[2])) { found.set(key[2], index + 1); }
  }
  return found;
}
