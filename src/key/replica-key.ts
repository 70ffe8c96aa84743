import { Duration, RemovalPolicy, Stack, Token, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
// Type only: CustomerManagedKey creates replicas (addReplica), so it imports this file at runtime.
import type { CustomerManagedKey } from './customer-managed-key';
import { KeyOrigin } from './key-origin';
import { KeyRolesProps } from './key-roles';
import { ManagedKeyBase } from './managed-key-base';
import { fail } from '../errors';
import { adminActionsFor, resolveKeyType, usageActionsFor } from '../shared/key-type';
import { PrimaryLocation, locateArnPrimary, locateConstructPrimary, placeReplica, rejectRotationProps, requireNameableRoles } from './private/replica-placement';
import { PENDING_WINDOW_DAYS, daysWithin, validateKeyRemovalPolicy } from '../shared/validation';

/**
 * What a replica can set for itself. Everything else (key material, key spec and usage, origin,
 * rotation) is shared by a multi-Region key and comes from the primary.
 */
export interface ReplicaOptions extends KeyRolesProps {
  /**
   * A description of the replica.
   *
   * @default - the primary's description when the primary is a CustomerManagedKey, else none
   */
  readonly description?: string;

  /**
   * Whether the replica is enabled. A replica's key state is its own.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How long KMS waits before deleting the replica once deletion is scheduled, 7 to 30 days.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the replica, and its aliases, when it leaves the stack.
   * SNAPSHOT is an error: KMS keys have no snapshots.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Alias names in the replica's Region. Aliases are not shared between Regions; the default
   * gives code in every Region the same names.
   *
   * @default - the names of the primary's aliases at the time the replica is created, when the
   * primary is a CustomerManagedKey; otherwise no aliases
   */
  readonly aliases?: string[];

  /**
   * The key spec of the primary, needed only when the primary is given as `primaryKeyArn`:
   * it decides the user actions in the replica's key policy. With `primaryKey` it is read from
   * the primary and a different value is an error.
   *
   * @default - the primary's key spec with `primaryKey`, else kms.KeySpec.SYMMETRIC_DEFAULT
   */
  readonly keySpec?: kms.KeySpec;

  /**
   * The key usage of the primary, needed only when the primary is given as `primaryKeyArn`.
   *
   * @default - the primary's key usage with `primaryKey`, else the default for `keySpec`
   */
  readonly keyUsage?: kms.KeyUsage;

  /**
   * The origin of the primary's key material, needed only when the primary is given as
   * `primaryKeyArn`. With EXTERNAL, the replica's administrators get the import actions: each
   * replica needs the same key material imported in its own Region.
   *
   * @default - the primary's origin with `primaryKey`, else KeyOrigin.AWS_KMS
   */
  readonly origin?: KeyOrigin;
}

/** Properties of a {@link ReplicaKey}. Give exactly one of `primaryKey` and `primaryKeyArn`. */
export interface ReplicaKeyProps extends ReplicaOptions {
  /**
   * The multi-Region primary, defined in this app in a stack of another Region. The replica
   * starts from its role model (admin role, user role, administrators, users, consumers) and
   * aliases.
   *
   * @default - use `primaryKeyArn`
   */
  readonly primaryKey?: CustomerManagedKey;

  /**
   * The ARN of a multi-Region primary managed elsewhere (key ID `mrk-...`).
   *
   * @default - use `primaryKey`
   */
  readonly primaryKeyArn?: string;
}

/** Options of {@link ReplicaKey.replicateToRegions}. */
export interface ReplicaStacksOptions extends ReplicaOptions {
  /**
   * Prefix of each replica stack's construct ID; the Region is appended.
   *
   * @default - the primary stack's construct ID followed by "-"
   */
  readonly stackIdPrefix?: string;
}

/**
 * A multi-Region replica key (AWS::KMS::ReplicaKey) in the Region of its stack.
 *
 * Its key policy follows the same role model as a CustomerManagedKey (Sids
 * `AccountAdministration`, `KeyAdministration`, `KeyUsage`,
 * `AllowAttachmentOfPersistentResources`, grant statements). Administrators may promote the
 * replica (kms:UpdatePrimaryRegion) but get no rotation actions: rotation is set on the primary.
 * It implements `kms.IKey`, so consumers in its Region call grant methods and pass it to
 * aws-cdk-lib constructs.
 *
 * A primary given as a CustomerManagedKey is referenced across Regions with aws-cdk-lib's own
 * cross-Region references: CDK writes the primary's ARN to an SSM parameter in the replica's
 * Region and the replica stack reads it, and CDK orders the deployments.
 */
export class ReplicaKey extends ManagedKeyBase {
  /**
   * Replicates `primary` into each of `regions`, one new stack per Region in `scope` (usually
   * the App), in the primary's account. The stacks allow cross-Region references, which older
   * aws-cdk-lib releases require to be switched on.
   */
  public static replicateToRegions(
    scope: Construct, primary: CustomerManagedKey, regions: string[], options: ReplicaStacksOptions = {},
  ): ReplicaKey[] {
    const primaryStack = Stack.of(primary);
    const prefix = options.stackIdPrefix ?? `${primaryStack.node.id}-`;
    const seen = new Set<string>();
    return regions.map((region) => {
      if (seen.has(region)) {
        fail(primary, `'regions' contains ${JSON.stringify(region)} twice. Allowed: one replica per primary and Region`);
      }
      seen.add(region);
      const stack = new Stack(scope, `${prefix}${region}`, {
        env: { account: Token.isUnresolved(primaryStack.account) ? undefined : primaryStack.account, region },
        crossRegionReferences: true,
      });
      return primary.addReplica(stack, primary.node.id, options);
    });
  }

  public readonly keyArn: string;
  public readonly keyId: string;
  /** The ARN of the primary this key replicates. */
  public readonly primaryKeyArn: string;
  /** The Region of this replica. */
  public readonly replicaRegion: string;
  /** The underlying CloudFormation resource. */
  public readonly cfnReplicaKey: kms.CfnReplicaKey;
  /**
   * The primary, when it is a key of this app: the deletion monitor names the replica by the
   * primary's key id, which multi-Region keys share, instead of a cross-Region reference.
   * @internal
   */
  public readonly _primaryKey?: CustomerManagedKey;

  constructor(scope: Construct, id: string, props: ReplicaKeyProps) {
    super(scope, id, inheritRoles(props));
    rejectRotationProps(this, props);
    const primary = props.primaryKey;
    this._primaryKey = primary;
    if ((primary === undefined) === (props.primaryKeyArn === undefined)) {
      fail(this, `give exactly one of 'primaryKey' and 'primaryKeyArn'. Received: ${primary ? 'both' : 'neither'}`);
    }
    const location: PrimaryLocation = primary ? locateConstructPrimary(primary) : locateArnPrimary(this, props.primaryKeyArn!);
    this.replicaRegion = placeReplica(this, location);
    requireNameableRoles(this, [
      { prop: 'adminRole', principal: this.adminRole, inherited: props.adminRole === undefined },
      { prop: 'userRole', principal: this.userRole, inherited: props.userRole === undefined },
      ...(primary?._roleModel.administrators ?? []).map((principal) => ({ prop: 'administrators', principal, inherited: true })),
      ...(primary?._roleModel.users ?? []).map((principal) => ({ prop: 'users', principal, inherited: true })),
      ...(props.administrators ?? []).map((principal) => ({ prop: 'administrators', principal, inherited: false })),
      ...(props.users ?? []).map((principal) => ({ prop: 'users', principal, inherited: false })),
    ]);

    const keySpec = sharedProp(this, 'keySpec', props.keySpec, primary?.cfnKey.keySpec) as kms.KeySpec | undefined;
    const keyUsage = sharedProp(this, 'keyUsage', props.keyUsage, primary?.cfnKey.keyUsage) as kms.KeyUsage | undefined;
    const origin = sharedProp(this, 'origin', props.origin, primary?.cfnKey.origin) ?? KeyOrigin.AWS_KMS;
    const keyType = resolveKeyType(this, keySpec, keyUsage);

    // The primary's ARN, as a cross-Region reference when the primary is in this app.
    this.primaryKeyArn = primary ? primary.keyArn : props.primaryKeyArn!;
    const removalPolicy = validateKeyRemovalPolicy(this, props.removalPolicy ?? RemovalPolicy.RETAIN);
    this.cfnReplicaKey = new kms.CfnReplicaKey(this, 'Resource', {
      primaryKeyArn: this.primaryKeyArn,
      keyPolicy: this._keyPolicy.document,
      description: props.description ?? primary?.cfnKey.description,
      enabled: props.enabled ?? true,
      pendingWindowInDays: daysWithin(this, 'pendingWindow', props.pendingWindow ?? Duration.days(PENDING_WINDOW_DAYS.default), PENDING_WINDOW_DAYS),
    });
    this.cfnReplicaKey.applyRemovalPolicy(removalPolicy);
    this.keyArn = this.cfnReplicaKey.attrArn;
    this.keyId = this.cfnReplicaKey.attrKeyId;

    this._setUpKeyPolicy({
      family: keyType.family,
      usageActions: usageActionsFor(keyType.family),
      adminActions: adminActionsFor({
        family: keyType.family,
        rotatable: false,
        multiRegionPrimary: false,
        multiRegionReplica: true,
        importedMaterial: origin === KeyOrigin.EXTERNAL,
      }),
    }, removalPolicy, props.aliases ?? primary?.aliases.map((alias) => alias.aliasName) ?? []);
  }

  protected applyKeyRemovalPolicy(policy: RemovalPolicy): void {
    this.cfnReplicaKey.applyRemovalPolicy(policy);
  }
}

/**
 * The replica keeps its primary's roles, principals and declared consumers; its own
 * administrators, users and consumers are added to them (Region-specific principals).
 */
function inheritRoles(props: ReplicaKeyProps): KeyRolesProps {
  const primary = props.primaryKey;
  const inherited = primary?._roleModel ?? {};
  return {
    adminRole: props.adminRole ?? primary?.adminRole,
    userRole: props.userRole ?? primary?.userRole,
    administrators: [...(inherited.administrators ?? []), ...(props.administrators ?? [])],
    users: [...(inherited.users ?? []), ...(props.users ?? [])],
    // Consumers of a multi-Region key use it in every Region it is in.
    consumers: [...(inherited.consumers ?? []), ...(props.consumers ?? [])],
    accountAdministration: props.accountAdministration ?? inherited.accountAdministration,
    accountAdministrationScope: props.accountAdministrationScope ?? inherited.accountAdministrationScope,
    roleTrustPrincipal: props.roleTrustPrincipal,
    // A replica of a primary of this app shares the primary's roles and never makes its own.
    createRoles: props.createRoles ?? (primary ? false : undefined),
  };
}

/** A property a multi-Region key shares: read from the primary, and a different value is an error. */
function sharedProp(scope: Construct, prop: string, given: string | undefined, fromPrimary: string | undefined): string | undefined {
  if (given !== undefined && fromPrimary !== undefined && given !== fromPrimary) {
    fail(scope, `'${prop}' value ${JSON.stringify(given)} differs from the primary's ${JSON.stringify(fromPrimary)}. Allowed: leave it unset; a replica always has its primary's ${prop}`);
  }
  return given ?? fromPrimary;
}
