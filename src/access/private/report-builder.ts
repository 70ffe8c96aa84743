import { AccessReportDocument, CapabilityAccess, GrantAccess, KeyAccess, PrincipalAccess, ReportTemplate } from '../access-report-model';
import { AccessDecision, AccessResult, KeyPolicyEvaluator, describeStatement } from '../evaluator';
import { describeConstraints } from '../grant-policy';
import { GrantInTemplate, KeyInTemplate, readTemplate } from '../template-model';
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
    const resourcesOf = identityResources(model.identityPolicies);
    for (const key of model.keys) {
      keys.push(keyAccess(stackName, account ?? '${AWS::AccountId}', key, model.identityPolicies, resourcesOf));
    }
  }
  return { keys };
}

function keyAccess(stack: string, account: string, key: KeyInTemplate, identityPolicies: { [principal: string]: any[] },
  resourcesOf: Map<string, Set<string>>): KeyAccess {
  // Only identity policies that can name this key matter to it; the others are skipped unread.
  const relevant: { [principal: string]: any[] } = {};
  for (const [principal, resources] of resourcesOf) {
    if (resources.has(key.arn) || resources.has(OPEN)) { relevant[principal] = identityPolicies[principal]; }
  }
  const evaluator = new KeyPolicyEvaluator({
    keyPolicy: key.keyPolicy, keyAccount: account, keyArn: key.arn, identityPolicies: relevant, grants: key.grants,
  });
  const principals: PrincipalAccess[] = [];
  for (const principal of evaluator.principals()) {
    const [administer, use, grant, deleteAccess] = CAPABILITIES.map((capability) => capabilityAccess(evaluator, principal, capability));
    if ([administer, use, grant, deleteAccess].every((access) => DENIED.has(access.decision))) { continue; }
    principals.push({ principal, administer, use, grant, delete: deleteAccess });
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

function capabilityAccess(evaluator: KeyPolicyEvaluator, principal: string, capability: Capability): CapabilityAccess {
  const byDecision = new Map<AccessDecision, { actions: string[]; results: Set<AccessResult> }>();
  for (const action of capability.actions) {
    const result = evaluator.evaluate({ principal, action });
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
  results.forEach((result) => result.statements.forEach((statement) => statements.add(describeStatement(statement))));
  return { decision, actions, statements: [...statements], reason: [...results][0].reason };
}

/** Marks an identity policy whose Resources include '*', a wildcard, a literal ARN or an unknown value. */
const OPEN = '\u0000open';

/** The Resource values of each principal's identity policies, as far as they name keys of the template. */
function identityResources(identityPolicies: { [principal: string]: any[] }): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const [principal, policies] of Object.entries(identityPolicies)) {
    const resources = new Set<string>();
    for (const policy of policies) {
      const statements = policy?.Statement;
      for (const statement of Array.isArray(statements) ? statements : [statements]) {
        if (typeof statement !== 'object' || statement === null || !('Resource' in statement)) { resources.add(OPEN); continue; }
        const values = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        for (const value of values) {
          const text = canonicalValue(value);
          resources.add(text !== undefined && /^\$\{[^}]+\}$/.test(text) ? text : OPEN);
        }
      }
    }
    result.set(principal, resources);
  }
  return result;
}
