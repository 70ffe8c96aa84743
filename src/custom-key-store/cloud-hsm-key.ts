import { CustomResource, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ICloudHsmKeyStore } from './cloud-hsm-key-store';
import { CustomKeyStoreKeyOptions } from './custom-key-store-key-options';
import { CLOUD_HSM_KEY, STORE_KEY_POLICY_SETUP, createStoreKeyResource, validateStoreKey } from './private/store-key';
import { ManagedKeyBase } from '../key/managed-key-base';

/** Properties of a {@link CloudHsmKey}. */
export interface CloudHsmKeyProps extends CustomKeyStoreKeyOptions {
  /** The CloudHSM key store the key material lives in. It must be CONNECTED. */
  readonly keyStore: ICloudHsmKeyStore;
}

/**
 * A symmetric encryption KMS key whose key material lives in a CloudHSM key store, with the same
 * role model, key policy statements, grants and aliases as {@link CustomerManagedKey}.
 *
 * AWS::KMS::Key cannot create a key in a custom key store, so a custom resource creates it
 * (CreateKey with Origin AWS_CLOUDHSM), puts the key policy on update and schedules deletion
 * with the pending window on delete. The custom resource carries the key policy as its
 * `KeyPolicy` property, so tools that read the template see it.
 */
export class CloudHsmKey extends ManagedKeyBase {
  public readonly keyArn: string;
  public readonly keyId: string;
  /** The store the key lives in. */
  public readonly keyStore: ICloudHsmKeyStore;
  /** The custom resource that manages the key. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: CloudHsmKeyProps) {
    super(scope, id, props);
    const { removalPolicy, pendingWindowDays } = validateStoreKey(this, props, CLOUD_HSM_KEY);
    this.keyStore = props.keyStore;
    const { resource, handlerRole } = createStoreKeyResource(this, CLOUD_HSM_KEY, removalPolicy, {
      CustomKeyStoreId: props.keyStore.customKeyStoreId,
      KeyPolicy: this._keyPolicy.document,
      Description: props.description,
      PendingWindowInDays: pendingWindowDays,
    });
    this.resource = resource;
    // The handler creates and updates the key (PutKeyPolicy, CreateAlias) through the account statement.
    this._admitHandlerAdministrator(handlerRole);
    this.keyArn = this.resource.getAttString('Arn');
    this.keyId = this.resource.ref;
    this._setUpKeyPolicy(STORE_KEY_POLICY_SETUP, removalPolicy, props.aliases ?? []);
  }

  protected applyKeyRemovalPolicy(policy: RemovalPolicy): void {
    this.resource.applyRemovalPolicy(policy);
  }
}

