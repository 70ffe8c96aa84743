import { App, Duration, RemovalPolicy, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { addWeakStack } from './weak-app';
import { KmsChecks, KmsChecksProps } from '../../src';
import { KmsPatternsValidationError } from '../../src/errors';

describe('KmsChecks props', () => {
  test.each([
    [{ maximumRotationPeriod: Duration.days(89) }, /'maximumRotationPeriod' value must be a whole number of days between 90 and 2560. Received: 89 days/],
    [{ maximumRotationPeriod: Duration.days(2561) }, /'maximumRotationPeriod'.*Received: 2561 days/],
    [{ maximumRotationPeriod: Duration.hours(36) }, /'maximumRotationPeriod'.*Received: 1.5 days/],
    [{ minimumPendingWindow: Duration.days(6) }, /'minimumPendingWindow' value must be a whole number of days between 7 and 30. Received: 6 days/],
    [{ minimumPendingWindow: Duration.days(31) }, /'minimumPendingWindow'.*Received: 31 days/],
  ])('%j is rejected at construction', (props: KmsChecksProps, message) => {
    expect(() => new KmsChecks(undefined, props)).toThrow(message);
  });

  test('with a scope, the error names the scope path', () => {
    const app = new App();
    expect(() => new KmsChecks(app, { minimumPendingWindow: Duration.days(1) })).toThrow(KmsPatternsValidationError);
    expect(() => new KmsChecks(app, { minimumPendingWindow: Duration.days(1) })).toThrow(/^: KmsChecks 'minimumPendingWindow'/);
  });

  test('the pack is named KmsChecks, which prefixes every rule id', () => {
    expect(new KmsChecks().name).toEqual('KmsChecks');
  });
});

/** An app that gets most things wrong, from several key sources. */
function weakApp(): App {
  const app = new App();
  addWeakStack(app);
  return app;
}

function summary(props?: KmsChecksProps): Array<[string, string, string[]]> {
  return new KmsChecks(undefined, props).validateScope(weakApp()).violations
    .map((violation): [string, string, string[]] => [violation.ruleName, violation.severity ?? '', violation.violatingResources.map((r) => r.constructPath ?? '')])
    .sort(([a], [b]) => a.localeCompare(b));
}

describe('KmsChecks report on a weak app', () => {
  test('default configuration', () => {
    expect(summary()).toMatchSnapshot();
  });

  test('relaxed configuration: 7-day window, 2560-day rotation, aws/s3 allowed, no monitor warning', () => {
    expect(summary({
      minimumPendingWindow: Duration.days(7),
      maximumRotationPeriod: Duration.days(2560),
      requireCustomerManagedKeyForS3: false,
      deletionMonitorWarning: false,
    })).toMatchSnapshot();
  });
});

describe('KmsChecks reads the tree afresh on every run', () => {
  test('a change made between two validations is seen by the second', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    const pack = new KmsChecks(undefined, { deletionMonitorWarning: false });
    const rotationFindings = () => pack.validateScope(app).violations.filter((violation) => violation.ruleName === 'KmsChecks-KeyRotationEnabled');
    expect(rotationFindings()).toEqual([]);
    (key.node.defaultChild as kms.CfnKey).enableKeyRotation = false;
    expect(rotationFindings()).toHaveLength(1);
  });
});
