import { Duration, RemovalPolicy, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { KeyOrigin } from './key-origin';
import { KeyRolesProps } from './key-roles';
import { ManagedKeyBase } from './managed-key-base';
import { KeyImportedByAlias, KeyImportedByArn } from './private/identity-only-key';
import { ReplicaKey, ReplicaOptions } from './replica-key';
import { fail } from '../errors';
import { KeyFamily, adminActionsFor, resolveKeyType, usageActionsFor } from '../shared/key-type';
import { PENDING_WINDOW_DAYS, ROTATION_PERIOD_DAYS, daysWithin, validateKeyRemovalPolicy } from '../shared/validation';

/** Properties of a {@link CustomerManagedKey}. */
export interface CustomerManagedKeyProps extends KeyRolesProps {
  /**
   * A description of the key, shown in the console and returned by DescribeKey.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * Whether the key is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The type of key material. Changing it replaces the key, which schedules the old key for
   * deletion.
   *
   * @default kms.KeySpec.SYMMETRIC_DEFAULT
   */
  readonly keySpec?: kms.KeySpec;

  /**
   * What the key is for. Must be one KMS allows with `keySpec`. Changing it replaces the key.
   *
   * @default - ENCRYPT_DECRYPT where the key spec allows it, else the only usage it allows
   */
  readonly keyUsage?: kms.KeyUsage;

  /**
   * Where the key material comes from. Changing it replaces the key.
   *
   * @default KeyOrigin.AWS_KMS
   */
  readonly origin?: KeyOrigin;

  /**
   * Whether this is a multi-Region primary key. Changing it replaces the key.
   *
   * @default false
   */
  readonly multiRegion?: boolean;

  /**
   * Whether KMS rotates the key material automatically. Only symmetric encryption keys with
   * AWS_KMS origin can rotate; asking for it on any other key is an error.
   *
   * @default - true for symmetric encryption keys with AWS_KMS origin, otherwise false
   */
  readonly enableKeyRotation?: boolean;

  /**
   * How often KMS rotates the key material, between 90 and 2560 days.
   *
   * @default Duration.days(365)
   */
  readonly rotationPeriod?: Duration;

  /**
   * How long KMS waits before deleting the key once deletion is scheduled, 7 to 30 days. Use
   * of the key in that window is the last warning that something still needs it.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the key, and its aliases, when it leaves the stack. Losing a key means
   * losing every piece of data encrypted under it.
   * SNAPSHOT is an error: KMS keys have no snapshots.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Alias names for the key. The `alias/` prefix is added when missing. Aliases follow the
   * key's removal policy.
   *
   * @default - no aliases
   */
  readonly aliases?: string[];
}

/**
 * A customer managed KMS key whose key policy keeps administration and use apart.
 *
 * The key policy has explicit, wildcard-free statements with Sids: `AccountAdministration`
 * (administration only, delegated to IAM in the key's account; optional), `KeyAdministration`
 * (the admin role and administrators), `KeyUsage` (the user role and users, with the actions of
 * the key's type) and `AllowAttachmentOfPersistentResources` (grants for AWS resources only).
 * Grant methods add principals to purpose-named statements.
 *
 * It implements `kms.IKey`, so it plugs in wherever aws-cdk-lib takes a key.
 */
export class CustomerManagedKey extends ManagedKeyBase {
  /**
   * Imports a key by ARN, for a key whose policy this app does not write (another team's or
   * account's key). Grants go to the grantees' identity policies only, and each one adds a
   * warning (`cdk-kms-patterns:KeyPolicyHalfIsTheOwnersJob`) that names the key-policy statement
   * the key's owner must add: KMS honours an identity policy only where the key policy allows it.
   */
  public static fromKeyArn(scope: Construct, id: string, keyArn: string): kms.IKey {
    return new KeyImportedByArn(scope, id, keyArn);
  }

  /**
   * Imports a key by alias name (the `alias/` prefix is added when missing), in this stack's
   * account and Region. Grants go to the grantees' identity policies only, on the Region's keys
   * under `kms:ResourceAliases`, with the same warning as `fromKeyArn`.
   */
  public static fromAliasName(scope: Construct, id: string, aliasName: string): kms.IAlias {
    return new KeyImportedByAlias(scope, id, aliasName.startsWith('alias/') ? aliasName : `alias/${aliasName}`);
  }

  public readonly keyArn: string;
  public readonly keyId: string;
  /** The key itself, for uses that want `kms.IKey` explicitly. */
  public readonly key: kms.IKey;
  /** The underlying CloudFormation resource. */
  public readonly cfnKey: kms.CfnKey;
  /** Whether automatic rotation is on. */
  public readonly rotationEnabled: boolean;
  /** Whether this is a multi-Region primary key. */
  public readonly multiRegion: boolean;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps = {}) {
    super(scope, id, props);
    const keyType = resolveKeyType(this, props.keySpec, props.keyUsage);
    const origin = props.origin ?? KeyOrigin.AWS_KMS;
    const rotatable = keyType.family === KeyFamily.SYMMETRIC_ENCRYPTION && origin === KeyOrigin.AWS_KMS;
    this.rotationEnabled = this.resolveRotation(props, rotatable, keyType.keySpec, origin);
    this.multiRegion = props.multiRegion ?? false;
    const pendingWindowDays = daysWithin(this, 'pendingWindow', props.pendingWindow ?? Duration.days(PENDING_WINDOW_DAYS.default), PENDING_WINDOW_DAYS);
    const removalPolicy = validateKeyRemovalPolicy(this, props.removalPolicy ?? RemovalPolicy.RETAIN);

    this.cfnKey = new kms.CfnKey(this, 'Resource', {
      description: props.description,
      enabled: props.enabled ?? true,
      keySpec: keyType.keySpec,
      keyUsage: keyType.keyUsage,
      origin,
      multiRegion: this.multiRegion,
      enableKeyRotation: this.rotationEnabled,
      rotationPeriodInDays: this.rotationEnabled
        ? daysWithin(this, 'rotationPeriod', props.rotationPeriod ?? Duration.days(ROTATION_PERIOD_DAYS.default), ROTATION_PERIOD_DAYS)
        : undefined,
      pendingWindowInDays: pendingWindowDays,
      keyPolicy: this._keyPolicy.document,
    });
    this.cfnKey.applyRemovalPolicy(removalPolicy);
    this.keyArn = this.cfnKey.attrArn;
    this.keyId = this.cfnKey.ref;
    this.key = this;

    this._setUpKeyPolicy({
      family: keyType.family,
      usageActions: usageActionsFor(keyType.family),
      adminActions: adminActionsFor({
        family: keyType.family,
        rotatable,
        multiRegionPrimary: this.multiRegion,
        importedMaterial: origin === KeyOrigin.EXTERNAL,
      }),
    }, removalPolicy, props.aliases ?? []);
  }

  /**
   * Creates a replica of this multi-Region key in `scope`, which must be in a stack of another
   * Region. The replica keeps this key's roles and, unless given, its aliases.
   */
  public addReplica(scope: Construct, id: string, options: ReplicaOptions = {}): ReplicaKey {
    return new ReplicaKey(scope, id, { ...options, primaryKey: this });
  }

  protected applyKeyRemovalPolicy(policy: RemovalPolicy): void {
    this.cfnKey.applyRemovalPolicy(policy);
  }

  private resolveRotation(props: CustomerManagedKeyProps, rotatable: boolean, keySpec: kms.KeySpec, origin: KeyOrigin): boolean {
    if (!rotatable && props.enableKeyRotation) {
      fail(this, `'enableKeyRotation' value true is not possible for a key with keySpec ${keySpec}, keyUsage ${props.keyUsage ?? 'default'} and origin ${origin}. Allowed: only symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) with origin AWS_KMS rotate`);
    }
    if (!rotatable && props.rotationPeriod) {
      fail(this, `'rotationPeriod' value ${props.rotationPeriod.toDays()} days is not possible for a key that cannot rotate (keySpec ${keySpec}, origin ${origin}). Allowed: leave it unset`);
    }
    const enabled = props.enableKeyRotation ?? rotatable;
    if (!enabled && props.rotationPeriod) {
      fail(this, `'rotationPeriod' value ${props.rotationPeriod.toDays()} days needs 'enableKeyRotation' true. Received: enableKeyRotation false`);
    }
    return enabled;
  }
}
