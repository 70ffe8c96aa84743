import { createHash } from 'crypto';
import { Lazy, PhysicalName, Resource, RemovalPolicy, Stack, Tags, Token, TokenComparison, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccountAdministration } from './account-administration';
import { KeyGrant, KeyGrantOptions } from './key-grant';
import { KeyRolesProps } from './key-roles';
import { ServiceLinkedRole, ServicePrincipalUseOptions, validateServicePrincipal } from './service-principals';
import { fail, received } from '../errors';
import type { KeyDeletionMonitor, KeyDeletionMonitorProps } from '../monitoring/key-deletion-monitor';
import * as actions from '../shared/actions';
import { awsPrincipalsOf, withAdministratorExclusion } from './private/administrator-exclusion';
import { PlacedRule, coveringRule, placeRules, ruleAccountPrincipal, ruleConditions, rulesMatchingAdministrators } from './private/consumer-rules';
import { expandActions, grantSid, unmatchedWildcards } from './private/grant-actions';
import { KeyPolicy } from '../shared/key-policy';
import { KeyFamily, KeyPolicySetup } from '../shared/key-type';
import { normalizeAliasNames } from './private/alias-names';
import { checkAliasNamesAcrossApp } from './private/alias-uniqueness';
import { markLibraryRole, portablePrincipal } from './private/portable-principal';
import { separationOfDutiesViolations } from './private/separation-of-duties';
import type { GrantInTemplate } from '../access/template-model';
import { consumerTagKey, inKeyEnvironment, principalOfOtherStack, withConsumerTag } from './private/stack-consumer';
import { validateKeyRemovalPolicy } from '../shared/validation';

/** Sids of the statements every managed key has. Rule packs and tests refer to them. */
export const KEY_POLICY_SIDS = {
  accountAdministration: 'AccountAdministration',
  keyAdministration: 'KeyAdministration',
  keyUsage: 'KeyUsage',
  resourceGrants: 'AllowAttachmentOfPersistentResources',
} as const;


/**
 * The role model, key policy, grant path and aliases shared by every key of this library.
 *
 * Subclasses create the key resource and call `setUpKeyPolicy` once they know the key's type.
 * Every grant goes through one private method that decides where the statement lands.
 */
export abstract class ManagedKeyBase extends Resource implements kms.IKey {
  public abstract readonly keyArn: string;
  public abstract readonly keyId: string;

  /** The role named as key administrator, if one was given or created (see `createRoles`). */
  public readonly adminRole?: iam.IRole;
  /** The role named as key user, if one was given or created (see `createRoles`). */
  public readonly userRole?: iam.IRole;

  /**
   * The key policy. Subclasses hand `_keyPolicy.document` to their key resource.
   * @internal
   */
  protected readonly _keyPolicy = new KeyPolicy();
  private readonly aliasResources: kms.Alias[] = [];
  private readonly grants: GrantInTemplate[] = [];
  /** Roles of this library's handlers that administer the key through the account statement. */
  private readonly handlerAdministrators: iam.IRole[] = [];
  /** The ARNs a scoped account statement admits besides handler roles (the deployment role). */
  private accountStatementScope: readonly string[] = [];
  private readonly consumerStatements = new Set<string>();
  private consumerRules: PlacedRule[] = [];
  private removalPolicy: RemovalPolicy = RemovalPolicy.RETAIN;
  private family: KeyFamily = KeyFamily.SYMMETRIC_ENCRYPTION;
  private adminActions: readonly string[] = [];
  private usageActions: readonly string[] = [];

