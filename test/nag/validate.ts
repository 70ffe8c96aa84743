import { App, Stack, aws_logs as logs } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { KmsChecks, KmsChecksProps } from '../../src';

/** The filter pattern of the KMS Developer Guide's "use of a key pending deletion" alarm. */
export const PENDING_DELETION_PATTERN = '{ $.eventSource = kms* && $.errorMessage = "* is pending deletion."}';

/** What a rule should report for a stack (the validateStack pattern of cdk-nag's tests). */
export enum Expect { COMPLIANCE = 'COMPLIANCE', NON_COMPLIANCE = 'NON_COMPLIANCE' }

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
  const found = Object.keys(violationsOf(scope, ruleId, props));
  if (expectation === Expect.NON_COMPLIANCE) {
    expect(found).not.toEqual([]);
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
