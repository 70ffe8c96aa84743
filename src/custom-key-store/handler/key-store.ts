/* eslint-disable import/no-extraneous-dependencies -- the Lambda Node.js runtime provides AWS SDK v3; the library must not depend on it */
import { UpdateCustomKeyStoreCommandInput } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type {
  CdkCustomResourceEvent,
  CdkCustomResourceIsCompleteEvent,
  CdkCustomResourceIsCompleteResponse,
  CdkCustomResourceResponse,
} from 'aws-lambda';
import { explainConnectionError } from './connection-errors';
import { withBackoff } from './retry';
import { createStore } from './store-creation';
import { requireStore, storeIsComplete, storeOnEvent, updateDisconnected } from './store-lifecycle';

/**
 * The CloudHSM key store custom resource: onEvent starts each change, isComplete polls the
 * connection state until the change is done (connecting can take 20 minutes).
 *
 * The kmsuser password is read from Secrets Manager here, at run time, and goes only to KMS:
 * it is never in the event, the response, or a log line.
 */

const secrets = new SecretsManagerClient({});

export { DISCONNECT_WAIT } from './store-lifecycle';

/** The custom resource's properties, as CloudFormation sends them (all strings). */
interface StoreProps {
  readonly name: string;
  readonly clusterId: string;
  readonly trustAnchor: string;
  readonly secretArn: string;
  readonly passwordRevision: string;
}

function storeProps(raw: Record<string, any> | undefined): StoreProps {
  return {
    name: raw?.CustomKeyStoreName,
    clusterId: raw?.CloudHsmClusterId,
    trustAnchor: raw?.TrustAnchorCertificate,
    secretArn: raw?.PasswordSecretArn,
    passwordRevision: raw?.PasswordRevision ?? '',
  };
}

export function onEvent(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  return storeOnEvent(event, { kind: 'CloudHSM key store', props: storeProps, create, update });
}

export function isComplete(event: CdkCustomResourceIsCompleteEvent): Promise<CdkCustomResourceIsCompleteResponse> {
  return storeIsComplete(event, CREATE_ERRORS,
    (store) => `failed to connect to CloudHSM cluster ${store.CloudHsmClusterId}. ${explainConnectionError(store.ConnectionErrorCode)}`);
}

function create(props: StoreProps): Promise<CdkCustomResourceResponse> {
  return createStore({
    name: props.name,
    description: `custom key store "${props.name}" for cluster ${props.clusterId}`,
    errors: CREATE_ERRORS,
    mismatch: (existing) => (existing.CloudHsmClusterId === props.clusterId ? undefined
      : `A custom key store named "${props.name}" already exists (${existing.CustomKeyStoreId}) for cluster ${existing.CloudHsmClusterId}, not ${props.clusterId}. Choose another customKeyStoreName.`),
    input: async () => ({
      CustomKeyStoreName: props.name,
      CustomKeyStoreType: 'AWS_CLOUDHSM',
      CloudHsmClusterId: props.clusterId,
      TrustAnchorCertificate: props.trustAnchor,
      KeyStorePassword: await readPassword(props.secretArn),
    }),
  });
}

const CREATE_ERRORS: Record<string, string> = {
  CloudHsmClusterInUseException: 'the cluster, or a cluster with the same backup history, already backs another custom key store',
  CloudHsmClusterInvalidConfigurationException: 'the cluster needs two active HSMs in different Availability Zones and its default security group rules (TCP 2223-2225)',
  CloudHsmClusterNotActiveException: 'the cluster is not initialized and active',
  CloudHsmClusterNotFoundException: 'no cluster with this ID exists in this account and Region',
  CustomKeyStoreNameInUseException: 'the name is taken by another custom key store',
  IncorrectTrustAnchorException: 'the trust anchor certificate is not the one the cluster was initialized with (customerCA.crt)',
};

async function update(id: string, props: StoreProps, old: StoreProps): Promise<CdkCustomResourceResponse> {
  const current = await requireStore(id);
  if (props.trustAnchor !== old.trustAnchor) {
    throw new Error(`The trust anchor certificate of custom key store ${id} cannot change: KMS keeps the one the store was created with. Create a new store instead.`);
  }
  const input: UpdateCustomKeyStoreCommandInput = { CustomKeyStoreId: id };
  const changes: string[] = [];
  if (current.CustomKeyStoreName !== props.name) {
    Object.assign(input, { NewCustomKeyStoreName: props.name });
    changes.push('name');
  }
  if (current.CloudHsmClusterId !== props.clusterId) {
    Object.assign(input, { CloudHsmClusterId: props.clusterId });
    changes.push('cluster');
  }
  if (props.secretArn !== old.secretArn || props.passwordRevision !== old.passwordRevision) {
    Object.assign(input, { KeyStorePassword: await readPassword(props.secretArn) });
    changes.push('password');
  }
  return updateDisconnected(current, input, changes, CREATE_ERRORS);
}

/** The kmsuser password. Only its absence or length is ever reported, never the value. */
async function readPassword(secretArn: string): Promise<string> {
  const out = await withBackoff('GetSecretValue', () => secrets.send(new GetSecretValueCommand({ SecretId: secretArn })));
  const value = out.SecretString;
  if (!value) {
    throw new Error(`Secret ${secretArn} has no SecretString. Store the kmsuser password as the secret's plain string value.`);
  }
  if (value.length < 7 || value.length > 32) {
    throw new Error(`Secret ${secretArn} does not hold a valid kmsuser password: KMS accepts 7 to 32 characters.`);
  }
  return value;
}
