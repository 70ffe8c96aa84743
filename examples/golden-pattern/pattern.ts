import { App, Stack } from 'aws-cdk-lib';
import { CustomerManagedKey } from '../../src';

/** Environments of the golden pattern; replace the account with yours. */
export const PRIMARY_ENV = { account: '111111111111', region: 'eu-west-1' };

/** The stacks of the golden pattern, built into `app`. Tests synthesize the same function. */
export function buildGoldenPattern(app: App): { primary: Stack } {
  const primary = new Stack(app, 'KmsGoldenPattern', { env: PRIMARY_ENV });
  const dataKey = new CustomerManagedKey(primary, 'DataKey', {
    description: 'Encrypts the application data of the golden pattern',
    aliases: ['golden/data'],
  });
  // Alarms on any use of a key pending deletion and on DisableKey/ScheduleKeyDeletion.
  dataKey.monitorDeletion(primary, {
    emailSubscriptions: ['security@example.com'],
    notifyOnScheduleKeyDeletion: true,
  });
  return { primary };
}
