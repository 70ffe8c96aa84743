import { CfnResource, Duration, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { fail } from '../errors';
import { isAcknowledged } from './private/acknowledgement';
import { ruleTarget } from './private/construct-targets';
import { Compliance, RuleResult } from './private/rule-result';
import { withRunCache } from './private/run-cache';
import { withSynthesizedTemplates } from './private/synthesized-templates';
import { PACK_NAME, RuleLevel, RuleRow, kmsRules } from './rule-table';
import { PENDING_WINDOW_DAYS, ROTATION_PERIOD_DAYS } from '../shared/kms-limits';

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
  public readonly name = PACK_NAME;
  private readonly table: RuleRow[];

  constructor(scope?: IConstruct, props: KmsChecksProps = {}) {
    super(scope, props);
    this.packName = PACK_NAME;
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

  /**
   * Not an aspect: refuses the cdk-nag 2 habit `Aspects.of(app).add(new KmsChecks(app))`.
   *
   * A cdk-nag 3 pack is a policy validation plugin. As an aspect it would check nothing, and
   * without this method CDK fails with `aspect.visit is not a function`. This method makes that
   * line fail at synth with the fix instead: `Validations.of(app).addPlugins(new KmsChecks(app))`.
   */
  public visit(node: IConstruct): void {
    fail(node, 'KmsChecks was added with Aspects.of(...).add(...), the cdk-nag 2 way. A cdk-nag 3 pack is a policy validation plugin: '
      + 'use Validations.of(app).addPlugins(new KmsChecks(app)) instead (needs aws-cdk-lib 2.258 or later).');
  }

  protected checkResource(node: CfnResource): void {
    for (const entry of this.table) {
      const ruleId = `${this.packName}-${entry.id}`;
      this.applyRule({
        ruleSuffixOverride: entry.id,
        info: entry.info,
        explanation: entry.explanation,
        level: entry.level === RuleLevel.WARNING ? NagMessageLevel.WARN : NagMessageLevel.ERROR,
        rule: (resource) => this.unlessAcknowledged(resource, ruleId, (cfn) => nagResult(entry.rule(ruleTarget(cfn)))),
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

/** A rule's answer in cdk-nag's terms: findings become `Rule[id]` suffixes. */
function nagResult(result: RuleResult): NagRuleResult {
  switch (result) {
    case Compliance.COMPLIANT: return NagRuleCompliance.COMPLIANT;
    case Compliance.NON_COMPLIANT: return NagRuleCompliance.NON_COMPLIANT;
    case Compliance.NOT_APPLICABLE: return NagRuleCompliance.NOT_APPLICABLE;
    default: return [...new Set(result.map((finding) => finding.id))];
  }
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
