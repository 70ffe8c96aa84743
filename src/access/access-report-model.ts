import { AccessDecision } from './evaluator';

/** What one principal can do in one capability (administer, use, grant or delete), and why. */
export interface CapabilityAccess {
  /** The strongest decision over the capability's actions (ALLOWED, then CONDITIONAL, then CANNOT_EVALUATE...). */
  readonly decision: AccessDecision;
  /** The actions that reach that decision. */
  readonly actions: string[];
  /** The deciding statements, e.g. `key policy statement 1 (Sid KeyAdministration)`. */
  readonly statements: string[];
  /**
   * For a CONDITIONAL decision, the conditions the deciding statements leave open, e.g.
   * `ArnLike aws:PrincipalArn arn:aws:iam::111111111111:role/app/orders/*`.
   * @default - none: the decision is not CONDITIONAL
   */
  readonly conditions?: string[];
  /** One human sentence for the first action. */
  readonly reason: string;
}

/** One row of the matrix: a principal and its four capabilities on a key. */
export interface PrincipalAccess {
  /**
   * Canonical principal: an ARN or `${Logical.Arn}`, `service:<name>`, or `*` for any principal.
   * Consumers a statement admits by condition appear as the `aws:PrincipalArn` pattern it names
   * (`arn:aws:iam::111111111111:role/app/orders/*`) or as `arn:aws:iam::<account>:*` (a tag);
   * their identity policies are in their own stacks and count as conditional.
   */
  readonly principal: string;
  /** Changing the key or its policy (PutKeyPolicy, DisableKey, rotation, aliases...). */
  readonly administer: CapabilityAccess;
  /** The cryptographic operations. */
  readonly use: CapabilityAccess;
  /** kms:CreateGrant. */
  readonly grant: CapabilityAccess;
  /** kms:ScheduleKeyDeletion, or kms:DeleteImportedKeyMaterial (the key is unusable without its material). */
  readonly delete: CapabilityAccess;
  /**
   * The principal may both administer and use the key (separation of duties broken), judged as the
   * key constructs' own check judges it: use narrowed by a tag or a role path does not count against
   * administration narrowed by `aws:PrincipalArn` to named roles the path cannot match (each such
   * role is a row of its own), nor use by a named principal narrowed by a tag.
   * @default false
   */
  readonly mayAdministerAndUse?: boolean;
}

/** The access matrix of one key. */
export interface KeyAccess {
  /** Stack (artifact) name. */
  readonly stack: string;
  /** Logical id of the key. */
  readonly logicalId: string;
  /** Construct path. @default - the template carries no path metadata */
  readonly path?: string;
  /** CloudFormation type. */
  readonly type: string;
  /** Principals that can do anything with the key (rows where everything is denied are left out). */
  readonly principals: PrincipalAccess[];
  /** The key's grants declared in the template: a source of access of their own, outside the key policy. */
  readonly grants: GrantAccess[];
  /** Values that could not be evaluated, with the statement index. */
  readonly problems: string[];
}

/** One KMS grant on a key, as the template declares it. */
export interface GrantAccess {
  /** Logical id of the grant resource. */
  readonly logicalId: string;
  /** Construct path. @default - the template carries no path metadata */
  readonly path?: string;
  /** Canonical grantee (`${Role.Arn}`, an ARN), or the template value when it cannot be read at synth. */
  readonly grantee: string;
  /** The grant operations. */
  readonly operations: string[];
  /** The encryption context constraint, e.g. `EncryptionContextSubset {"tenant":"acme"}`. @default - none */
  readonly constraints?: string;
  /** Canonical retiring principal. @default - none */
  readonly retiringPrincipal?: string;
}

/** The whole report: every key of the templates it was built from. */
export interface AccessReportDocument {
  /** The keys. */
  readonly keys: KeyAccess[];
}

/** A template to report on. */
export interface ReportTemplate {
  /** Stack (artifact) name. */
  readonly stackName: string;
  /** The synthesized template. */
  readonly template: any;
  /** Account of the stack. @default '${AWS::AccountId}' */
  readonly account?: string;
}
