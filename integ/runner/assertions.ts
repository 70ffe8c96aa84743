import { ASSERTION_OUTPUT_PREFIX, PlannedStack } from './plan';

/**
 * Output id prefix of a check report: a JSON `{ passed, failed, skipped }` of titles that an
 * assertion stack publishes (integ/support/access-checks.ts), so the runner can list each check.
 */
export const CHECK_REPORT_OUTPUT_PREFIX = 'CheckReport';

/** One assertion of an IntegTest, as the deployed assertion stack reported it. */
export interface AssertionResult {
  /** The assertion's name: its output id without the prefix and hash. */
  readonly name: string;
  readonly passed: boolean;
  /** integ-tests' mismatch description for a failure, or why there is no result. */
  readonly message?: string;
}

/**
 * The results in the outputs of a deployed assertion stack. integ-tests writes each assertion
 * as `{"status":"success"}` or `{"status":"fail","message":...}`; a missing or unreadable
 * output is a failure too (the assertion did not run).
 */
export function assertionResults(stack: PlannedStack, outputs: Record<string, string>): AssertionResult[] {
  return stack.assertions.map((id) => {
    const name = id.slice(ASSERTION_OUTPUT_PREFIX.length).replace(/[0-9a-f]{32}$/, '');
    const value = outputs[id];
    if (value === undefined) { return { name, passed: false, message: `no output ${id}: the assertion did not run` }; }
    try {
      const result = JSON.parse(value);
      return result.status === 'success' ? { name, passed: true } : { name, passed: false, message: result.message ?? value };
    } catch {
      return { name, passed: false, message: `unreadable result: ${value}` };
    }
  });
}

/** `✓ title` / `✗ title` / `- title (skipped)` lines of the check reports in `outputs`. */
export function checkReportLines(outputs: Record<string, string>): string[] {
  return Object.entries(outputs)
    .filter(([id]) => id.startsWith(CHECK_REPORT_OUTPUT_PREFIX))
    .flatMap(([, value]) => {
      try {
        const report = JSON.parse(value);
        return [
          ...(report.passed ?? []).map((title: string) => `✓ ${title}`),
          ...(report.failed ?? []).map((title: string) => `✗ ${title}`),
          ...(report.skipped ?? []).map((title: string) => `- ${title}`),
        ];
      } catch {
        return [`unreadable check report: ${value}`];
      }
    });
}
