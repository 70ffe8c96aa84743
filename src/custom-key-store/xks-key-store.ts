import { CustomResource, RemovalPolicy, Resource, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validateSecretProp } from './private/secret-validation';
import { ImportedStore, STORE_TOTAL_TIMEOUT, createStoreResource } from './private/store-resource';
import { validateStoreName } from './private/validation';
import { validateGeneratedCredential, validateProxyUriEndpoint, validateProxyUriPath, validateVpcEndpointService } from './private/xks-validation';

/** How KMS reaches the external key store proxy. */
export enum XksProxyConnectivity {
  /** Over the internet, to a public HTTPS endpoint. */
  PUBLIC_ENDPOINT = 'PUBLIC_ENDPOINT',
  /** Through a VPC endpoint service (PrivateLink) in front of the proxy. */
  VPC_ENDPOINT_SERVICE = 'VPC_ENDPOINT_SERVICE',
}

/** A KMS external key store (XKS). */
export interface IXksKeyStore {
  /** The id of the custom key store, `cks-` and 17 hex characters. */
  readonly customKeyStoreId: string;
}

/** Properties of an {@link XksKeyStore}. */
export interface XksKeyStoreProps {
  /**
   * The name of the custom key store, unique in the account and Region. Changing it renames the
   * store (disconnect, update, reconnect: keys in the store are unusable for a few minutes).
   */
  readonly customKeyStoreName: string;

  /**
   * Where KMS sends requests: `https://` and the proxy's host name, no port (KMS uses 443) and
   * no path. With VPC endpoint service connectivity, the service's private DNS name.
   */
  readonly proxyUriEndpoint: string;

  /**
   * The base path of the proxy's APIs: `/kms/xks/v1`, or with a prefix, `/example/kms/xks/v1`.
   * See the proxy's documentation.
   */
  readonly proxyUriPath: string;

  /**
   * How KMS reaches the proxy.
   *
   * @default XksProxyConnectivity.PUBLIC_ENDPOINT
   */
  readonly connectivity?: XksProxyConnectivity;

  /**
   * The name of the VPC endpoint service in front of the proxy. Required with
   * VPC_ENDPOINT_SERVICE connectivity, refused with PUBLIC_ENDPOINT.
   *
   * @default - none (public endpoint)
   */
  readonly vpcEndpointServiceName?: string;

  /**
   * The account that owns the VPC endpoint service, when it is not the store's account.
   *
   * @default - the store's account
   */
  readonly vpcEndpointServiceOwner?: string;

  /**
   * The secret that holds the proxy authentication credential as JSON:
   * `{"AccessKeyId": "...", "RawSecretAccessKey": "..."}` (AccessKeyId 20 to 30 characters A-Z
   * and 2-7; RawSecretAccessKey 43 to 64 characters a-z, A-Z, 0-9, /, + and =). The handler
   * reads it at deploy time and hands it to KMS only; it never appears in the template, the
   * custom resource properties or a log.
   *
   * This tells KMS the credential the proxy accepts; it does not change it in the proxy.
   */
  readonly proxyAuthenticationCredential: secretsmanager.ISecret;

  /**
   * Any string you change after rotating the credential in the proxy and the secret. A change
   * makes the next deployment read the secret again and give KMS the new credential
   * (disconnect, update, reconnect). CloudFormation cannot see a secret's value change by itself.
   *
   * @default - no revision; the credential is read when the store is created or the secret changes
   */
  readonly credentialRevision?: string;

  /**
   * What happens to the store when it leaves the stack. With DESTROY it is disconnected and
   * deleted; KMS refuses while it holds keys, including keys pending deletion.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An external key store: KMS keys whose key material stays in your own key manager outside
 * AWS, reached through an external key store proxy (XKS proxy).
 *
 * CloudFormation has no resource type for custom key stores, so this is a custom resource that
 * creates the store, connects it and waits until it is CONNECTED. If the connection fails, the
 * deployment fails with the ConnectionErrorCode explained. Changes to the endpoint, path,
 * connectivity, VPC endpoint service or credential disconnect the store, update it and
 * reconnect it.
 *
 * The proxy, the external key manager and, for VPC connectivity, the VPC endpoint service are
 * prerequisites this construct does not create.
 */
export class XksKeyStore extends Resource implements IXksKeyStore {
  /** How long a create or update may take, connecting included. */
  public static readonly TOTAL_TIMEOUT = STORE_TOTAL_TIMEOUT;

  /** Refers to an existing external key store, to create keys in it. */
  public static fromCustomKeyStoreId(scope: Construct, id: string, customKeyStoreId: string): IXksKeyStore {
    return new ImportedStore(scope, id, customKeyStoreId);
  }

  public readonly customKeyStoreId: string;
  /** The custom resource that manages the store. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: XksKeyStoreProps) {
    super(scope, id);
    const connectivity = props.connectivity ?? XksProxyConnectivity.PUBLIC_ENDPOINT;
    validateStoreName(this, props.customKeyStoreName);
    validateProxyUriEndpoint(this, props.proxyUriEndpoint);
    validateProxyUriPath(this, props.proxyUriPath);
    validateVpcEndpointService(this, connectivity, props.vpcEndpointServiceName, props.vpcEndpointServiceOwner);
    validateSecretProp(this, 'proxyAuthenticationCredential', props.proxyAuthenticationCredential, 'the proxy authentication credential');
    validateGeneratedCredential(this, props.proxyAuthenticationCredential);

    const { resource, handlerRole } = createStoreResource(this, {
      providerId: 'CdkKmsPatternsXksKeyStoreProvider',
      module: 'xks-key-store',
      purpose: 'external key store',
      resourceType: 'Custom::KmsXksKeyStore',
      extraActions: [],
      secret: props.proxyAuthenticationCredential,
      removalPolicy: props.removalPolicy,
      properties: {
        CustomKeyStoreName: props.customKeyStoreName,
        XksProxyUriEndpoint: props.proxyUriEndpoint,
        XksProxyUriPath: props.proxyUriPath,
        XksProxyConnectivity: connectivity,
        XksProxyVpcEndpointServiceName: props.vpcEndpointServiceName,
        XksProxyVpcEndpointServiceOwner: props.vpcEndpointServiceOwner,
        CredentialSecretArn: props.proxyAuthenticationCredential.secretArn,
        CredentialRevision: props.credentialRevision,
      },
    });
    if (connectivity === XksProxyConnectivity.VPC_ENDPOINT_SERVICE) { grantVpcEndpointServiceRead(handlerRole); }
    this.resource = resource;
    this.customKeyStoreId = resource.ref;
  }
}

/**
 * The read of the VPC endpoint service that the KMS guide ("Control access to your external key
 * store") asks of whoever creates or updates a store with VPC endpoint service connectivity.
 */
function grantVpcEndpointServiceRead(role: iam.Role): void {
  if (role.node.tryFindChild('VpcEndpointServiceRead')) { return; }
  role.attachInlinePolicy(new iam.Policy(role, 'VpcEndpointServiceRead', {
    statements: [new iam.PolicyStatement({ sid: 'DescribeVpcEndpointServices', actions: ['ec2:DescribeVpcEndpointServices'], resources: ['*'] })],
  }));
}
