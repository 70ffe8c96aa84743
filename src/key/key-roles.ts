import { aws_iam as iam } from 'aws-cdk-lib';
import type { AccountAdministration } from './account-administration';
import type { KeyConsumers } from './key-consumers';

/**
 * Who administers a key and who uses it. Shared by every key construct of this library, so a
 * primary, its replicas and HSM-backed keys follow one role model.
 */
export interface KeyRolesProps {
  /**
   * An existing role to name as key administrator.
   *
   * Administrators manage the key (policy, aliases, tags, rotation, deletion) and get no
   * cryptographic use of it.
   *
   * @default - a new role, assumable by `roleTrustPrincipal`, unless `createRoles` is false
   */
  readonly adminRole?: iam.IRole;

  /**
   * An existing role to name as key user.
   *
   * Users get the cryptographic actions of the key's type and may create grants for AWS
   * resources (`kms:GrantIsForAWSResource`), and no administrative action.
   *
   * @default - a new role, assumable by `roleTrustPrincipal`, unless `createRoles` is false
   */
  readonly userRole?: iam.IRole;

  /**
   * Whether to create an `AdminRole` and a `UserRole` for the roles not given as `adminRole` /
   * `userRole`.
   *
   * With false the key policy names only the principals you give (`adminRole`, `userRole`,
   * `administrators`, `users`), the grantees of grant methods and, with `accountAdministration`,
   * the account for administration. Use it for keys whose principals are services or roles that
   * already exist, so the account does not collect roles nobody assumes. The keys this library
   * creates for its own plumbing (an EncryptedBucket's default key, the deletion monitor's key)
   * create no roles.
   *
   * @default true
   */
  readonly createRoles?: boolean;

  /**
   * More principals to name as key administrators, besides `adminRole`.
   *
   * @default - none
   */
  readonly administrators?: iam.IPrincipal[];

  /**
   * More principals to name as key users, besides `userRole`.
   *
   * @default - none
   */
  readonly users?: iam.IPrincipal[];

  /**
   * Rules for who else may use the key: roles under a path or with a tag, of this account or of
   * another (`KeyConsumers.inAccount`). Each rule is one key-policy statement for the account
   * principal under `aws:PrincipalArn` or `aws:PrincipalTag`. A grant to a role of another stack
   * that a rule covers writes only the role's identity policy. Whoever may create roles under the
   * path, or tag roles with the tag, decides who is a consumer: keep that with the platform team.
   * A rule that could match an administrator of the key is refused, and a tag rule's statement
   * excludes the key's administrators by `aws:PrincipalArn`, so tagging one gives it no use. A
   * replica of a primary of this app keeps the primary's rules and adds its own.
   *
   * @default - none: a grant to a role of another stack of this account and Region admits it by a
   * tag of the library's (`kms-consumer-<key hash>-<grant>`)
   */
  readonly consumers?: KeyConsumers[];

  /**
   * Who may assume the roles this construct creates. Ignored for roles you pass in.
   *
   * @default - the account of the stack (`iam.AccountRootPrincipal`), so IAM policies in the
   * account decide who may assume them
   */
  readonly roleTrustPrincipal?: iam.IPrincipal;

  /**
   * Whether the key policy has an `AccountAdministration` statement: administrative actions
   * (never use) for IAM principals of the key's account, narrowed by `accountAdministrationScope`.
   * It keeps CloudFormation able to update the key policy later: KMS refuses a policy that would
   * not let the deployment role call PutKeyPolicy again (the lockout safety check).
   *
   * With `false` only the named administrators can manage the key. `administrators` must then
   * include the role CloudFormation deploys with, or KMS refuses the policy.
   *
   * @default true
   */
  readonly accountAdministration?: boolean;

  /**
   * Which IAM principals of the account the `AccountAdministration` statement admits.
   *
   * - `AccountAdministration.deploymentRoleOnly()`: the stack's CloudFormation execution role.
   * - `AccountAdministration.restrictedTo(...principals)`: the principals you name.
   * - `AccountAdministration.wholeAccount()`: every IAM principal of the account whose identity
   *   policy allows it. kms:PutKeyPolicy is delegated to IAM with it, so a principal with
   *   `kms:*` in its identity policy can rewrite the key policy and grant itself use: separation
   *   of duties then rests on every identity policy of the account.
   *
   * The roles this library's own handlers use (CloudHsmKey, XksKey) are admitted in every mode.
   *
   * @default - `deploymentRoleOnly()` where the stack's synthesizer names a CloudFormation
   * execution role (DefaultStackSynthesizer, the CDK default); `wholeAccount()` otherwise
   * (LegacyStackSynthesizer, CliCredentialsStackSynthesizer deploy with the caller's
   * credentials, which the key policy cannot name)
   */
  readonly accountAdministrationScope?: AccountAdministration;
}
