import { PRINCIPAL_SELECTING_KEYS } from './private/conditions';
import { RuleResult } from './private/rule-result';
import { RuleTarget } from './private/rule-target';
import * as rules from './rules';
import { PENDING_WINDOW_DAYS, ROTATION_PERIOD_DAYS } from '../shared/kms-limits';

/**
 * The KmsChecks rule table: one source of truth for the cdk-nag plugin, the `check` CLI and
 * RULES.md (generated from it by scripts/generate-rules-md.ts).
 */

/** How serious a finding is: errors fail `cdk synth` and the CLI's default `--fail-on`. */
export enum RuleLevel {
  ERROR = 'Error',
  WARNING = 'Warning',
}

/** The pack's settings (KmsChecksProps, or the CLI's options), in whole days. */
export interface RuleSettings {
  readonly maximumRotationDays: number;
  readonly minimumPendingDays: number;
  readonly requireCustomerManagedKeyForS3: boolean;
  readonly deletionMonitorWarning: boolean;
}

/** One row of the table. */
export interface RuleRow {
  /** The rule's name; its id is `KmsChecks-<id>`. */
  readonly id: string;
  readonly level: RuleLevel;
  /** What is wrong, in one sentence: the finding's message. */
  readonly info: string;
  /** Why it matters and how to fix it. */
  readonly explanation: string;
  /** What exactly the rule checks, for RULES.md and SARIF help. */
  readonly checks: string;
  /** Which conditions count as narrowing the access the rule judges, for RULES.md and SARIF help. @default none: no condition changes the rule's answer */
  readonly narrowing?: string;
  readonly rule: (target: RuleTarget) => RuleResult;
}

export const PACK_NAME = 'KmsChecks';

/** The settings KmsChecks and the CLI use when nothing is configured. */
export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  maximumRotationDays: ROTATION_PERIOD_DAYS.default,
  minimumPendingDays: PENDING_WINDOW_DAYS.default,
  requireCustomerManagedKeyForS3: true,
  deletionMonitorWarning: true,
};

const names = (keys: readonly string[]) => keys.map((key) => `\`${key}\``).join(', ');
/** The root rules' narrowing: shared by the two rules that judge an account root's access. */
const ROOT_NARROWING = `Which principals of the account: a positive operator on ${names(PRINCIPAL_SELECTING_KEYS)}, or a Deny with a negated operator (\`StringNotEquals\`, \`ArnNotLike\`...) on one of them, with a value other than \`*\` or \`arn:aws:iam::<account>:*\`. Conditions on when or how (\`aws:SecureTransport\`, \`kms:ViaService\`, \`kms:EncryptionContext:<key>\`...) do not select principals of the account and do not count; nor do \`...IfExists\`, \`Null\` and \`ForAllValues:\` operators, which pass a request without the key.`;

