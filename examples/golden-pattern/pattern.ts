import { App, Stack } from 'aws-cdk-lib';
import { CustomerManagedKey } from '../../src';

/** Environments of the golden pattern; replace the account with yours. */
export const PRIMARY_ENV = { account: '111111111111', region: 'eu-west-1' };

/** The stacks of the golden pattern, built into `app`. Tests synthesize the same function. */
export function buildGoldenPattern(app: App): { primary: Stack } {
  const primary = new Stack(app, 'KmsGoldenPattern', { env: PRIMARY_ENV });
  new CustomerManagedKey(primary, 'DataKey', {
    description: 'Encrypts the application data of the golden pattern',
    aliases: ['golden/data'],
  });
  return { primary };
}
