import { App, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { CustomerManagedKey } from '../../src';

const ACCOUNT = '111111111111';
const env = (region = 'eu-west-1', account = ACCOUNT) => ({ account, region });

/** Synthesizes the whole app, which runs the app-wide validations. */
const synth = (app: App) => () => app.synth();

describe('one alias name per account and Region of the app', () => {
  test('two keys of one stack with the same alias name are refused, naming both aliases', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: env() });
    new CustomerManagedKey(stack, 'Orders', { aliases: ['shared'] });
    new CustomerManagedKey(stack, 'Payments', { aliases: ['alias/shared'] });
    expect(synth(app)).toThrow(
      /Stack\/Payments\/Alias0: alias name "alias\/shared" is also used by Stack\/Orders\/Alias0 in account 111111111111 and Region eu-west-1.*Allowed: one alias of a name per account and Region/);
  });

  test('two stacks of the same account and Region are one namespace', () => {
    const app = new App();
    new CustomerManagedKey(new Stack(app, 'A', { env: env() }), 'Key', { aliases: ['shared'] });
    new CustomerManagedKey(new Stack(app, 'B', { env: env() }), 'Key', { aliases: ['shared'] });
    expect(synth(app)).toThrow(/B\/Key\/Alias0: alias name "alias\/shared" is also used by A\/Key\/Alias0/);
  });

  test('an aws-cdk-lib Alias counts too', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: env() });
    new CustomerManagedKey(stack, 'Orders', { aliases: ['shared'] });
    new kms.Alias(stack, 'Plain', { aliasName: 'alias/shared', targetKey: new kms.Key(stack, 'PlainKey') });
    expect(synth(app)).toThrow(/alias name "alias\/shared" is also used by/);
  });

  test.each([
    ['another Region', env('eu-central-1')],
    ['another account', env('eu-west-1', '222222222222')],
  ])('the same name in %s is fine', (_, other) => {
    const app = new App();
    new CustomerManagedKey(new Stack(app, 'A', { env: env() }), 'Key', { aliases: ['shared'] });
    new CustomerManagedKey(new Stack(app, 'B', { env: other }), 'Key', { aliases: ['shared'] });
    expect(synth(app)).not.toThrow();
  });

  test('environment-agnostic stacks may deploy to different environments: only duplicates within one stack are refused', () => {
    const app = new App();
    new CustomerManagedKey(new Stack(app, 'Dev'), 'Key', { aliases: ['shared'] });
    new CustomerManagedKey(new Stack(app, 'Prod'), 'Key', { aliases: ['shared'] });
    expect(synth(app)).not.toThrow();

    const oneStack = new App();
    const stack = new Stack(oneStack, 'Agnostic');
    new CustomerManagedKey(stack, 'A', { aliases: ['shared'] });
    new CustomerManagedKey(stack, 'B', { aliases: ['shared'] });
    expect(synth(oneStack)).toThrow(/Agnostic\/B\/Alias0: alias name "alias\/shared" is also used by Agnostic\/A\/Alias0 in the environment of stack Agnostic/);
  });
});
