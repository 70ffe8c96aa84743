import { CustomResource, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CustomKeyStoreKeyOptions } from './custom-key-store-key-options';
import { STORE_KEY_POLICY_SETUP, XKS_KEY, createStoreKeyResource, validateStoreKey } from './private/store-key';
import { validateXksKeyId } from './private/xks-validation';
import { IXksKeyStore } from './xks-key-store';
import { ManagedKeyBase } from '../key/managed-key-base';

/** Properties of an {@link XksKey}. */
export interface XksKeyProps extends CustomKeyStoreKeyOptions {
  /** The external key store the key lives in. It must be CONNECTED. */
  readonly keyStore: IXksKeyStore;

  /**
   * The id of the external key in the external key manager, as the proxy knows it: a 256-bit AES
   * key enabled for encryption and decryption. Each KMS key in a store needs its own external
   * key. Changing it creates a new KMS key (the old one follows the removal policy).
   */
  readonly xksKeyId: string;
}

/**
 * A symmetric encryption KMS key in an external key store: KMS encrypts and decrypts with an
 * external key that never leaves your key manager (double encryption: KMS's own key material,
 * then the external key). Same role model, key policy statements, grants and aliases as
 * {@link CustomerManagedKey}.
 *
 * AWS::KMS::Key cannot create a key in a custom key store, so a custom resource creates it
 * (CreateKey with Origin EXTERNAL_KEY_STORE and the XksKeyId), puts the key policy on update and
 * schedules deletion with the pending window on delete. The custom resource carries the key
 * policy as its `KeyPolicy` property, so tools that read the template see it.
 */
export class XksKey extends ManagedKeyBase {
  public readonly keyArn: string;
  public readonly keyId: string;
  /** The store the key lives in. */
  public readonly keyStore: IXksKeyStore;
  /** The custom resource that manages the key. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: XksKeyProps) {
    super(scope, id, props);
    validateXksKeyId(this, props.xksKeyId);
    const { removalPolicy, pendingWindowDays } = validateStoreKey(this, props, XKS_KEY);
    this.keyStore = props.keyStore;
    const { resource, handlerRole } = createStoreKeyResource(this, XKS_KEY, removalPolicy, {
      CustomKeyStoreId: props.keyStore.customKeyStoreId,
      Origin: XKS_KEY.origin,
      XksKeyId: props.xksKeyId,
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