/** The rules, in the order they are reported. Rules a setting turns off are left out. */
export function kmsRules(settings: RuleSettings): RuleRow[] {
  const { ERROR, WARNING } = RuleLevel;
  const table: Array<RuleRow | false> = [
    {
      id: 'KeyRotationEnabled',
      level: ERROR,
      rule: rules.keyRotationEnabled,
      info: 'The symmetric KMS key does not rotate its key material automatically.',
      explanation: 'Rotation limits how much data one key version protects and is required by most standards (CIS, PCI DSS, NIST). Set EnableKeyRotation: true (CustomerManagedKey does by default).',
      checks: 'A symmetric encryption key with `AWS_KMS` origin has `EnableKeyRotation: true`. HMAC, asymmetric, imported-material, replica and custom-key-store keys are not applicable.',
    },
    {
      id: 'KeyRotationPeriodWithinMaximum',
      level: ERROR,
      rule: rules.keyRotationPeriodWithinMaximum(settings.maximumRotationDays),
      info: `The KMS key rotates less often than every ${settings.maximumRotationDays} days.`,
      explanation: 'A long rotation period lets one key version protect more data for longer. Lower RotationPeriodInDays (CustomerManagedKey rotationPeriod).',
      checks: `A rotating key's \`RotationPeriodInDays\` (365 when absent) is at most ${settings.maximumRotationDays} days (\`maximumRotationPeriod\`, \`--max-rotation-days\`).`,
    },
    {
      id: 'KeyPendingWindowAtLeastMinimum',
      level: ERROR,
      rule: rules.keyPendingWindowAtLeastMinimum(settings.minimumPendingDays),
      info: `The KMS key's pending deletion window is shorter than ${settings.minimumPendingDays} days.`,
      explanation: 'The pending window is the only way to undo a scheduled deletion; once it ends, every piece of data encrypted under the key is lost. Raise PendingWindowInDays (CustomerManagedKey pendingWindow).',
      checks: `\`PendingWindowInDays\` (30 when absent) of a key or replica is at least ${settings.minimumPendingDays} days (\`minimumPendingWindow\`, \`--min-pending-days\`). Custom-resource keys are checked when they declare it.`,
    },
    {
      id: 'KeyRetained',
      level: ERROR,
      rule: rules.keyRetained,
      info: 'The KMS key or alias is not RETAINed when it leaves the stack or is replaced.',
      explanation: 'With DeletionPolicy or UpdateReplacePolicy Delete, removing the resource or a replacing change schedules the key for deletion or removes the alias applications resolve. Use RemovalPolicy.RETAIN on keys and their aliases.',
      checks: 'Keys, replicas, custom-resource keys and aliases have `DeletionPolicy` Retain (or RetainExceptOnCreate) and `UpdateReplacePolicy` Retain. Findings: `[DeletionPolicy]`, `[UpdateReplacePolicy]`.',
    },
    {
      id: 'KeyPolicyLockoutSafetyCheckKept',
      level: ERROR,
      rule: rules.keyPolicyLockoutSafetyCheckKept,
      info: 'The KMS key sets BypassPolicyLockoutSafetyCheck to true.',
      explanation: 'The safety check stops a key policy that would leave nobody able to change it. Bypassing it risks a key that only AWS Support can recover. Remove BypassPolicyLockoutSafetyCheck.',
      checks: '`BypassPolicyLockoutSafetyCheck` is not true.',
    },
    {
      id: 'KeyPolicyNotLockedOut',
      level: ERROR,
      rule: rules.keyPolicyNotLockedOut,
      info: 'No principal can change the KMS key policy (kms:PutKeyPolicy): the key is locked out.',
      explanation: 'A key nobody can administer cannot be fixed, rotated out or deleted without AWS Support. Allow kms:PutKeyPolicy to a key administrator, or to the account root so IAM can delegate administration.',
      checks: 'Some principal (a named one, or an IAM principal of the account through the root delegation) may call `kms:PutKeyPolicy`. A key without a `KeyPolicy` gets KMS\'s default policy, which passes.',
    },
    {
      id: 'KeyPolicyNoRootFullAccess',
      level: ERROR,
      rule: rules.keyPolicyNoRootFullAccess,
      info: 'The KMS key policy lets an account root both administer and use the key, without a condition that narrows which principals.',
      explanation: 'A statement to an account root hands the decision to IAM: any principal of that account whose identity policy allows it may both administer and use the key, so separation of duties depends on every IAM policy in the account (for another account\'s root: full control from outside). Delegate administration actions only (CustomerManagedKey accountAdministration), name key users explicitly, or narrow the statement to some principals.',
      checks: 'No account root, of the key\'s account or of another, may both administer and use the key, however the actions are written (`kms:*`, `*`, `NotAction`). A key without a `KeyPolicy` gets KMS\'s default policy (root `kms:*`) and fails. Access under a narrowing condition does not count. Finding: the root, `[arn:aws:iam::111111111111:root]`.',
      narrowing: ROOT_NARROWING,
    },
    {
      id: 'KeyAdminAndUseSeparated',
      level: ERROR,
      rule: rules.keyAdminAndUseSeparated,
      info: 'A principal can both administer and use the KMS key.',
      explanation: 'A principal that can change the key policy and decrypt can grant itself anything and erase the evidence; auditors expect two different principals. Give administrators and users different roles (CustomerManagedKey adminRole / userRole).',
      checks: 'No principal may both administer (change policy, disable, delete, aliases, tags, rotation...) and use (encrypt, decrypt, sign, MAC...) the key; conditional access counts. An account root\'s access under a narrowing condition belongs to the principals it selects, not to the root. Finding: the principal (`[${Role.Arn}]`, an ARN, `[*]`).',
      narrowing: ROOT_NARROWING,
    },
    {
      id: 'KeyPolicyWildcardPrincipalRestricted',
      level: ERROR,
      rule: rules.keyPolicyWildcardPrincipalRestricted,
      info: 'The KMS key policy allows a wildcard principal (*) without a condition that limits who.',
      explanation: 'Principal "*" means any AWS principal in any account. Add a condition that narrows it: kms:CallerAccount, aws:PrincipalOrgID, aws:PrincipalAccount, kms:ViaService or aws:SourceAccount, or name the principals.',
      checks: 'Principal `*` is allowed nothing unless a narrowing condition limits who. Finding: the statement (Sid or `StatementN`).',
      narrowing: `Who: a positive operator on ${names(rules.WHO_NARROWING_KEYS)}, with a value other than \`*\`. Negated, \`...IfExists\`, \`Null\` and \`ForAllValues:\` operators do not count.`,
    },
    {
      id: 'KeyCreateGrantForAwsResourcesOnly',
      level: ERROR,
      rule: rules.keyCreateGrantForAwsResourcesOnly,
      info: 'A principal that does not administer the KMS key may create grants for anyone.',
      explanation: 'kms:CreateGrant without the condition "Bool": {"kms:GrantIsForAWSResource": true} lets a key user hand use of the key to any principal, outside the key policy and its review. Add the condition (CustomerManagedKey does for its users), pin the grant to one grantee and its operations (KeyGrant does), and give no grant the CreateGrant operation.',
      checks: 'A principal that cannot call `kms:PutKeyPolicy` may call `kms:CreateGrant` only under `"Bool": {"kms:GrantIsForAWSResource": true}`, or for a pinned grant: `kms:GranteePrincipal` without wildcards and `ForAllValues:StringEquals` `kms:GrantOperations` without CreateGrant. A grant of the template (KeyGrant) with the CreateGrant operation is not restricted. Finding: the principal.',
    },
    {
      id: 'KeyPolicyEvaluable',
      level: ERROR,
      rule: rules.keyPolicyEvaluable,
      info: 'The KMS key policy, or an identity policy beside it, holds a value that cannot be evaluated at synth.',
      explanation: 'Values built with Fn::If, Fn::ImportValue, Fn::Select or parameters are only known at deploy time, so the policy rules cannot vouch for the policy. Use values known at synth, or acknowledge the finding after reviewing the deployed policy.',
      checks: 'Every value of the key policy and of the identity policies beside it can be read at synth. Finding: where, e.g. `[KeyPolicy.Statement1.Principal]`, `[IdentityPolicy0.Statement2.Action]`, `[KeyPolicy.Statement]`.',
    },
    {
      id: 'IamNoKmsWildcardOnAllResources',
      level: ERROR,
      rule: rules.iamNoKmsWildcardOnAllResources,
      info: 'An identity policy allows kms:* or kms:Decrypt on every key (Resource "*").',
      explanation: 'Combined with the account-root statement most key policies have, it lets the principal use or administer every key of the account. Name the key ARNs, or narrow with kms:ViaService, kms:ResourceAliases or aws:ResourceTag conditions.',
      checks: '`AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` and inline Role/User/Group policies do not allow `kms:*` or `kms:Decrypt` (after expanding `kms:De*`, `*`, `NotAction`) on `Resource: "*"`, or with a `NotResource` that leaves keys in, unless a narrowing condition limits which keys. A `Resource` that is a bare `Fn::ImportValue` is an ARN another stack exported (a key\'s, from the stack that owns it), not `*`. Finding: `[PolicyName.Sid]` (`StatementN` without a Sid).',
      narrowing: `Which keys: a positive operator on ${names(rules.KEY_NARROWING_KEYS)}, with a value other than \`*\`. Negated, \`...IfExists\`, \`Null\` and \`ForAllValues:\` operators do not count.`,
    },
    {
      id: 'S3BucketKeyEnabled',
      level: ERROR,
      rule: rules.s3BucketKeyEnabled,
      info: 'The SSE-KMS bucket does not use an S3 Bucket Key.',
      explanation: 'Without a Bucket Key every object request calls KMS, which costs up to 100 times more and can hit KMS request quotas. Set BucketKeyEnabled: true (s3.Bucket bucketKeyEnabled).',
      checks: 'An SSE-KMS (`aws:kms`) bucket sets `BucketKeyEnabled: true`. DSSE-KMS is not applicable (no Bucket Keys).',
    },
    settings.requireCustomerManagedKeyForS3 && {
      id: 'S3BucketCustomerManagedKey',
      level: ERROR,
      rule: rules.s3BucketCustomerManagedKey,
      info: 'The SSE-KMS bucket is encrypted with the AWS managed aws/s3 key.',
      explanation: 'The key policy of an AWS managed key cannot be changed, so access to the key cannot be separated, restricted or shared across accounts. Set KMSMasterKeyID to a customer managed key.',
      checks: 'An SSE-KMS or DSSE-KMS bucket names a key other than the AWS managed `aws/s3` key (no `KMSMasterKeyID`, `alias/aws/s3` or its ARN fail). Off with `requireCustomerManagedKeyForS3: false` (`--allow-aws-managed-s3-key`).',
    },
    settings.deletionMonitorWarning && {
      id: 'KeyDeletionMonitored',
      level: WARNING,
      rule: rules.keyDeletionMonitored,
      info: 'The app has customer managed KMS keys but no alarm on use of a key pending deletion.',
      explanation: 'A key scheduled for deletion can still be saved during its pending window, if someone notices it is still in use. Add a metric filter with the pattern { $.eventSource = kms* && $.errorMessage = "* is pending deletion."} on a CloudTrail log group, and an alarm (KeyDeletionMonitor does both).',
      checks: 'When the app (a cloud assembly, or one template file for the CLI) has customer managed keys, some stack of it has an `AWS::Logs::MetricFilter` whose `FilterPattern` is exactly `{ $.eventSource = kms* && $.errorMessage = "* is pending deletion."}`. Off with `deletionMonitorWarning: false` (`--no-deletion-monitor-warning`).',
    },
  ];
  return table.filter((entry): entry is RuleRow => entry !== false);
}
