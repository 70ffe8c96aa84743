import { App, Aspects, Stack } from 'aws-cdk-lib';
import { CustomerManagedKey, KmsChecks } from '../../src';

test('the cdk-nag 2 habit Aspects.of(app).add(new KmsChecks(app)) fails at synth and names the fix', () => {
  const app = new App();
  new CustomerManagedKey(new Stack(app, 'Stack'), 'Key');
  // Type-checks as written: the habit must reach synth to be explained there.
  Aspects.of(app).add(new KmsChecks(app));
  expect(() => app.synth()).toThrow(/Validations\.of\(app\)\.addPlugins\(new KmsChecks\(app\)\)/);
});
