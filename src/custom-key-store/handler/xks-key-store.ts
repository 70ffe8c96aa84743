/* eslint-disable import/no-extraneous-dependencies -- the Lambda Node.js runtime provides AWS SDK v3; the library must not depend on it */
import { CustomKeyStoresListEntry, UpdateCustomKeyStoreCommandInput, XksProxyAuthenticationCredentialType } from '@aws-sdk/client-kms';
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
import { XKS_ACCESS_KEY_ID, XKS_SECRET_ACCESS_KEY } from './xks-credential';

/**
 * The external key store (XKS) custom resource: onEvent starts each change, isComplete polls the
 * connection state until the change is done.
 *
 * The proxy authentication credential is read from Secrets Manager here, at run time, and goes
 * only to KMS: it is never in the event, the response, or a log line.
 */

const secrets = new SecretsManagerClient({});

/** The custom resource's properties, as CloudFormation sends them (all strings). */
interface StoreProps {
  readonly name: string;
  readonly uriEndpoint: string;
  readonly uriPath: string;
  readonly connectivity: string;
  readonly vpcEndpointServiceName: string;
  readonly vpcEndpointServiceOwner: string;
  readonly secretArn: string;
  readonly credentialRevision: string;
}

function storeProps(raw: Record<string, any> | undefined): StoreProps {
  return {
    name: raw?.CustomKeyStoreName,
    uriEndpoint: raw?.XksProxyUriEndpoint,
    uriPath: raw?.XksProxyUriPath,
    connectivity: raw?.XksProxyConnectivity,
    vpcEndpointServiceName: raw?.XksProxyVpcEndpointServiceName ?? '',
    vpcEndpointServiceOwner: raw?.XksProxyVpcEndpointServiceOwner ?? '',
    secretArn: raw?.CredentialSecretArn,
    credentialRevision: raw?.CredentialRevision ?? '',
  };
}

export function onEvent(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  return storeOnEvent(event, { kind: 'external key store', props: storeProps, create, update });
}

export function isComplete(event: CdkCustomResourceIsCompleteEvent): Promise<CdkCustomResourceIsCompleteResponse> {
  return storeIsComplete(event, XKS_ERRORS, (store) => {
    const proxy = store.XksProxyConfiguration;
    return `failed to connect to its external key store proxy ${proxy?.UriEndpoint}${proxy?.UriPath} (${proxy?.Connectivity}). ${explainConnectionError(store.ConnectionErrorCode, 'EXTERNAL_KEY_STORE')}`;
  });
}

function create(props: StoreProps): Promise<CdkCustomResourceResponse> {
  return createStore({
    name: props.name,
    description: `external key store "${props.name}" at ${props.uriEndpoint}${props.uriPath}`,
    errors: XKS_ERRORS,
    mismatch: (existing) => {
      const proxy = existing.XksProxyConfiguration;
      if (existing.CustomKeyStoreType === 'EXTERNAL_KEY_STORE' && proxy?.UriEndpoint === props.uriEndpoint && proxy?.UriPath === props.uriPath) { return undefined; }
      return `A custom key store named "${props.name}" already exists (${existing.CustomKeyStoreId}, ${existing.CustomKeyStoreType}${proxy ? ` at ${proxy.UriEndpoint}${proxy.UriPath}` : ''}), not an external key store at ${props.uriEndpoint}${props.uriPath}. Choose another customKeyStoreName.`;
    },
    input: async () => ({
      CustomKeyStoreName: props.name,
      CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
      XksProxyUriEndpoint: props.uriEndpoint,
      XksProxyUriPath: props.uriPath,
      XksProxyConnectivity: props.connectivity as 'PUBLIC_ENDPOINT' | 'VPC_ENDPOINT_SERVICE',
      XksProxyVpcEndpointServiceName: props.vpcEndpointServiceName || undefined,
      XksProxyVpcEndpointServiceOwner: props.vpcEndpointServiceOwner || undefined,
      XksProxyAuthenticationCredential: await readCredential(props.secretArn),
    }),
  });
}

