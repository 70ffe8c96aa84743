/**
 * Judges the cases of an access matrix (integ/support/matrices/) with @cloud-copilot/iam-simulate
 * (AGPL-3.0: test-only) on a key policy and a role's identity policies: the same requests the
 * checker function makes on AWS, with the request context each needs.
 */
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { AccessCase } from '../../integ/support/access-checker/access-case';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** A key and a principal, as the policies that decide a request stand. */
export interface JudgedParties {
  readonly key: { readonly arn: string; readonly policy: any };
  readonly role: { readonly arn: string; readonly policies: any[] };
}

export interface Judgement {
  /** The decision: the checked engine's, or the unchecked engine's when the checked one ignored context keys. */
  readonly decision: Decision;
  /** Context keys iam-simulate's checked mode dropped as not applicable (it does not know `kms:EncryptionContext:<key>`). */
  readonly ignoredContextKeys: string[];
  /** What the checked engine said without them. */
  readonly checkedDecision: Decision;
}

/**
 * How iam-simulate must decide a case: a refusal on AWS is a denial, and so is a case a grant
 * allows (the policies alone must refuse it); anything else needs Allowed.
 */
export function allowedByPolicy(check: AccessCase): boolean {
  return check.expected !== 'AccessDenied' && !check.throughGrant;
}

/** The request context of a case as KMS would give it. */
export function requestContextOf(check: AccessCase, principalArn: string): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {
    'aws:PrincipalArn': principalArn,
    'kms:CallerAccount': principalArn.split(':')[4],
  };
  const encryptionContext = check.encryptionContext ?? {};
  if (Object.keys(encryptionContext).length > 0) {
    context['kms:EncryptionContextKeys'] = Object.keys(encryptionContext);
    Object.entries(encryptionContext).forEach(([key, value]) => { context[`kms:EncryptionContext:${key}`] = value; });
  }
  if (check.viaService) { context['kms:ViaService'] = check.viaService; }
  if (check.action === 'kms:CreateGrant') { context['kms:GrantIsForAWSResource'] = String(check.grantIsForAwsResource ?? false); }
  return context;
}

/**
 * iam-simulate's decision on `check` between `parties`. Its checked mode (`runSimulation`)
 * validates the request and drops context keys it does not know for the action, among them
 * `kms:EncryptionContext:<key>`; when it drops any, `runUnsafeSimulation` (the same engine,
 * unvalidated) decides with the full context, and the judgement says which keys were dropped.
 */
export async function judge(check: AccessCase, parties: JudgedParties): Promise<Judgement> {
  const simulation = {
    request: {
      principal: parties.role.arn,
      action: check.action,
      resource: { resource: parties.key.arn, accountId: parties.key.arn.split(':')[4] },
      contextVariables: requestContextOf(check, parties.role.arn),
    },
    identityPolicies: parties.role.policies.map((policy, index) => ({ name: `identity${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: parties.key.policy,
  };
  const checked = await runSimulation(simulation, {});
  if (checked.resultType === 'error') { throw new Error(`iam-simulate rejected the request of '${check.title}': ${JSON.stringify(checked.errors)}`); }
  const ignoredContextKeys = checked.resultType === 'single' ? checked.result.ignoredContextKeys ?? [] : [];
  if (ignoredContextKeys.length === 0) {
    return { decision: checked.overallResult, ignoredContextKeys, checkedDecision: checked.overallResult };
  }
  // runUnsafeSimulation loads the resource policy without a name and then fails reading it;
  // a pre-validated policy carries one (the shape @cloud-copilot/iam-policy's loadPolicy accepts).
  const namedKeyPolicy = { __validated: true, policyDocument: parties.key.policy, metadata: { name: 'key policy' }, errors: [] };
  const decision = runUnsafeSimulation({ ...simulation, resourcePolicy: namedKeyPolicy as any }, {});
  return { decision, ignoredContextKeys, checkedDecision: checked.overallResult };
}