  protected constructor(scope: Construct, id: string, private readonly roles: KeyRolesProps) {
    super(scope, id);
    const trust = roles.roleTrustPrincipal ?? new iam.AccountRootPrincipal();
    const createRoles = roles.createRoles ?? true;
    // IAM is global: a generated name (only when another Region or account refers to the role,
    // e.g. a replica's key policy) lets that reference be a plain ARN instead of a cross-Region
    // export. Keys referenced only in their own stack keep an unnamed role.
    this.adminRole = roles.adminRole ?? (createRoles ? markLibraryRole(new iam.Role(this, 'AdminRole', {
      roleName: PhysicalName.GENERATE_IF_NEEDED,
      assumedBy: trust,
      description: `Administers the KMS key ${this.node.path}; no cryptographic use`,
    })) : undefined);
    this.userRole = roles.userRole ?? (createRoles ? markLibraryRole(new iam.Role(this, 'UserRole', {
      roleName: PhysicalName.GENERATE_IF_NEEDED,
      assumedBy: trust,
      description: `Uses the KMS key ${this.node.path}; no administration`,
    })) : undefined);
    // One check on the final policy, whichever call wrote it (grant*, addToResourcePolicy, props...).
    this.node.addValidation({ validate: () => separationOfDutiesViolations(this, this._keyPolicy.document, this.grants) });
  }

  /** A reference to this key for aws-cdk-lib's generated interfaces. */
  public get keyRef(): kms.KeyReference {
    return { keyArn: this.keyArn, keyId: this.keyId };
  }

  /**
   * The role model this key was built from, so a replica can start from its primary's.
   * @internal
   */
  public get _roleModel(): KeyRolesProps {
    return this.roles;
  }

  /** The aliases that point at this key. */
  public get aliases(): kms.IAlias[] {
    return [...this.aliasResources];
  }

  /** Creates an alias for this key. The alias follows the key's removal policy. */
  public addAlias(aliasName: string): kms.Alias {
    const [name] = normalizeAliasNames(this, [aliasName]);
    if (this.aliasResources.some((existing) => existing.aliasName === name)) {
      fail(this, `'aliases' contains ${JSON.stringify(name)} twice. Each alias name must be unique.`);
    }
    checkAliasNamesAcrossApp(this);
    const alias = new kms.Alias(this, `Alias${this.aliasResources.length}`, {
      aliasName: name,
      targetKey: this,
      removalPolicy: this.removalPolicy,
    });
    this.aliasResources.push(alias);
    return alias;
  }

  /**
   * Applies the removal policy to the key and to all of its aliases, so an alias never outlives
   * or predeceases its key by accident (aws-cdk issue 38217).
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.removalPolicy = validateKeyRemovalPolicy(this, policy);
    this.applyKeyRemovalPolicy(policy);
    this.aliasResources.forEach((alias) => alias.applyRemovalPolicy(policy));
  }

  /** Adds a statement to the key policy as given. */
  public addToResourcePolicy(statement: iam.PolicyStatement, _allowNoOp?: boolean): iam.AddToResourcePolicyResult {
    this._keyPolicy.add(statement);
    return { statementAdded: true, policyDependable: this };
  }

  /**
   * Grants the given actions. Wildcards (aws-cdk-lib's S3 grants pass `kms:GenerateDataKey*`)
   * are expanded over this key's own actions, so the key policy never carries a wildcard.
   */
  public grant(grantee: iam.IGrantable, ...actionList: string[]): iam.Grant {
    const universe = [...this.adminActions, ...this.usageActions];
    const [unmatched] = unmatchedWildcards(actionList, universe);
    if (unmatched !== undefined) {
      fail(this, `grant() action ${received(unmatched)} matches none of the actions of a ${this.family} key. Allowed: actions or wildcards over ${universe.join(', ')}`);
    }
    const expanded = expandActions(actionList, universe);
    return this.grantFor(grantee, grantSid(expanded), expanded);
  }

  /** Grants encryption: kms:Encrypt, plus data key generation and re-encryption on symmetric keys. */
  public grantEncrypt(grantee: iam.IGrantable): iam.Grant {
    this.requireFamily('grantEncrypt', KeyFamily.SYMMETRIC_ENCRYPTION, KeyFamily.ASYMMETRIC_ENCRYPTION);
    const list = this.family === KeyFamily.SYMMETRIC_ENCRYPTION ? actions.ENCRYPT_ACTIONS : ['kms:Encrypt'];
    return this.grantFor(grantee, 'GrantEncrypt', [...list, ...actions.SHARED_READ_ACTIONS]);
  }

