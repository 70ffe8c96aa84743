import { AccessReportDocument, CapabilityAccess, GrantAccess, KeyAccess, PrincipalAccess, ReportTemplate } from '../access-report-model';
import { AccessDecision, AccessResult, KeyPolicyEvaluator, describeStatement } from '../evaluator';
import { describeConstraints } from '../grant-policy';
import { dutiesOf } from '../separation-of-duties';
import { GrantInTemplate, KeyInTemplate, identityPoliciesFor, readTemplate } from '../template-model';
import { canonicalValue } from '../template-values';
import { CAPABILITIES, Capability } from './capabilities';

/** The order in which a capability's decisions win: any ALLOWED action makes the principal able. */
const STRENGTH = [
  AccessDecision.ALLOWED, AccessDecision.CONDITIONAL, AccessDecision.CANNOT_EVALUATE, AccessDecision.EXPLICIT_DENY, AccessDecision.IMPLICIT_DENY,
];
const DENIED = new Set([AccessDecision.EXPLICIT_DENY, AccessDecision.IMPLICIT_DENY]);

/** Builds the access matrix of every key in `templates`. */
export function buildReport(templates: ReportTemplate[]): AccessReportDocument {
  const keys: KeyAccess[] = [];
  for (const { stackName, template, account } of templates) {
    const model = readTemplate(template);
    for (const key of model.keys) {
      keys.push(keyAccess(stackName, account ?? '${AWS::AccountId}', key, identityPoliciesFor(model, key.arn)));
    }
  }
  return { keys };
}

function keyAccess(stack: string, account: string, key: KeyInTemplate, identityPolicies: { [principal: string]: any[] }): KeyAccess {
  const evaluator = new KeyPolicyEvaluator({
    keyPolicy: key.keyPolicy, keyAccount: account, keyArn: key.arn, identityPolicies, grants: key.grants,
  });
  const principals: PrincipalAccess[] = [];
  // Consumers admitted by a condition (a role path, a tag) have their identity policies in their own stacks.
  const asked = [
    ...evaluator.principals().map((principal) => ({ principal, elsewhere: false })),
    ...evaluator.conditionalPrincipals().map((principal) => ({ principal, elsewhere: true })),
  ];
  for (const { principal, elsewhere } of asked) {
    const [administer, use, grant, deleteAccess] = CAPABILITIES.map((capability) => capabilityAccess(evaluator, principal, capability, elsewhere));
    if ([administer, use, grant, deleteAccess].every((access) => DENIED.has(access.decision))) { continue; }
    const mayAdministerAndUse = dutiesOf(evaluator, { principal, elsewhere }).both;
    principals.push({ principal, administer, use, grant, delete: deleteAccess, mayAdministerAndUse });
  }
  const grants = key.grants.map(grantAccess);
  return { stack, logicalId: key.logicalId, path: key.path, type: key.type, principals, grants, problems: evaluator.problems };
}

function grantAccess(grant: GrantInTemplate): GrantAccess {
  const text = (value: unknown) => canonicalValue(value) ?? JSON.stringify(value);
  return {
    logicalId: grant.logicalId,
    path: grant.path,
    grantee: text(grant.granteePrincipal),
    operations: Array.isArray(grant.operations) ? grant.operations.map(text) : [text(grant.operations)],
    constraints: describeConstraints(grant.constraints),
    retiringPrincipal: grant.retiringPrincipal === undefined ? undefined : text(grant.retiringPrincipal),
  };
}

function capabilityAccess(evaluator: KeyPolicyEvaluator, principal: string, capability: Capability, elsewhere: boolean): CapabilityAccess {
  const byDecision = new Map<AccessDecision, { actions: string[]; results: Set<AccessResult> }>();
  for (const action of capability.actions) {
    const result = evaluator.evaluate({ principal, action, identityPoliciesElsewhere: elsewhere || undefined });
    let entry = byDecision.get(result.decision);
    if (!entry) {
      entry = { actions: [], results: new Set() };
      byDecision.set(result.decision, entry);
    }
    entry.actions.push(action);
    entry.results.add(result);
  }
  const decision = STRENGTH.find((candidate) => byDecision.has(candidate))!;
  const { actions, results } = byDecision.get(decision)!;
  // The evaluator hands out one answer object per distinct outcome, so this describes few statements.
  const statements = new Set<string>();
  const conditions = new Set<string>();
  results.forEach((result) => result.statements.forEach((statement) => {
    statements.add(describeStatement(statement));
    (statement.conditions ?? []).forEach((condition) => conditions.add(condition));
  }));
  return {
    decision,
    actions,
    statements: [...statements],
    conditions: decision === AccessDecision.CONDITIONAL ? [...conditions] : undefined,
    reason: [...results][0].reason,
  };
}
