import { CfnResource, Duration, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { fail } from '../errors';
import { isAcknowledged } from './private/acknowledgement';
import { withRunCache } from './private/run-cache';
import { withSynthesizedTemplates } from './private/synthesized-templates';
import * as rules from './rules';
import { PENDING_WINDOW_DAYS, ROTATION_PERIOD_DAYS } from '../shared/validation';

/** Properties of {@link KmsChecks}. */
export interface KmsChecksProps extends NagPackProps {
  /**
   * The longest automatic rotation period a key may have (KMS allows 90 to 2560 days).
   *
   * @default Duration.days(365) - KMS's own default and the yearly rotation most standards ask for
   */
  readonly maximumRotationPeriod?: Duration;

  /**
   * The shortest pending window (wait between scheduling deletion and deletion) a key may have.
   * KMS allows 7 to 30 days.
   *
   * The default is the maximum KMS allows: the window is the only undo for a deletion, and
   * the deletion monitor alarms on use of the key during it, so a longer window also catches
   * jobs that run monthly. A shorter window buys nothing but a faster deletion.
   *
   * @default Duration.days(30)
   */
  readonly minimumPendingWindow?: Duration;

  /**
   * Whether buckets encrypted with SSE-KMS must name a customer managed key rather than
   * use the AWS managed `aws/s3` key.
   *
   * @default true
   */
  readonly requireCustomerManagedKeyForS3?: boolean;

  /**
   * Whether to warn about customer managed keys in an app that has no alarm on use of a key
   * pending deletion (an AWS::Logs::MetricFilter with the KMS Developer Guide's pattern).
   *
   * @default true
   */
  readonly deletionMonitorWarning?: boolean;
}

/** One row of the rule table. */
interface KmsRule {
  readonly id: string;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
  readonly rule: (node: CfnResource) => NagRuleResult;
}

/**
 * A cdk-nag 3 rule pack for KMS keys and the resources that use them.
 *
 * It reads the synthesized template, so it checks keys made by any means: this library's
 * constructs, `kms.Key`, `CfnKey`, replicas, custom-resource keys and CfnInclude'd templates.
 *
 * Register it with `Validations.of(app).addPlugins(new KmsChecks(app))`: `cdk synth` then
 * fails on any error-level finding and prints the report. Warnings are reported without failing
 * synth. Acknowledge a finding with `Validations.of(construct).acknowledge({ id, reason })`;
 * the bare rule id (`KmsChecks-KeyRetained`) covers all its findings on that construct.
 *
 * @see https://github.com/cdk-kms-patterns/cdk-kms-patterns/blob/main/RULES.md
 */
export class KmsChecks extends NagPack {
  public readonly name = 'KmsChecks';
  private readonly table: KmsRule[];

  constructor(scope?: IConstruct, props: KmsChecksProps = {}) {
    super(scope, props);
    this.packName = 'KmsChecks';
    const maximumRotationDays = wholeDays(scope, 'maximumRotationPeriod', props.maximumRotationPeriod, ROTATION_PERIOD_DAYS);
    const minimumPendingDays = wholeDays(scope, 'minimumPendingWindow', props.minimumPendingWindow, PENDING_WINDOW_DAYS);
    this.table = kmsRules({
      maximumRotationDays,
      minimumPendingDays,
      requireCustomerManagedKeyForS3: props.requireCustomerManagedKeyForS3 ?? true,
      deletionMonitorWarning: props.deletionMonitorWarning ?? true,
    });
  }

  /**
   * Called by CDK during synth, after the templates are written: the rules read resources from
   * those files rather than rendering every resource of the app a second time.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return withSynthesizedTemplates(context.templatePaths, () => super.validate(context));
  }

  /** Runs the pack over `scope`. Only error-level findings make the report unsuccessful. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    const report = withRunCache(() => super.validateScope(scope));
    return { ...report, success: report.violations.every((violation) => violation.severity === 'warning') };
  }

  protected checkResource(node: CfnResource): void {
    for (const entry of this.table) {
      const ruleId = `${this.packName}-${entry.id}`;
      this.applyRule({
        ruleSuffixOverride: entry.id,
        info: entry.info,
        explanation: entry.explanation,
        level: entry.level,
        rule: (resource) => this.unlessAcknowledged(resource, ruleId, entry.rule),
        node,
      });
    }
  }

  /**
   * The rule's result, or NOT_APPLICABLE when the rule is acknowledged on the resource. Rules are
   * pure, so the acknowledgement (a walk up the tree) is read only when the rule finds something
   * or throws: the report is the same as checking it first, at a fraction of the cost.
   */
  private unlessAcknowledged(resource: CfnResource, ruleId: string, rule: (node: CfnResource) => NagRuleResult): NagRuleResult {
    let result: NagRuleResult;
    try {
      result = rule(resource);
    } catch (error) {
      if (isAcknowledged(resource, this.name, ruleId)) { return NagRuleCompliance.NOT_APPLICABLE; }
      throw error;
    }
    if (result === NagRuleCompliance.COMPLIANT || result === NagRuleCompliance.NOT_APPLICABLE) { return result; }
    return isAcknowledged(resource, this.name, ruleId) ? NagRuleCompliance.NOT_APPLICABLE : result;
  }
}

interface RuleSettings {
  readonly maximumRotationDays: number;
  readonly minimumPendingDays: number;
  readonly requireCustomerManagedKeyForS3: boolean;
  readonly deletionMonitorWarning: boolean;
}

/** The rule table. RULES.md lists the same rows for people. */
function kmsRules(settings: RuleSettings): KmsRule[] {
  const { ERROR, WARN } = NagMessageLevel;
  const table: Array<KmsRule | false> = [
    {
      id: 'KeyRotationEnabled',
      level: ERROR,
      rule: rules.keyRotationEnabled,
      info: 'The symmetric KMS key does not rotate its key material automatically.',
      explanation: 'Rotation limits how much data one key version protects and is required by most standards (CIS, PCI DSS, NIST). Set EnableKeyRotation: true (CustomerManagedKey does by default).',
    },
    {
      id: 'KeyRotationPeriodWithinMaximum',
      level: ERROR,
      rule: rules.keyRotationPeriodWithinMaximum(settings.maximumRotationDays),
      info: `The KMS key rotates less often than every ${settings.maximumRotationDays} days.`,
      explanation: 'A long rotation period lets one key version protect more data for longer. Lower RotationPeriodInDays (CustomerManagedKey rotationPeriod).',
    },
    {
      id: 'KeyPendingWindowAtLeastMinimum',
      level: ERROR,
      rule: rules.keyPendingWindowAtLeastMinimum(settings.minimumPendingDays),
      info: `The KMS key's pending deletion window is shorter than ${settings.minimumPendingDays} days.`,
      explanation: 'The pending window is the only way to undo a scheduled deletion; once it ends, every piece of data encrypted under the key is lost. Raise PendingWindowInDays (CustomerManagedKey pendingWindow).',
    },
    {
      id: 'KeyRetained',
      level: ERROR,
      rule: rules.keyRetained,
      info: 'The KMS key or alias is not RETAINed when it leaves the stack or is replaced.',
      explanation: 'With DeletionPolicy or UpdateReplacePolicy Delete, removing the resource or a replacing change schedules the key for deletion or removes the alias applications resolve. Use RemovalPolicy.RETAIN on keys and their aliases.',
    },
    {
      id: 'KeyPolicyLockoutSafetyCheckKept',
      level: ERROR,
      rule: rules.keyPolicyLockoutSafetyCheckKept,
      info: 'The KMS key sets BypassPolicyLockoutSafetyCheck to true.',
      explanation: 'The safety check stops a key policy that would leave nobody able to change it. Bypassing it risks a key that only AWS Support can recover. Remove BypassPolicyLockoutSafetyCheck.',
    },
    {
      id: 'KeyPolicyNotLockedOut',
      level: ERROR,
      rule: rules.keyPolicyNotLockedOut,
      info: 'No principal can change the KMS key policy (kms:PutKeyPolicy): the key is locked out.',
      explanation: 'A key nobody can administer cannot be fixed, rotated out or deleted without AWS Support. Allow kms:PutKeyPolicy to a key administrator, or to the account root so IAM can delegate administration.',
    },
    {
      id: 'KeyPolicyNoRootFullAccess',
      level: ERROR,
      rule: rules.keyPolicyNoRootFullAccess,
      info: 'The KMS key policy allows the account root every KMS action without conditions.',
      explanation: 'The root statement hands the decision to IAM: any principal of the account whose identity policy allows it may both administer and use the key, so separation of duties depends on every IAM policy in the account. Delegate administration actions only (CustomerManagedKey accountAdministration) and name key users explicitly.',
    },
    {
      id: 'KeyAdminAndUseSeparated',
      level: ERROR,
      rule: rules.keyAdminAndUseSeparated,
      info: 'A principal can both administer and use the KMS key.',
      explanation: 'A principal that can change the key policy and decrypt can grant itself anything and erase the evidence; auditors expect two different principals. Give administrators and users different roles (CustomerManagedKey adminRole / userRole).',
    },
    {
      id: 'KeyPolicyWildcardPrincipalRestricted',
      level: ERROR,
      rule: rules.keyPolicyWildcardPrincipalRestricted,
      info: 'The KMS key policy allows a wildcard principal (*) without a condition that limits who.',
      explanation: 'Principal "*" means any AWS principal in any account. Add a condition that narrows it: kms:CallerAccount, aws:PrincipalOrgID, aws:PrincipalAccount, kms:ViaService or aws:SourceAccount, or name the principals.',
    },
    {
      id: 'KeyCreateGrantForAwsResourcesOnly',
      level: ERROR,
      rule: rules.keyCreateGrantForAwsResourcesOnly,
      info: 'A principal that does not administer the KMS key may create grants for anyone.',
      explanation: 'kms:CreateGrant without the condition "Bool": {"kms:GrantIsForAWSResource": true} lets a key user hand use of the key to any principal, outside the key policy and its review. Add the condition (CustomerManagedKey does for its users).',
    },
    {
      id: 'KeyPolicyEvaluable',
      level: ERROR,
      rule: rules.keyPolicyEvaluable,
      info: 'The KMS key policy, or an identity policy beside it, holds a value that cannot be evaluated at synth.',
      explanation: 'Values built with Fn::If, Fn::ImportValue, Fn::Select or parameters are only known at deploy time, so the policy rules cannot vouch for the policy. Use values known at synth, or acknowledge the finding after reviewing the deployed policy.',
    },
    {
      id: 'IamNoKmsWildcardOnAllResources',
      level: ERROR,
      rule: rules.iamNoKmsWildcardOnAllResources,
      info: 'An identity policy allows kms:* or kms:Decrypt on every key (Resource "*").',
      explanation: 'Combined with the account-root statement most key policies have, it lets the principal use or administer every key of the account. Name the key ARNs, or narrow with kms:ViaService, kms:ResourceAliases or aws:ResourceTag conditions.',
    },
    {
      id: 'S3BucketKeyEnabled',
      level: ERROR,
      rule: rules.s3BucketKeyEnabled,
      info: 'The SSE-KMS bucket does not use an S3 Bucket Key.',
      explanation: 'Without a Bucket Key every object request calls KMS, which costs up to 100 times more and can hit KMS request quotas. Set BucketKeyEnabled: true (s3.Bucket bucketKeyEnabled).',
    },
    settings.requireCustomerManagedKeyForS3 && {
      id: 'S3BucketCustomerManagedKey',
      level: ERROR,
      rule: rules.s3BucketCustomerManagedKey,
      info: 'The SSE-KMS bucket is encrypted with the AWS managed aws/s3 key.',
      explanation: 'The key policy of an AWS managed key cannot be changed, so access to the key cannot be separated, restricted or shared across accounts. Set KMSMasterKeyID to a customer managed key.',
    },
    settings.deletionMonitorWarning && {
      id: 'KeyDeletionMonitored',
      level: WARN,
      rule: rules.keyDeletionMonitored,
      info: 'The app has customer managed KMS keys but no alarm on use of a key pending deletion.',
      explanation: 'A key scheduled for deletion can still be saved during its pending window, if someone notices it is still in use. Add a metric filter with the pattern { $.eventSource = kms* && $.errorMessage = "* is pending deletion."} on a CloudTrail log group, and an alarm (KeyDeletionMonitor does both).',
    },
  ];
  return table.filter((entry): entry is KmsRule => entry !== false);
}

/** Checks a Duration prop against KMS's bounds and returns it in whole days. */
function wholeDays(scope: IConstruct | undefined, prop: string, value: Duration | undefined,
  bounds: { readonly min: number; readonly max: number; readonly default: number }): number {
  const days = value?.toDays({ integral: false }) ?? bounds.default;
  if (Number.isInteger(days) && days >= bounds.min && days <= bounds.max) { return days; }
  const message = `KmsChecks '${prop}' value must be a whole number of days between ${bounds.min} and ${bounds.max}. Received: ${days} days`;
  // Without a scope (`new KmsChecks().validateScope(app)` in tests) there is no path to name.
  if (scope) { fail(scope, message); }
  throw new Error(message);
}