/** What KMS's create, update and connect refusals mean for an external key store (KMS API reference). */
const XKS_ERRORS: Record<string, string> = {
  CustomKeyStoreNameInUseException: 'the name is taken by another custom key store',
  LimitExceededException: 'the account has reached its quota of custom key stores in this Region',
  XksProxyIncorrectAuthenticationCredentialException: 'the proxy rejected the authentication credential in the secret; put the credential the proxy has in the secret and deploy with a new credentialRevision',
  XksProxyInvalidConfigurationException: 'the proxy is not configured correctly; the KMS message says what',
  XksProxyInvalidResponseException: 'KMS cannot read the proxy\'s answer; if it repeats, tell the proxy\'s vendor',
  XksProxyUriEndpointInUseException: 'another external key store in this account and Region uses this endpoint (a public store and a VPC store cannot share it; VPC stores need their own private DNS name)',
  XksProxyUriInUseException: 'another external key store in this account and Region uses this endpoint and path',
  XksProxyUriUnreachableException: 'KMS cannot reach the proxy at this endpoint and path (a PUBLIC_ENDPOINT proxy must answer before the store is created), or the proxy reports no external key manager available',
  XksProxyVpcEndpointServiceInUseException: 'the VPC endpoint service already serves another external key store',
  XksProxyVpcEndpointServiceInvalidConfigurationException: 'the VPC endpoint service does not meet the external key store requirements (NLB in two Availability Zones, KMS as allowed principal, no acceptance, verified private DNS name)',
  XksProxyVpcEndpointServiceNotFoundException: 'no VPC endpoint service of that name, or KMS (cks.kms.<region>.amazonaws.com) is not one of its allowed principals',
};

async function update(id: string, props: StoreProps, old: StoreProps): Promise<CdkCustomResourceResponse> {
  const current = await requireStore(id);
  const { input, changes } = proxyChanges(current, props);
  if (props.secretArn !== old.secretArn || props.credentialRevision !== old.credentialRevision) {
    input.XksProxyAuthenticationCredential = await readCredential(props.secretArn);
    changes.push('credential');
  }
  return updateDisconnected(current, input, changes, XKS_ERRORS);
}

/** What differs between the store KMS has and the properties, as an UpdateCustomKeyStore input. */
function proxyChanges(current: CustomKeyStoresListEntry, props: StoreProps): { input: UpdateCustomKeyStoreCommandInput; changes: string[] } {
  const proxy = current.XksProxyConfiguration ?? {};
  const input: UpdateCustomKeyStoreCommandInput = { CustomKeyStoreId: current.CustomKeyStoreId };
  const changes: string[] = [];
  const change = (name: string, differs: boolean, set: Partial<UpdateCustomKeyStoreCommandInput>) => {
    if (differs) { Object.assign(input, set); changes.push(name); }
  };
  change('name', current.CustomKeyStoreName !== props.name, { NewCustomKeyStoreName: props.name });
  change('endpoint', proxy.UriEndpoint !== props.uriEndpoint, { XksProxyUriEndpoint: props.uriEndpoint });
  change('path', proxy.UriPath !== props.uriPath, { XksProxyUriPath: props.uriPath });
  change('connectivity', proxy.Connectivity !== props.connectivity, { XksProxyConnectivity: props.connectivity as 'PUBLIC_ENDPOINT' | 'VPC_ENDPOINT_SERVICE' });
  change('VPC endpoint service', (proxy.VpcEndpointServiceName ?? '') !== props.vpcEndpointServiceName && props.vpcEndpointServiceName !== '',
    { XksProxyVpcEndpointServiceName: props.vpcEndpointServiceName });
  change('VPC endpoint service owner', (proxy.VpcEndpointServiceOwner ?? '') !== props.vpcEndpointServiceOwner && props.vpcEndpointServiceOwner !== '',
    { XksProxyVpcEndpointServiceOwner: props.vpcEndpointServiceOwner });
  return { input, changes };
}

/**
 * The proxy authentication credential: a JSON secret with AccessKeyId and RawSecretAccessKey.
 * Only which field is wrong is ever reported, never a value.
 */
async function readCredential(secretArn: string): Promise<XksProxyAuthenticationCredentialType> {
  const out = await withBackoff('GetSecretValue', () => secrets.send(new GetSecretValueCommand({ SecretId: secretArn })));
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(out.SecretString ?? '');
  } catch {
    throw new Error(`Secret ${secretArn} does not hold JSON. Store the proxy credential as {"AccessKeyId": "...", "RawSecretAccessKey": "..."}.`);
  }
  const accessKeyId = value?.AccessKeyId;
  const secretAccessKey = value?.RawSecretAccessKey;
  if (typeof accessKeyId !== 'string' || !XKS_ACCESS_KEY_ID.test(accessKeyId)) {
    throw new Error(`Secret ${secretArn} has no valid AccessKeyId: KMS accepts 20 to 30 characters A-Z and 2-7 (not shown).`);
  }
  if (typeof secretAccessKey !== 'string' || !XKS_SECRET_ACCESS_KEY.test(secretAccessKey)) {
    throw new Error(`Secret ${secretArn} has no valid RawSecretAccessKey: KMS accepts 43 to 64 characters a-z, A-Z, 0-9, /, + and = (not shown).`);
  }
  return { AccessKeyId: accessKeyId, RawSecretAccessKey: secretAccessKey };
}
