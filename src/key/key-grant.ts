import * as path from 'path';
import { CustomResource, Names, Stack, Token, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { fail, received } from '../errors';
// Type only: ManagedKeyBase creates grants (grantWithConstraints), so it imports this file at runtime.
import type { ManagedKeyBase } from './managed-key-base';
import { principalArn, validateConstraints, validateOperations } from './private/grant-validation';
import { HandlerProvider } from '../shared/handler-provider';

/** An operation a KMS grant can allow. Grants never carry administrative actions. */
export enum GrantOperation {
  /** kms:Decrypt */
  DECRYPT = 'Decrypt',
  /** kms:Encrypt */
  ENCRYPT = 'Encrypt',
  /** kms:GenerateDataKey */
  GENERATE_DATA_KEY = 'GenerateDataKey',
  /** kms:GenerateDataKeyWithoutPlaintext */
  GENERATE_DATA_KEY_WITHOUT_PLAINTEXT = 'GenerateDataKeyWithoutPlaintext',
  /** kms:GenerateDataKeyPair */
  GENERATE_DATA_KEY_PAIR = 'GenerateDataKeyPair',
  /** kms:GenerateDataKeyPairWithoutPlaintext */
  GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT = 'GenerateDataKeyPairWithoutPlaintext',
  /** kms:ReEncryptFrom */
  RE_ENCRYPT_FROM = 'ReEncryptFrom',
  /** kms:ReEncryptTo */
  RE_ENCRYPT_TO = 'ReEncryptTo',
  /** kms:Sign (asymmetric signing keys) */
  SIGN = 'Sign',
  /** kms:Verify (asymmetric signing keys) */
  VERIFY = 'Verify',
  /** kms:GetPublicKey (asymmetric keys) */
  GET_PUBLIC_KEY = 'GetPublicKey',
  /** kms:GenerateMac (HMAC keys) */
  GENERATE_MAC = 'GenerateMac',
  /** kms:VerifyMac (HMAC keys) */
  VERIFY_MAC = 'VerifyMac',
  /** kms:DeriveSharedSecret (key agreement keys) */
  DERIVE_SHARED_SECRET = 'DeriveSharedSecret',
  /** kms:DescribeKey */
  DESCRIBE_KEY = 'DescribeKey',
  /** kms:CreateGrant: the grantee may create grants with the same or fewer operations and constraints at least as strict. */
  CREATE_GRANT = 'CreateGrant',
  /** kms:RetireGrant: the grantee may retire this grant. */
  RETIRE_GRANT = 'RetireGrant',
}

/** What a grant allows, to whom, and under which encryption context. */
export interface KeyGrantOptions {
  /** Who gets the operations: an IAM role or user, or an account, in any account. */
  readonly grantee: iam.IGrantable;

  /** The operations the grant allows. They must be operations of the key's type. */
  readonly operations: GrantOperation[];

  /**
   * Allow the operations only when the request's encryption context is exactly this one.
   * Symmetric encryption keys only; up to 8 pairs. Keys compare case-insensitively, values exactly.
   *
   * @default - no encryption context constraint
   */
  readonly encryptionContextEquals?: { [key: string]: string };

  /**
   * Allow the operations only when the request's encryption context includes these pairs.
   * Symmetric encryption keys only; up to 8 pairs. Keys compare case-insensitively, values exactly.
   *
   * @default - no encryption context constraint
   */
  readonly encryptionContextSubset?: { [key: string]: string };

  /**
   * A principal that may retire the grant (RetireGrant) besides the deployment, which revokes it.
   *
   * @default - none
   */
  readonly retiringPrincipal?: iam.IPrincipal;

  /**
   * The grant's name. KMS uses it to make retried creates return the same grant.
   *
   * @default - a name unique to this construct's path
   */
  readonly grantName?: string;
}

/** Properties of a {@link KeyGrant}. */
export interface KeyGrantProps extends KeyGrantOptions {
  /** The key the grant is on. The grant must be in the key's stack. */
  readonly key: kms.IKey;
}

/** Custom resource type of a grant; the access report and KmsChecks read grants by it. */
export const KEY_GRANT_RESOURCE_TYPE = 'Custom::KmsKeyGrant';

/**
 * A KMS grant, as a custom resource: CreateGrant on create, RevokeGrant on delete, and a new
 * grant (then the old one revoked) on any change.
 *
 * A grant gives narrow, revocable use of a key without editing the key policy, optionally only
 * under an encryption context. The key policy gets one statement that lets the deployment's
 * handler role create exactly this grant (grantee, operations, retiring principal and constraint
 * type pinned by conditions) and one that lets it revoke grants. Operations are checked against
 * the key type, administrative actions are refused, and for keys of this library a grantee that
 * also administers the key fails synth like any other user.
 *
 * KMS grants are eventually consistent: a new grant can take up to five minutes to work everywhere.
 */
export class KeyGrant extends Construct {
  /** The grant id. */
  public readonly grantId: string;
  /** The custom resource that manages the grant. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: KeyGrantProps) {
    super(scope, id);
    const key = props.key;
    if (Stack.of(key) !== Stack.of(this)) {
      fail(this, `'key' ${key.node.path} is in stack ${Stack.of(key).node.path}, not in this grant's stack ${Stack.of(this).node.path}. Allowed: a key of the same stack (create the grant with key.grantWithConstraints(), or in the key's stack)`);
    }
    const family = isManagedKey(key) ? key._keyFamily : undefined;
    const operations = validateOperations(this, props.operations, family);
    const constraints = validateConstraints(this, props, operations, family);
    const grantee = props.grantee.grantPrincipal;
    const granteeArn = principalArn(this, 'grantee', grantee);
    const retiringArn = props.retiringPrincipal ? principalArn(this, 'retiringPrincipal', props.retiringPrincipal) : undefined;
    if (props.grantName !== undefined && !Token.isUnresolved(props.grantName) && !/^[a-zA-Z0-9:/_-]{1,256}$/.test(props.grantName)) {
      fail(this, `'grantName' value ${received(props.grantName)} is not a KMS grant name. Allowed: 1 to 256 letters, digits, ":", "/", "_" and "-"`);
    }
    const name = props.grantName ?? Names.uniqueResourceName(this, { maxLength: 256, separator: '-' });

    const provider = HandlerProvider.of(this, {
      id: 'CdkKmsPatternsKeyGrantProvider',
      handlerDir: path.join(__dirname, 'handler'),
      module: 'key-grant',
      asynchronous: false,
      purpose: 'KMS grant',
    });
    allowGrantHandler(this, key, provider.handlerRole, {
      'StringEquals': {
        'kms:GranteePrincipal': granteeArn,
        ...(retiringArn ? { 'kms:RetiringPrincipal': retiringArn } : {}),
        ...(constraints ? { 'kms:GrantConstraintType': Object.keys(constraints)[0] } : {}),
      },
      'ForAllValues:StringEquals': { 'kms:GrantOperations': operations },
    });
    if (isManagedKey(key)) { key._registerGrant({ logicalId: this.node.path, path: this.node.path, granteePrincipal: granteeArn, operations }); }

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: KEY_GRANT_RESOURCE_TYPE,
      properties: {
        KeyArn: key.keyArn,
        GranteePrincipal: granteeArn,
        Operations: operations,
        RetiringPrincipal: retiringArn,
        Constraints: constraints,
        Name: name,
      },
    });
    this.resource.node.addDependency(provider.handlerRole);
    this.grantId = this.resource.ref;
  }
}

/** The revoke statement of each key, shared by all its grants. */
const REVOKE_STATEMENTS = new WeakMap<kms.IKey, iam.PolicyStatement>();

/**
 * Lets the handler role create this one grant (conditions pin it) and revoke grants on the key:
 * in the key policy where the key has one in this app, else in the role's identity policy (the
 * key policy must then delegate to IAM).
 */
function allowGrantHandler(grant: KeyGrant, key: kms.IKey, role: iam.Role, conditions: Record<string, Record<string, unknown>>): void {
  const sid = `KeyGrant${Names.uniqueId(grant).slice(-8)}`;
  const create = new iam.PolicyStatement({ sid, principals: [role], actions: ['kms:CreateGrant'], resources: ['*'], conditions });
  if (!key.addToResourcePolicy(create).statementAdded) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid, actions: ['kms:CreateGrant'], resources: [key.keyArn], conditions }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['kms:RevokeGrant'], resources: [key.keyArn] }));
    return;
  }
  const revoke = REVOKE_STATEMENTS.get(key);
  if (revoke) {
    revoke.addPrincipals(role);
    return;
  }
  const statement = new iam.PolicyStatement({ sid: 'KeyGrantRevocation', principals: [role], actions: ['kms:RevokeGrant'], resources: ['*'] });
  REVOKE_STATEMENTS.set(key, statement);
  key.addToResourcePolicy(statement);
}

/** A key of this library (CustomerManagedKey, ReplicaKey, CloudHsmKey...), told by what it has. */
function isManagedKey(key: kms.IKey): key is ManagedKeyBase {
  return typeof (key as Partial<ManagedKeyBase>)._registerGrant === 'function';
}
