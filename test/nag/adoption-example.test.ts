import { App } from 'aws-cdk-lib';
import { buildAfterAdoption } from '../../examples/adoption/after';
import { buildBeforeAdoption } from '../../examples/adoption/before';
import { KmsChecks } from '../../src';

function ruleNames(build: (app: App) => unknown): string[] {
  const app = new App();
  build(app);
  return new KmsChecks().validateScope(app).violations.map((violation) => violation.ruleName).sort();
}

describe('the adoption example under KmsChecks', () => {
  test('before: the plain aws-cdk-lib app is reported for each weakness', () => {
    expect(ruleNames(buildBeforeAdoption)).toMatchSnapshot();
  });

  test('after: the same app on the library passes', () => {
    expect(ruleNames(buildAfterAdoption)).toEqual([]);
  });
});
