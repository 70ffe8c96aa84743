import { App, Stack } from 'aws-cdk-lib';
import { AppStack } from './app-stack';
import { SecurityStack } from './security-stack';

/** Environments of the golden pattern; replace the accounts with yours. */
export const SECURITY_ENV = { account: '111111111111', region: 'eu-west-1' };
export const REPLICA_ENV = { account: '111111111111', region: 'eu-central-1' };
/** A workload account whose roles under /app/reports/ use the data key. */
export const WORKLOAD_ENV = { account: '222222222222', region: 'eu-west-1' };

/** The stacks of the golden pattern. */
export interface GoldenPattern {
  /** Keys and the deletion monitor; it refers to no other stack. */
  readonly security: SecurityStack;
  /** The data key's replica in a second Region. */
  readonly replica: Stack;
  /** Uses the data key by role path (`KeyConsumers.rolesMatching('/app/orders/')`). */
  readonly orders: AppStack;
  /** Uses the data key through a plain grant: the library's consumer tag. */
  readonly billing: AppStack;
  /** Uses the data key from the workload account (`KeyConsumers.inAccount`). */
  readonly reports: AppStack;
}

/** The golden pattern in platform shape, built into `app`. Tests synthesize the same function. */
export function buildGoldenPattern(app: App): GoldenPattern {
  const security = new SecurityStack(app, 'KmsGoldenPatternSecurity', { env: SECURITY_ENV, workloadAccount: WORKLOAD_ENV.account });
  const dataKey = security.dataKey;
  // The replica keeps the primary's roles and alias names; the key ARN crosses Regions through
  // aws-cdk-lib's cross-Region references.
  const replica = new Stack(app, 'KmsGoldenPatternReplica', { env: REPLICA_ENV, crossRegionReferences: true });
  dataKey.addReplica(replica, 'DataKey');
  return {
    security,
    replica,
    orders: new AppStack(app, 'KmsGoldenPatternOrders', { env: SECURITY_ENV, dataKey, rolePath: '/app/orders/' }),
    billing: new AppStack(app, 'KmsGoldenPatternBilling', { env: SECURITY_ENV, dataKey, rolePath: '/app/billing/' }),
    reports: new AppStack(app, 'KmsGoldenPatternReports', { env: WORKLOAD_ENV, dataKey, rolePath: '/app/reports/' }),
  };
}
