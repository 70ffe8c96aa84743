import { CustomResource, RemovalPolicy, Resource, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ImportedStore, STORE_TOTAL_TIMEOUT, createStoreResource } from './private/store-resource';
import { validateClusterId, validatePasswordSecret, validateStoreName, validateTrustAnchor } from './private/validation';

/** A KMS custom key store backed by a CloudHSM cluster. */
export interface ICloudHsmKeyStore {
  /** The id of the custom key store, `cks-` and 17 hex characters. */
  readonly customKeyStoreId: string;
}

/** Properties of a {@link CloudHsmKeyStore}. */
export interface CloudHsmKeyStoreProps {
  /**
   * The name of the custom key store, unique in the account and Region. Changing it renames the
   * store (disconnect, update, reconnect: keys in the store are unusable for a few minutes).
   */
  readonly customKeyStoreName: string;

  /**
   * The id of an initialized, active CloudHSM cluster with at least two active HSMs in different
   * Availability Zones, e.g. `cluster-234abcdefgh`. It cannot back another custom key store.
   */
  readonly cloudHsmClusterId: string;

  /**
   * The trust anchor certificate of the cluster: the content of the `customerCA.crt` file made
   * when the cluster was initialized, in PEM. It is public and appears in the template. It cannot
   * change after the store is created.
   */
  readonly trustAnchorCertificate: string;

  /**
   * The secret whose plain string value is the password of the `kmsuser` crypto user in the
   * cluster (7 to 32 characters). The handler reads it at deploy time and hands it to KMS only;
   * the password never appears in the template, the custom resource properties or a log.
   *
   * This tells KMS the password; it does not change it in the cluster.
   */
  readonly kmsUserPasswordSecret: secretsmanager.ISecret;

  /**
   * Any string you change after changing the kmsuser password in the cluster and the secret. A
   * change makes the next deployment read the secret again and give KMS the new password
   * (disconnect, update, reconnect). CloudFormation cannot see a secret's value change by itself.
   *
   * @default - no revision; the password is read when the store is created or the secret changes
   */
  readonly passwordRevision?: string;

  /**
   * What happens to the store when it leaves the stack. With DESTROY it is disconnected and
   * deleted; KMS refuses while it holds keys, including keys pending deletion.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A CloudHSM key store: KMS keys whose key material lives in your own CloudHSM cluster.
 *
 * CloudFormation has no resource type for custom key stores, so this is a custom resource that
 * creates the store, connects it and waits until it is CONNECTED (up to 20 minutes). If the
 * connection fails, the deployment fails with the ConnectionErrorCode explained.
 *
 * The cluster and the `kmsuser` crypto user are prerequisites this construct does not create.
 */
export class CloudHsmKeyStore extends Resource implements ICloudHsmKeyStore {
  /** How long a create or update may take; connecting alone can take 20 minutes. */
  public static readonly TOTAL_TIMEOUT = STORE_TOTAL_TIMEOUT;

  /** Refers to an existing custom key store, to create keys in it. */
  public static fromCustomKeyStoreId(scope: Construct, id: string, customKeyStoreId: string): ICloudHsmKeyStore {
    return new ImportedStore(scope, id, customKeyStoreId);
  }

  public readonly customKeyStoreId: string;
  /** The custom resource that manages the store. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: CloudHsmKeyStoreProps) {
    super(scope, id);
    validateStoreName(this, props.customKeyStoreName);
    validateClusterId(this, props.cloudHsmClusterId);
    validateTrustAnchor(this, props.trustAnchorCertificate);
    validatePasswordSecret(this, props.kmsUserPasswordSecret);
    this.resource = createStoreResource(this, {
      providerId: 'CdkKmsPatternsCloudHsmKeyStoreProvider',
      module: 'key-store',
      purpose: 'CloudHSM key store',
      resourceType: 'Custom::KmsCloudHsmKeyStore',
      extraActions: ['cloudhsm:DescribeClusters'],
      secret: props.kmsUserPasswordSecret,
      removalPolicy: props.removalPolicy,
      properties: {
        CustomKeyStoreName: props.customKeyStoreName,
        CloudHsmClusterId: props.cloudHsmClusterId,
        TrustAnchorCertificate: props.trustAnchorCertificate.trim(),
        PasswordSecretArn: props.kmsUserPasswordSecret.secretArn,
        PasswordRevision: props.passwordRevision,
      },
    }).resource;
    this.customKeyStoreId = this.resource.ref;
  }
}
