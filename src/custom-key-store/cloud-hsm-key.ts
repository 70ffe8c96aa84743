import { CustomResource, Duration, RemovalPolicy, Stack, Token, Validations, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ICloudHsmKeyStore } from './cloud-hsm-key-store';
import { fail } from '../errors';
import { MANAGED_KEY_TAG } from './handler/constants';
import { HandlerProvider } from './private/handler-provider';
import { KeyRolesProps } from '../key/key-roles';
import { ManagedKeyBase } from '../key/managed-key-base';
import { KeyFamily, adminActionsFor, usageActionsFor } from '../shared/key-type';
import { PENDING_WINDOW_DAYS, daysWithin } from '../shared/validation';

/** Properties of a {@link CloudHsmKey}. */
export interface CloudHsmKeyProps extends KeyRolesProps {
  /** The CloudHSM key store the key material lives in. It must be CONNECTED. */
  readonly keyStore: ICloudHsmKeyStore;

  /**
   * A description of the key, shown in the console and returned by DescribeKey.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * How long KMS waits before deleting the key once deletion is scheduled, 7 to 30 days.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the key, and its aliases, when it leaves the stack. With DESTROY the key is
   * scheduled for deletion with `pendingWindow`; the key material in the cluster is not deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Alias names for the key. The `alias/` prefix is added when missing.
   *
   * @default - no aliases
   */
  readonly aliases?: string[];

  /**
   * Must be false or unset: KMS does not rotate keys in a custom key store. The prop exists so
   * that settings copied from a CustomerManagedKey fail at synth instead of being ignored.
   *
   * @default false
   */
  readonly enableKeyRotation?: boolean;

  /**
   * Must be false or unset: keys in a custom key store cannot be multi-Region keys.
   *
   * @default false
   */
  readonly multiRegion?: boolean;

  /**
   * Must be SYMMETRIC_DEFAULT or unset: a CloudHSM key store holds symmetric encryption keys only.
   *
   * @default kms.KeySpec.SYMMETRIC_DEFAULT
   */
  readonly keySpec?: kms.KeySpec;
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
    this.validateKeyType(props);
    if (props.accountAdministration === false) {
      fail(this, "'accountAdministration' value false is not possible for a CloudHsmKey. Allowed: true or unset. The key is created and updated by a handler role whose kms:PutKeyPolicy comes through the account statement; without it KMS refuses the key policy (lockout safety check)");
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy === RemovalPolicy.SNAPSHOT) {
      fail(this, "'removalPolicy' value SNAPSHOT is not possible for a KMS key. Allowed: RETAIN, RETAIN_ON_UPDATE_OR_DELETE, DESTROY");
    }
    const pendingWindowDays = daysWithin(this, 'pendingWindow', props.pendingWindow ?? Duration.days(PENDING_WINDOW_DAYS.default), PENDING_WINDOW_DAYS);

    const provider = HandlerProvider.of(this, {
      id: 'CdkKmsPatternsCloudHsmKeyProvider',
      module: 'key',
      asynchronous: false,
      purpose: 'KMS key in a CloudHSM key store',
    });
    grantKeyManagement(provider.handlerRole);

    this.keyStore = props.keyStore;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::KmsCloudHsmKey',
      removalPolicy,
      properties: {
        CustomKeyStoreId: props.keyStore.customKeyStoreId,
        KeyPolicy: this._keyPolicy.document,
        Description: props.description,
        PendingWindowInDays: pendingWindowDays,
      },
    });
    this.resource.node.addDependency(provider.handlerRole);
    this.keyArn = this.resource.getAttString('Arn');
    this.keyId = this.resource.ref;

    this._setUpKeyPolicy({
      family: KeyFamily.SYMMETRIC_ENCRYPTION,
      usageActions: usageActionsFor(KeyFamily.SYMMETRIC_ENCRYPTION),
      adminActions: adminActionsFor({ family: KeyFamily.SYMMETRIC_ENCRYPTION, rotatable: false, multiRegionPrimary: false, importedMaterial: false }),
    }, removalPolicy, props.aliases ?? []);
  }

  protected applyKeyRemovalPolicy(policy: RemovalPolicy): void {
    this.resource.applyRemovalPolicy(policy);
  }

  private validateKeyType(props: CloudHsmKeyProps): void {
    if (props.enableKeyRotation) {
      fail(this, "'enableKeyRotation' value true is not possible for a key in a CloudHSM key store: KMS does not rotate keys in custom key stores. Allowed: false or unset (rotate by creating a new key and moving the alias)");
    }
    if (props.multiRegion) {
      fail(this, "'multiRegion' value true is not possible for a key in a CloudHSM key store. Allowed: false or unset");
    }
    if (props.keySpec !== undefined && props.keySpec !== kms.KeySpec.SYMMETRIC_DEFAULT) {
      fail(this, `'keySpec' value ${JSON.stringify(props.keySpec)} is not possible for a key in a CloudHSM key store. Allowed: SYMMETRIC_DEFAULT`);
    }
  }
}

/**
 * CreateKey only for keys in a custom key store, tagged by the handler; every later change only
 * on keys that carry that tag (ABAC), so the role cannot touch the account's other keys.
 */
function grantKeyManagement(role: iam.Role): void {
  if (role.node.tryFindChild('KeyManagement')) { return; }
  const stack = Stack.of(role);
  const keys = stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
  const tagged = { Null: { [`aws:ResourceTag/${MANAGED_KEY_TAG}`]: 'false' } };
  role.attachInlinePolicy(new iam.Policy(role, 'KeyManagement', {
    statements: [
      new iam.PolicyStatement({
        sid: 'CreateKeysInCloudHsmKeyStores',
        actions: ['kms:CreateKey'],
        resources: ['*'],
        conditions: {
          'StringEquals': { 'kms:KeyOrigin': 'AWS_CLOUDHSM', 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT' },
          'Bool': { 'kms:MultiRegion': 'false' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [MANAGED_KEY_TAG] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'TagKeysOnCreation',
        actions: ['kms:TagResource'],
        resources: [keys],
        conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [MANAGED_KEY_TAG] } },
      }),
      new iam.PolicyStatement({ sid: 'FindKeysOfEarlierAttempts', actions: ['kms:ListKeys'], resources: ['*'] }),
      new iam.PolicyStatement({ sid: 'ReadKeys', actions: ['kms:DescribeKey', 'kms:ListResourceTags'], resources: [keys] }),
      new iam.PolicyStatement({
        sid: 'ManageTaggedKeys',
        actions: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:UpdateKeyDescription'],
        resources: [keys],
        conditions: tagged,
      }),
    ],
  }));
  const inNag = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${inNag(stack.region, 'AWS::Region')}:${inNag(stack.account, 'AWS::AccountId')}:key/*]`,
    reason: 'The key ids are not known before the handler creates the keys. Changes are limited to keys with the tag the handler sets at creation (ABAC); reads are DescribeKey and ListResourceTags only.',
  });
}
