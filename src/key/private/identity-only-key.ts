import { ArnFormat, Resource, Stack, Token, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { grantSid } from './grant-actions';
import { fail, received } from '../../errors';
import * as actions from '../../shared/actions';
import { grantIdentityHalf } from '../../shared/identity-half';

/**
 * A key this app refers to but whose key policy it does not write. Every grant goes to the
 * grantee's identity policy, with a warning that names the key-policy statement the key's owner
 * must add: KMS honours an identity policy only where the key policy allows it.
 */
abstract class IdentityOnlyKey extends Resource implements kms.IKey {
  public abstract readonly keyArn: string;
  public abstract readonly keyId: string;

  public get keyRef(): kms.KeyReference {
    return { keyArn: this.keyArn, keyId: this.keyId };
  }

  public addAlias(alias: string): kms.Alias {
    return fail(this, `addAlias(${received(alias)}) on a key this app imported. Allowed: aliases on keys this app creates; the key's owner adds aliases to it`);
  }

  /** The key policy is not this app's: nothing is added. */
  public addToResourcePolicy(_statement: iam.PolicyStatement, _allowNoOp?: boolean): iam.AddToResourcePolicyResult {
    return { statementAdded: false };
  }

  public grant(grantee: iam.IGrantable, ...actionList: string[]): iam.Grant {
    return grantIdentityHalf(this, {
      grantee,
      sid: grantSid(actionList),
      actions: actionList,
      resourceArns: [this.identityResource()],
      conditions: this.identityConditions(),
      keyLabel: this.label(),
    });
  }

  public grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...actions.DECRYPT_ACTIONS, ...actions.SHARED_READ_ACTIONS);
  }

  public grantEncrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...actions.ENCRYPT_ACTIONS, ...actions.SHARED_READ_ACTIONS);
  }

  public grantEncryptDecrypt(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...actions.ENCRYPT_ACTIONS, ...actions.DECRYPT_ACTIONS, ...actions.SHARED_READ_ACTIONS);
  }

  public grantSign(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...actions.SIGN_ACTIONS, ...actions.SHARED_READ_ACTIONS);
  }

  public grantVerify(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...actions.VERIFY_ACTIONS, 'kms:GetPublicKey', ...actions.SHARED_READ_ACTIONS);
  }

  public grantSignVerify(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...actions.SIGN_USAGE_ACTIONS);
  }

  public grantGenerateMac(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...actions.GENERATE_MAC_ACTIONS, ...actions.SHARED_READ_ACTIONS);
  }

  public grantVerifyMac(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, ...actions.VERIFY_MAC_ACTIONS, ...actions.SHARED_READ_ACTIONS);
  }

  /** What the identity statement names as resource. */
  protected abstract identityResource(): string;
  /** Conditions of the identity statement, if the resource alone does not pin the key. */
  protected abstract identityConditions(): Record<string, Record<string, unknown>> | undefined;
  /** The key as warnings name it. */
  protected abstract label(): string;
}

/** A key imported by ARN: the identity statement names that ARN. */
export class KeyImportedByArn extends IdentityOnlyKey {
  public readonly keyArn: string;
  public readonly keyId: string;

  constructor(scope: Construct, id: string, keyArn: string) {
    if (!Token.isUnresolved(keyArn) && !/^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(keyArn)) {
      fail(scope, `'keyArn' value ${received(keyArn)} is not a KMS key ARN. Allowed: arn:<partition>:kms:<region>:<account>:key/<key id> (for an alias use fromAliasName)`);
    }
    super(scope, id, { environmentFromArn: keyArn });
    this.keyArn = keyArn;
    this.keyId = Stack.of(this).splitArn(keyArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName ?? keyArn;
  }

  protected identityResource(): string { return this.keyArn; }
  protected identityConditions(): undefined { return undefined; }
  protected label(): string { return `key ${this.keyArn}`; }
}

/**
 * A key found by alias in this stack's account and Region. KMS authorizes on the key, not the
 * alias, so the identity statement names the Region's keys and conditions on the alias
 * (`kms:ResourceAliases`); `keyArn` is the alias ARN, which the encrypt and decrypt APIs accept.
 */
export class KeyImportedByAlias extends IdentityOnlyKey implements kms.IAlias {
  public readonly keyArn: string;
  public readonly keyId: string;
  public readonly aliasName: string;

  constructor(scope: Construct, id: string, aliasName: string) {
    super(scope, id);
    this.aliasName = aliasName;
    this.keyId = aliasName;
    this.keyArn = Stack.of(this).formatArn({ service: 'kms', resource: aliasName });
  }

  public get aliasRef(): kms.AliasReference {
    return { aliasName: this.aliasName };
  }

  public get aliasTargetKey(): kms.IKey {
    return fail(this, `'aliasTargetKey' of alias ${this.aliasName} is not known at synth: the alias was imported by name. Allowed: use the alias itself as the key`);
  }

  protected identityResource(): string {
    return Stack.of(this).formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
  }

  protected identityConditions(): Record<string, Record<string, unknown>> {
    return { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': this.aliasName } };
  }

  protected label(): string { return `the key behind ${this.aliasName}`; }
}
