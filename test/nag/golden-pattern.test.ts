import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildGoldenPattern } from '../../examples/golden-pattern/pattern';
import { KmsChecks } from '../../src';

describe('the golden pattern under both packs', () => {
  const app = new App();
  buildGoldenPattern(app);

  test('passes KmsChecks with zero findings (its deletion monitor satisfies KeyDeletionMonitored)', () => {
    expect(new KmsChecks().validateScope(app).violations).toEqual([]);
  });

  test('passes AwsSolutionsChecks with zero findings', () => {
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});