  /** Grants kms:Decrypt. */
  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    this.requireFamily('grantDecrypt', KeyFamily.SYMMETRIC_ENCRYPTION, KeyFamily.ASYMMETRIC_ENCRYPTION);
    return this.grantFor(grantee, 'GrantDecrypt', [...actions.DECRYPT_ACTIONS, ...actions.SHARED_READ_ACTIONS]);
  }

  /** Grants both encryption and decryption. */
  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    this.requireFamily('grantEncryptDecrypt', KeyFamily.SYMMETRIC_ENCRYPTION, KeyFamily.ASYMMETRIC_ENCRYPTION);
    const encrypt = this.family === KeyFamily.SYMMETRIC_ENCRYPTION ? actions.ENCRYPT_ACTIONS : ['kms:Encrypt'];
    return this.grantFor(grantee, 'GrantEncryptDecrypt', [...encrypt, ...actions.DECRYPT_ACTIONS, ...actions.SHARED_READ_ACTIONS]);
  }

  /** Grants data key generation (envelope encryption) on a symmetric key. */
  public grantGenerateDataKey(grantee: iam.IGrantable): iam.Grant {
    this.requireFamily('grantGenerateDataKey', KeyFamily.SYMMETRIC_ENCRYPTION);
    return this.grantFor(grantee, 'GrantGenerateDataKey', [...actions.GENERATE_DATA_KEY_ACTIONS, ...actions.SHARED_READ_ACTIONS]);
  }

  /** Grants kms:Sign on an asymmetric signing key. */
  public grantSign(grantee: iam.IGrantable): iam.Grant {
    this.requireFamily('grantSign', KeyFamily.ASYMMETRIC_SIGN);
    return this.grantFor(grantee, 'GrantSign', [...actions.SIGN_ACTIONS, ...actions.SHARED_READ_ACTIONS]);
  }

  /** Grants kms:Verify and kms:GetPublicKey on an asymmetric signing key. */
  public grantVerify(grantee: iam.IGrantable): iam.Grant {
    this.requireFamily('grantVerify', KeyFamily.ASYMMETRIC_SIGN);
    return this.grantFor(grantee, 'GrantVerify', [...actions.VERIFY_ACTIONS, 'kms:GetPublicKey', ...actions.SHARED_READ_ACTIONS]);
  }

  /** Grants signing and verification. */
  public grantSignVerify(grantee: iam.IGrantable): iam.Grant {
    this.requireFamily('grantSignVerify', KeyFamily.ASYMMETRIC_SIGN);
    return this.grantFor(grantee, 'GrantSignVerify', [...actions.SIGN_USAGE_ACTIONS]);
  }

  /** Grants kms:GenerateMac on an HMAC key. */
  public grantGenerateMac(grantee: iam.IGrantable): iam.Grant {
    this.requireFamily('grantGenerateMac', KeyFamily.HMAC);
    return this.grantFor(grantee, 'GrantGenerateMac', [...actions.GENERATE_MAC_ACTIONS, ...actions.SHARED_READ_ACTIONS]);
  }

  /** Grants kms:VerifyMac on an HMAC key. */
  public grantVerifyMac(grantee: iam.IGrantable): iam.Grant {
    this.requireFamily('grantVerifyMac', KeyFamily.HMAC);
    return this.grantFor(grantee, 'GrantVerifyMac', [...actions.VERIFY_MAC_ACTIONS, ...actions.SHARED_READ_ACTIONS]);
  }

  /** Grants the full administrator action list of this key, and no use of it. */
  public grantAdminister(grantee: iam.IGrantable): iam.Grant {
    return this.grantFor(grantee, KEY_POLICY_SIDS.keyAdministration, this.adminActions);
  }

  /**
   * Creates a KMS grant on this key: `options.operations` for `options.grantee`, optionally only
   * under an encryption context. The grant is a custom resource in this key's stack.
   *
   * @param id construct id of the grant, under this key
   */
  public grantWithConstraints(id: string, options: KeyGrantOptions): KeyGrant {
    return new KeyGrant(this, id, { ...options, key: this });
  }

  /**
   * Lets an AWS service use this key on behalf of resources of the key's account, as a key user:
   * the usage actions of the key type (or `options.actions`), only while `aws:SourceAccount` is
   * this key's account (and `aws:SourceArn` matches `options.sourceArns` when given), so the
   * service cannot be used as a confused deputy by another account. With
   * `options.allowResourceGrants`, also kms:CreateGrant, only with `kms:GrantIsForAWSResource`.
   *
   * @param servicePrincipal the service principal, e.g. `logs.eu-west-1.amazonaws.com`
   */
  public allowServicePrincipal(servicePrincipal: string, options: ServicePrincipalUseOptions = {}): iam.Grant {
    validateServicePrincipal(this, 'servicePrincipal', servicePrincipal);
    const suffix = sidSuffix(Stack.of(this), servicePrincipal);
    if (this._keyPolicy.statement(`ServiceUsage${suffix}`)) {
      fail(this, `allowServicePrincipal() was called twice for ${received(servicePrincipal)}. Allowed: one call per service, with all its options`);
    }
    const principal = new iam.ServicePrincipal(servicePrincipal);
    const conditions: Record<string, Record<string, unknown>> = { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } };
    if (options.sourceArns !== undefined) {
      if (options.sourceArns.length === 0) {
        fail(this, "'sourceArns' is empty. Allowed: one or more ARNs (ArnLike patterns), or leave it unset for any resource of the key's account");
      }
      conditions.ArnLike = { 'aws:SourceArn': [...options.sourceArns] };
    }
    const grant = this.grantFor(principal, `ServiceUsage${suffix}`, this.serviceActions(options.actions), conditions);
    if (options.allowResourceGrants) {
      this._keyPolicy.allow(`ServiceResourceGrants${suffix}`, ['kms:CreateGrant'], [principal], { Bool: { 'kms:GrantIsForAWSResource': true } });
    }
    return grant;
  }

  /**
   * Lets a service-linked role use this key as a key user: it joins the `KeyUsage` statement and
   * may create grants for AWS resources only (`kms:GrantIsForAWSResource`). The role must exist
   * when the key policy is set (KMS refuses a policy that names a role that does not exist);
   * the service creates it on first use, or create it with `iam.CfnServiceLinkedRole`.
   *
   * `ServiceLinkedRole.autoScaling()` is the EBS case: EC2 Auto Scaling launches instances with
   * volumes encrypted under this key through that role, and the launch fails without it.
   */
  public allowServiceLinkedRole(role: ServiceLinkedRole): iam.Grant {
    if (role.servicePrincipal === 'autoscaling.amazonaws.com' && this.family !== KeyFamily.SYMMETRIC_ENCRYPTION) {
      fail(this, `allowServiceLinkedRole(ServiceLinkedRole.autoScaling()) on a key of type ${this.family}: EBS encrypts volumes with symmetric encryption keys only. Allowed key type: ${KeyFamily.SYMMETRIC_ENCRYPTION}`);
    }
    return this.addUser(new iam.ArnPrincipal(role._arnIn(this)));
  }

  /**
   * Alarms on use of this key while it is pending deletion and on DisableKey /
   * ScheduleKeyDeletion of it. Uses the app's `KeyDeletionMonitor` for this key's account and
   * Region, or creates one in `scope` (default: this key's stack) with `props`.
   *
   * @param scope where to create the monitor if none exists yet
   * @param props configures the monitor if one is created; an error if one exists already
   */
  public monitorDeletion(scope?: Construct, props?: KeyDeletionMonitorProps): KeyDeletionMonitor {
    // monitoring builds on key (the monitor's own key is a CustomerManagedKey), so key loads it
    // here, when called, not at import: by then every key module is loaded, whatever was
    // imported first. The one upward dependency; nothing is registered globally.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const monitoring: { KeyDeletionMonitor: typeof KeyDeletionMonitor } = require('../monitoring/key-deletion-monitor');
    return monitoring.KeyDeletionMonitor._attach(this, scope, props);
  }

  /**
   * Grants usage actions only under `conditions`, in a statement of its own named `sid`. For
   * constructs that pin a principal's use of the key to one AWS service and resource (an S3
   * bucket's `kms:ViaService` and encryption context); give each resource its own Sid.
   * @internal
   */
  public _grantUnderConditions(grantee: iam.IGrantable, sid: string, actionList: readonly string[],
    conditions: Record<string, Record<string, unknown>>): iam.Grant {
    return this.grantFor(grantee, sid, actionList, conditions);
  }

  /**
   * Admits a role of this library's handlers (the CloudHSM and XKS key handlers call PutKeyPolicy,
   * DescribeKey and CreateAlias through IAM) to the `AccountAdministration` statement, whatever its scope.
   * @internal
   */
  protected _admitHandlerAdministrator(role: iam.IRole): void {
    this.handlerAdministrators.push(role);
  }

  /**
   * Records a KMS grant on this key, so the separation-of-duties check counts its grantee as a
   * user of the key, like any other.
   * @internal
   */
  public _registerGrant(grant: GrantInTemplate): void {
    this.grants.push(grant);
  }

  /**
   * What the key can do (symmetric encryption, HMAC, signing...), for constructs that accept
   * only some key types.
   * @internal
   */
  public get _keyFamily(): KeyFamily {
    return this.family;
  }

  /** Applies the removal policy to the key resource itself (CfnKey, CfnReplicaKey, custom resource). */
  protected abstract applyKeyRemovalPolicy(policy: RemovalPolicy): void;

  /**
   * Writes the role model into the key policy. Subclasses call it once, after they know the
   * key's type; aliases given as props are created here too so they see the removal policy.
   * @internal
   */
  protected _setUpKeyPolicy(setup: KeyPolicySetup, removalPolicy: RemovalPolicy, aliasNames: string[]): void {
    this.family = setup.family;
    this.adminActions = setup.adminActions;
    this.usageActions = setup.usageActions;
    this.removalPolicy = removalPolicy;

    const accountAdministration = this.roles.accountAdministration ?? true;
    if (!accountAdministration && (this.roles.administrators ?? []).length === 0) {
      fail(this, "'accountAdministration' is false and 'administrators' is empty: no principal CloudFormation deploys with could change this key's policy again, and KMS would refuse it (lockout safety check). Allowed: accountAdministration true, or administrators that include the deployment role");
    }
    if (accountAdministration) {
      const scope = this.roles.accountAdministrationScope ?? AccountAdministration._defaultFor(Stack.of(this));
      const admitted = scope._principalArns(this);
      this.accountStatementScope = admitted ?? [];
      // Resolved at synth, so handler roles a subclass admits after this call are in it too.
      const conditions = admitted === undefined ? undefined : {
        ArnEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => this.accountStatementAdmits() }) },
      };
      this._keyPolicy.allow(KEY_POLICY_SIDS.accountAdministration, setup.adminActions, [new iam.AccountRootPrincipal()], conditions);
    }
    const administrators = [...(this.adminRole ? [this.adminRole] : []), ...(this.roles.administrators ?? [])];
    for (const admin of administrators) {
      this.grantFor(admin, KEY_POLICY_SIDS.keyAdministration, setup.adminActions);
    }
    for (const user of [...(this.userRole ? [this.userRole] : []), ...(this.roles.users ?? [])]) {
      this.addUser(user);
    }
    this.consumerRules = placeRules(this, this.roles.consumers ?? []);
    this.consumerRules.forEach((rule) => this._keyPolicy.allow('DeclaredConsumers', this.usageActions, [ruleAccountPrincipal(this, rule)],
      rule.tag ? this.excludingAdministrators(ruleConditions(rule)) : ruleConditions(rule)));
    this.node.addValidation({ validate: () => rulesMatchingAdministrators(this, this.consumerRules, administrators) });
    normalizeAliasNames(this, aliasNames).forEach((name) => this.addAlias(name));
  }

  /** A key user: the usage actions of the key type, and grants for AWS resources only. */
  private addUser(user: iam.IGrantable): iam.Grant {
    const grant = this.grantFor(user, KEY_POLICY_SIDS.keyUsage, this.usageActions);
    this._keyPolicy.allow(KEY_POLICY_SIDS.resourceGrants, actions.RESOURCE_GRANT_ACTIONS, [portablePrincipal(this, user.grantPrincipal)],
      { Bool: { 'kms:GrantIsForAWSResource': true } });
    return grant;
  }

  /** The usage actions a service asked for, checked against this key's type. */
  private serviceActions(requested: readonly string[] | undefined): readonly string[] {
    if (requested === undefined) { return this.usageActions; }
    const expanded = expandActions(requested, [...this.adminActions, ...this.usageActions]);
    for (const action of expanded) {
      if (this.usageActions.includes(action)) { continue; }
      const why = this.adminActions.includes(action) ? 'an administrative action; a service that uses the key never administers it'
        : `not a usage action of a ${this.family} key`;
      fail(this, `'actions' contains ${received(action)}, ${why}. Allowed: ${this.usageActions.join(', ')}`);
    }
    if (expanded.length === 0) {
      fail(this, `'actions' is empty. Allowed: one or more of ${this.usageActions.join(', ')}, or leave it unset for all of them`);
    }
    return expanded.sort();
  }

  /**
   * The one grant path. The key policy names the principal, so the grant works without any
   * account-wide delegation of use; a principal of another account also needs an identity
   * policy statement, which is added when the principal can take one.
   */
  private grantFor(grantee: iam.IGrantable, sid: string, actionList: readonly string[],
    conditions?: Record<string, Record<string, unknown>>): iam.Grant {
    // Administration is never granted by tag or rule: an administrator is always named.
    const uses = actionList.some((action) => !this.adminActions.includes(action));
    const consumer = uses ? principalOfOtherStack(this, grantee.grantPrincipal) : undefined;
    const rule = consumer && coveringRule(this.consumerRules, consumer);
    if (consumer && rule) { return this.grantToDeclaredConsumer(grantee, consumer, rule, actionList, conditions); }
    if (consumer && inKeyEnvironment(this, consumer)) { return this.grantToConsumer(grantee, consumer, sid, actionList, conditions); }
    // A role of another Region (a replica's primary roles) is named by ARN, never by an export.
    const principal = portablePrincipal(this, grantee.grantPrincipal);
    if (uses && !conditions && principal instanceof iam.AccountPrincipal && this.isCrossAccount(principal)) {
      fail(this, `a grant of use to account ${received(principal.accountId)} through its root, without a condition, would let every principal of that account whose identity policy allows it use the key. Allowed: a role of that account, or 'consumers: [KeyConsumers.inAccount(account, KeyConsumers.rolesMatching('/path/') or KeyConsumers.taggedWith(key, value))]' on the key`);
    }
    const statement = this._keyPolicy.allow(sid, actionList, [principal], conditions);

    const resourceGrant = iam.Grant.addStatementToResourcePolicy({
      grantee, actions: [...actionList], resourceArns: [this.keyArn], resource: this, statement,
    });
    if (!this.isCrossAccount(principal)) { return resourceGrant; }
    return resourceGrant.combine(iam.Grant.addToPrincipal({ grantee, actions: [...actionList], resourceArns: [this.keyArn], conditions }));
  }

  /**
   * Use for a role or user of another stack of this account and Region, without naming it: the
   * key policy allows the account's principals only while they carry a tag of this key and
   * grant, the grantee gets that tag, and its identity policy the statement KMS also requires.
   * The key's stack never refers to the consumer's, so there is no cycle and no account-wide use.
   */
  private grantToConsumer(grantee: iam.IGrantable, consumer: iam.Role | iam.User, sid: string, actionList: readonly string[],
    conditions?: Record<string, Record<string, unknown>>): iam.Grant {
    const tag = consumerTagKey(this, sid);
    Tags.of(consumer).add(tag, 'true');
    const keyConditions = this.excludingAdministrators(withConsumerTag(conditions, tag));
    // One statement per grant kind: every consumer of it carries the same tag.
    const written = JSON.stringify([sid, actionList, keyConditions]);
    if (!this.consumerStatements.has(written)) {
      this.consumerStatements.add(written);
      this._keyPolicy.allow(`Consumers${sid}`, actionList, [new iam.AccountRootPrincipal()], keyConditions);
    }
    return iam.Grant.addToPrincipal({ grantee, actions: [...actionList], resourceArns: [this.keyArn], conditions });
  }

  /**
   * Use for a role of another stack that a declared rule covers: the rule's key-policy statement
   * admits it, so only its identity policy changes (and, for a tag rule, it gets the tag).
   */
  private grantToDeclaredConsumer(grantee: iam.IGrantable, consumer: iam.Role | iam.User, rule: PlacedRule, actionList: readonly string[],
    conditions?: Record<string, Record<string, unknown>>): iam.Grant {
    if (rule.tag) { Tags.of(consumer).add(rule.tag.key, rule.tag.value); }
    const unusable = actionList.filter((action) => !this.usageActions.includes(action));
    if (unusable.length > 0) {
      fail(this, `a grant to ${consumer.node.path}, a consumer under 'consumers', asks for ${unusable.join(', ')}, which the consumer rule does not allow. Allowed: the key's usage actions ${this.usageActions.join(', ')}`);
    }
    // CloudFormation cannot pass the key's ARN to another account: there the identity statement
    // names the keys of the key's account and Region, and the key policy's rule does the narrowing.
    const otherAccount = Token.compareStrings(Stack.of(consumer).account, Stack.of(this).account) === TokenComparison.DIFFERENT;
    const keyArn = otherAccount ? Stack.of(this).formatArn({ service: 'kms', resource: 'key', resourceName: '*' }) : this.keyArn;
    return iam.Grant.addToPrincipal({ grantee, actions: [...actionList], resourceArns: [keyArn], conditions });
  }

  /** Tag-narrowed use: no administrator of the key may use it, even one that tags itself. */
  private excludingAdministrators(conditions: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
    return withAdministratorExclusion(conditions, () => [
      ...this.accountStatementAdmits(),
      ...awsPrincipalsOf(this._keyPolicy.statement(KEY_POLICY_SIDS.keyAdministration)),
    ]);
  }

  /** Who a scoped account statement admits: its scope and this library's handler roles. */
  private accountStatementAdmits(): string[] {
    return [...this.accountStatementScope, ...this.handlerAdministrators.map((role) => role.roleArn)];
  }

  private isCrossAccount(principal: iam.IPrincipal): boolean {
    const account = principal.principalAccount;
    if (!account) { return false; }
    return Token.compareStrings(account, Stack.of(this).account) === TokenComparison.DIFFERENT;
  }

  private requireFamily(method: string, ...allowed: KeyFamily[]): void {
    if (!allowed.includes(this.family)) {
      fail(this, `${method}() is not possible on a key of type ${this.family}. Allowed key types: ${allowed.join(', ')}`);
    }
  }

}

/** A Sid-safe name for a service principal: `logs.amazonaws.com` becomes `LogsAmazonawsCom`. */
function sidSuffix(stack: Stack, servicePrincipal: string): string {
  if (Token.isUnresolved(servicePrincipal)) {
    return `Token${createHash('sha256').update(JSON.stringify(stack.resolve(servicePrincipal))).digest('hex').slice(0, 8)}`;
  }
  return servicePrincipal.split(/[^a-zA-Z0-9]+/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
