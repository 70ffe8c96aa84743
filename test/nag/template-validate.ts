import { Expect, expectFindings } from './validate';
import { DEFAULT_RULE_SETTINGS, RuleSettings, kmsRules } from '../../src/nag/rule-table';
import { checkTemplates } from '../../src/nag/template-runner';

export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

/**
 * The template-level host of the rules (what the `check` CLI runs): every finding of `ruleId`
 * on a raw template, as `Rule[finding]` -> logical ids, with the reasons.
 */
export function templateFindings(template: any, ruleId: string, options: { account?: string; settings?: Partial<RuleSettings> } = {}):
{ names: Record<string, string[]>; reasons: string[] } {
  const rules = kmsRules({ ...DEFAULT_RULE_SETTINGS, ...options.settings }).filter((rule) => `KmsChecks-${rule.id}` === ruleId);
  const names: Record<string, string[]> = {};
  const reasons: string[] = [];
  for (const { logicalId, finding } of checkTemplates([{ template, account: options.account ?? ACCOUNT }], rules)) {
    const name = finding ? `${ruleId}[${finding.id}]` : ruleId;
    (names[name] ??= []).push(logicalId);
    if (finding?.reason) { reasons.push(finding.reason); }
  }
  return { names, reasons };
}

/** Asserts what `ruleId` reports on a raw template (see {@link Expect}). */
export function validateTemplate(template: any, ruleId: string, expectation: Expect, options: { account?: string } = {}): void {
  expectFindings(Object.keys(templateFindings(template, ruleId, options).names), ruleId, expectation);
}

/** A template with one KMS key whose policy is `statements` (a list, or any other Statement value). */
export function keyTemplate(statements: unknown, extra: Record<string, unknown> = {}): any {
  return {
    Resources: {
      Key: {
        Type: 'AWS::KMS::Key',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { EnableKeyRotation: true, KeyPolicy: { Version: '2012-10-17', Statement: statements } },
      },
      ...extra,
    },
  };
}
