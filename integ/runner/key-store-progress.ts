import { DescribeCustomKeyStoresCommand, KMSClient } from '@aws-sdk/client-kms';
import { PlannedStack } from './plan';
import { InProgressResource, ProgressDetails } from './progress';

/** The custom resource type of CloudHsmKeyStore (src/custom-key-store). */
const KEY_STORE_TYPE = 'Custom::KmsCloudHsmKeyStore';

/**
 * Heartbeat details while a CloudHSM key store is being created: connecting it can take 20
 * minutes, with no stack event in between. Reads the store's ConnectionState by the name its
 * template gives, in the stack's Region.
 */
export function keyStoreProgress(stacks: PlannedStack[], regionOf: (stack: PlannedStack) => string): ProgressDetails {
  return async (inProgress: InProgressResource[]) => {
    const lines: string[] = [];
    for (const resource of inProgress.filter((r) => r.type === KEY_STORE_TYPE)) {
      const stack = stacks.find((s) => s.stackName === resource.stackName);
      const name = stack?.template.Resources?.[resource.logicalId]?.Properties?.CustomKeyStoreName;
      if (!stack || typeof name !== 'string') { continue; }
      const kms = new KMSClient({ region: regionOf(stack) });
      try {
        const { CustomKeyStores } = await kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreName: name }));
        const store = CustomKeyStores?.[0];
        const error = store?.ConnectionErrorCode ? ` (${store.ConnectionErrorCode})` : '';
        lines.push(`key store ${name}: ${store ? `${store.ConnectionState}${error}` : 'not created yet'}`);
      } catch (err: any) {
        lines.push(`key store ${name}: cannot read its state (${err.name})`);
      } finally {
        kms.destroy();
      }
    }
    return lines;
  };
}
