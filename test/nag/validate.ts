import { App, Stack, aws_logs as logs } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { KmsChecks, KmsChecksProps } from '../../src';

/** The filter pattern of the KMS Developer Guide's "use of a key pending deletion" alarm. */
export const PENDING_DELETION_PATTERN = '{ $.eventSource = kms* && $.errorMessage = "* is pending deletion."}';

/**
 * What a rule should report for a stack (the validateStack pattern of cdk-nag's tests).
 * NON_COMPLIANCE needs a real finding: a `[CannotEvaluate]` only says the rule could not read the
 * case, so it never satisfies NON_COMPLIANCE (and fails COMPLIANCE).
 */
export enum Expect { COMPLIANCE = 'COMPLIANCE', NON_COMPLIANCE = 'NON_COMPLIANCE', CANNOT_EVALUATE = 'CANNOT_EVALUATE' }

/** A stack with a known account and Region, in a fresh app. */
export function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** Every violation of `ruleId` (with or without a `[finding]` suffix): rule name → construct paths. */
export function violationsOf(scope: IConstruct, ruleId: string, props?: KmsChecksProps): Record<string, string[]> {
  const report = new KmsChecks(undefined, props).validateScope(scope);
  const result: Record<string, string[]> = {};
  for (const violation of report.violations) {
    if (violation.ruleName === ruleId || violation.ruleName.startsWith(`${ruleId}[`)) {
      result[violation.ruleName] = violation.violatingResources.map((resource) => resource.constructPath ?? '');
    }
  }
  return result;
}

/** Asserts that `ruleId` reports (NON_COMPLIANCE) or does not report (COMPLIANCE) on `scope`. */
export function validateStack(scope: IConstruct, ruleId: string, expectation: Expect, props?: KmsChecksProps): void {
  expectFindings(Object.keys(violationsOf(scope, ruleId, props)), ruleId, expectation);
}

/** Asserts that the rule names found (`Rule`, `Rule[finding]`) meet the expectation. */
export function expectFindings(found: string[], ruleId: string, expectation: Expect): void {
  const cannotEvaluate = `${ruleId}[CannotEvaluate]`;
  if (expectation === Expect.NON_COMPLIANCE) {
    expect(found.filter((name) => name !== cannotEvaluate)).not.toEqual([]);
  } else if (expectation === Expect.CANNOT_EVALUATE) {
    expect(found).toEqual([cannotEvaluate]);
  } else {
    expect(found).toEqual([]);
  }
}

/** Adds the metric filter a deletion monitor has (any monitor, ours or hand-written). */
export function addDeletionMonitorFilter(stack: Stack, pattern: string = PENDING_DELETION_PATTERN): void {
  new logs.CfnMetricFilter(stack, 'PendingDeletionFilter', {
    logGroupName: 'trail-logs',
    filterPattern: pattern,
    metricTransformations: [{ metricName: 'KMSKeyPendingDeletionErrorCount', metricNamespace: 'CloudTrailLogMetrics', metricValue: '1' }],
  });
}
