import { Compliance, Finding, cannotEvaluate } from './private/rule-result';
import { AppTemplates, ResourceTemplate, RuleTarget, StackTemplate, isObject, resourceFromTemplate } from './private/rule-target';
import { withRunCache } from './private/run-cache';
import { RuleRow } from './rule-table';

export type { Finding } from './private/rule-result';

/** One template to check, with what the rules need to know about its stack. */
export interface TemplateInput {
  /** The parsed template (`{ Resources: {...} }`). */
  readonly template: any;
  /** Canonical account of the stack: 12 digits, or `${AWS::AccountId}` when not known. */
  readonly account: string;
}

/** A rule that reported on a resource. */
export interface ResourceFinding {
  /** Position of the template in the input list. */
  readonly templateIndex: number;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly rule: RuleRow;
  /** `undefined` when the rule reports without a finding id (plain NON_COMPLIANT). */
  readonly finding?: Finding;
}

/**
 * Runs the rules over every resource of an app's templates (the stacks of one cloud assembly, or
 * one template file): the template-level host of the same rules the cdk-nag plugin runs. A rule
 * that throws is reported as `[CannotEvaluate]` with the error, never as a crash.
 */
export function checkTemplates(templates: TemplateInput[], rules: RuleRow[]): ResourceFinding[] {
  return withRunCache(() => {
    const app = appOf(templates);
    const found: ResourceFinding[] = [];
    templates.forEach((input, templateIndex) => {
      const stack: StackTemplate = { template: { Resources: resourcesOf(input.template) }, account: input.account, app };
      for (const [logicalId, entry] of Object.entries(stack.template.Resources)) {
        const target: RuleTarget = { resource: resourceFromTemplate(logicalId, entry), stack };
        for (const rule of rules) {
          for (const finding of findingsOf(rule, target)) {
            found.push({ templateIndex, logicalId, resourceType: target.resource.type, rule, finding });
          }
        }
      }
    });
    return found;
  });
}

/** The findings of one rule on one resource: `[undefined]` for a plain NON_COMPLIANT. */
function findingsOf(rule: RuleRow, target: RuleTarget): Array<Finding | undefined> {
  let result;
  try {
    result = rule.rule(target);
  } catch (error) {
    return [cannotEvaluate(`The rule failed on this resource (${error instanceof Error ? error.message : String(error)}); please report it.`)];
  }
  if (result === Compliance.NON_COMPLIANT) { return [undefined]; }
  return Array.isArray(result) ? result : [];
}

function resourcesOf(template: unknown): { [logicalId: string]: any } {
  const resources = isObject(template) ? template.Resources : undefined;
  return isObject(resources) ? resources : {};
}

function appOf(templates: TemplateInput[]): AppTemplates {
  let byType: Map<string, ResourceTemplate[]> | undefined;
  return {
    resourcesOfType: (type) => {
      if (!byType) {
        byType = new Map();
        for (const { template } of templates) {
          for (const [logicalId, entry] of Object.entries(resourcesOf(template))) {
            const resource = resourceFromTemplate(logicalId, entry);
            const sameType = byType.get(resource.type);
            if (sameType) { sameType.push(resource); } else { byType.set(resource.type, [resource]); }
          }
        }
      }
      return byType.get(type) ?? [];
    },
  };
}
