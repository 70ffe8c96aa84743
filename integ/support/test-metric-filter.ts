import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';

/**
 * Asks CloudWatch Logs itself (TestMetricFilter) whether `pattern` matches the one log event
 * `message`, and expects exactly one match or none.
 */
export function expectFilterMatch(integ: IntegTest, pattern: string, message: string, shouldMatch: boolean): void {
  integ.assertions
    .awsApiCall('CloudWatchLogs', 'testMetricFilter', { filterPattern: pattern, logEventMessages: [message] })
    .expect(ExpectedResult.objectLike({ matches: shouldMatch ? [{ eventNumber: 1 }] : [] }));
}
