/**
 * Property: whatever sequence of public calls builds a key (props, grants with mixed action lists,
 * account and root principals, addToResourcePolicy, aliases), the app is refused at synth, or its
 * key policy lets no principal both administer and use the key. The verdict comes from
 * @cloud-copilot/iam-simulate, not from the library's own evaluator.
 *
 * KMS_PATTERNS_PBT_RUNS (default 500) and KMS_PATTERNS_PBT_SEED (default 1212) run more or other
 * sequences; a failure prints the seed and path to replay it.
 */
import { App, Aws, Stack, aws_iam as iam } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { AccountAdministration, CloudHsmKey, CloudHsmKeyStore, CustomerManagedKey, KeyRolesProps, ManagedKeyBase, ReplicaKey } from '../../src';
import { ADMINISTRATIVE_ACTIONS, CRYPTOGRAPHIC_ACTIONS } from '../../src/shared/action-classes';
import { ACCOUNT, concrete, simulate } from '../support/policy-simulation';

const RUNS = Number(process.env.KMS_PATTERNS_PBT_RUNS ?? 500);
const SEED = Number(process.env.KMS_PATTERNS_PBT_SEED ?? 1212);
const REGION = 'eu-west-1';
const EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-${REGION}`;
const PRIMARY_ARN = `arn:aws:kms:eu-central-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;

/** Principals a call can name; built in the key's stack, so roles are real constructs. */
const PRINCIPALS = ['roleA', 'roleB', 'ops', 'opsPartition', 'root', 'account', 'appConsumers', 'cdkConsumers', 'adminRole', 'userRole'] as const;
type PrincipalName = typeof PRINCIPALS[number];
const ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion',
  'kms:PutKeyPolicy', 'kms:DisableKey', 'kms:GetKeyPolicy', 'kms:ListResourceTags', 'kms:*'];

type Call =
  | { kind: 'grant'; principal: PrincipalName; actions: string[] }
  | { kind: 'grantDecrypt' | 'grantEncryptDecrypt' | 'grantAdminister'; principal: PrincipalName }
  | { kind: 'addToResourcePolicy'; principal: PrincipalName; actions: string[] }
  | { kind: 'addAlias'; name: string };

interface Scenario {
  readonly keyKind: 'cmk' | 'replica' | 'hsm';
  readonly scope: 'default' | 'wholeAccount' | 'restricted';
  readonly createRoles: boolean;
  readonly administrators: PrincipalName[];
  readonly users: PrincipalName[];
  readonly calls: Call[];
}

const principal = fc.constantFrom(...PRINCIPALS);
const actions = fc.subarray(ACTIONS, { minLength: 1, maxLength: 4 });
const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ kind: fc.constant('grant' as const), principal, actions }),
  fc.record({ kind: fc.constantFrom('grantDecrypt' as const, 'grantEncryptDecrypt' as const, 'grantAdminister' as const), principal }),
  fc.record({ kind: fc.constant('addToResourcePolicy' as const), principal, actions }),
  fc.record({ kind: fc.constant('addAlias' as const), name: fc.constantFrom('orders', 'billing') }),
);
const scenario: fc.Arbitrary<Scenario> = fc.record({
  keyKind: fc.constantFrom('cmk' as const, 'replica' as const, 'hsm' as const),
  scope: fc.constantFrom('default' as const, 'wholeAccount' as const, 'restricted' as const),
  createRoles: fc.boolean(),
  administrators: fc.subarray(['roleA', 'ops', 'root'] as PrincipalName[], { maxLength: 2 }),
  users: fc.subarray(['roleB', 'opsPartition', 'account', 'appConsumers'] as PrincipalName[], { maxLength: 2 }),
  calls: fc.array(call, { maxLength: 5 }),
});

/** The app the scenario describes: its key, or the error that refused it. */
function build(generated: Scenario): { key: ManagedKeyBase } | { refused: unknown } {
  try {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: ACCOUNT, region: REGION } });
    let key: ManagedKeyBase | undefined;
    const lazyRoles: Partial<Record<PrincipalName, iam.IPrincipal>> = {};
    const named = (name: PrincipalName): iam.IPrincipal => {
      switch (name) {
        case 'roleA': case 'roleB':
          return (lazyRoles[name] ??= new iam.Role(stack, name, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
        case 'ops': return new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/ops`);
        case 'opsPartition': return new iam.ArnPrincipal(`arn:${Aws.PARTITION}:iam::${ACCOUNT}:role/ops`);
        case 'root': return new iam.AccountRootPrincipal();
        case 'account': return new iam.AccountPrincipal(ACCOUNT);
        case 'appConsumers': return new iam.PrincipalWithConditions(new iam.AccountRootPrincipal(), { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app/*` } });
        case 'cdkConsumers': return new iam.PrincipalWithConditions(new iam.AccountRootPrincipal(), { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/cdk-*` } });
        case 'adminRole': return key?.adminRole ?? named('roleA');
        case 'userRole': return key?.userRole ?? named('roleB');
      }
    };
    const props: KeyRolesProps = {
      createRoles: generated.createRoles,
      administrators: generated.administrators.map(named),
      users: generated.users.map(named),
      accountAdministrationScope: generated.scope === 'default' ? undefined : generated.scope === 'wholeAccount'
        ? AccountAdministration.wholeAccount() : AccountAdministration.restrictedTo(new iam.ArnPrincipal(EXEC_ROLE)),
    };
    key = generated.keyKind === 'cmk' ? new CustomerManagedKey(stack, 'Key', props)
      : generated.keyKind === 'replica' ? new ReplicaKey(stack, 'Key', { ...props, primaryKeyArn: PRIMARY_ARN })
        : new CloudHsmKey(stack, 'Key', { ...props, keyStore: CloudHsmKeyStore.fromCustomKeyStoreId(stack, 'Store', 'cks-1234567890abcdef0') });
    for (const step of generated.calls) {
      switch (step.kind) {
        case 'grant': key.grant(named(step.principal), ...step.actions); break;
        case 'grantDecrypt': key.grantDecrypt(named(step.principal)); break;
        case 'grantEncryptDecrypt': key.grantEncryptDecrypt(named(step.principal)); break;
        case 'grantAdminister': key.grantAdminister(named(step.principal)); break;
        case 'addToResourcePolicy':
          key.addToResourcePolicy(new iam.PolicyStatement({ principals: [named(step.principal)], actions: step.actions, resources: ['*'] }));
          break;
        case 'addAlias': key.addAlias(step.name); break;
      }
    }
    // The checks synth runs on the key: separation of duties among them.
    const errors = key.node.validate();
    return errors.length > 0 ? { refused: errors } : { key };
  } catch (error) {
    return { refused: error };
  }
}

const KMS_STAR = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };

/**
 * Who may both administer and use, by iam-simulate. Principals named in the policy act through
 * it alone; the account principal stands for every IAM principal of the account with a matching
 * identity policy, sampled as principals with kms:* (one unrelated, the execution role, and one
 * for each aws:PrincipalArn pattern).
 */
async function bothAdministerAndUse(policy: any): Promise<string[]> {
  const statements: any[] = policy.Statement;
  const named = new Set<string>();
  const patterns = new Set<string>();
  const mentioned = new Set<string>();
  for (const statement of statements) {
    const aws = statement.Principal?.AWS;
    [aws ?? []].flat().forEach((value: string) => { if (!/:root$/.test(value)) { named.add(value); } });
    const arnConditions = Object.values(statement.Condition ?? {}).flatMap((entries: any) => [entries['aws:PrincipalArn'] ?? []].flat());
    arnConditions.forEach((value: string) => patterns.add(value.replace(/\*/g, 'x')));
    [statement.Action].flat().forEach((action: string) => mentioned.add(action));
  }
  const relevant = (list: string[]) => list.filter((action) => [...mentioned].some((pattern) => new RegExp(`^${pattern.replace(/\*/g, '.*')}$`, 'i').test(action)));
  const admin = relevant(ADMINISTRATIVE_ACTIONS);
  const use = relevant([...CRYPTOGRAPHIC_ACTIONS, 'kms:CreateGrant']);
  const sampled = [`arn:aws:iam::${ACCOUNT}:role/someone`, EXEC_ROLE, ...patterns].filter((arn) => !named.has(arn));
  const askers = [
    ...[...named].map((arn) => ({ arn, identityPolicies: [] as any[] })),
    ...sampled.map((arn) => ({ arn, identityPolicies: [KMS_STAR] })),
  ];
  const offenders: string[] = [];
  for (const asker of askers) {
    const can = async (list: string[]) => {
      for (const action of list) {
        const verdict = await simulate(policy, {
          principal: asker.arn,
          action,
          identityPolicies: asker.identityPolicies,
          context: { 'aws:PrincipalArn': asker.arn, 'aws:PrincipalAccount': ACCOUNT, 'kms:GrantIsForAWSResource': 'false' },
        });
        if (verdict === 'Allowed') { return true; }
      }
      return false;
    };
    if (await can(admin) && await can(use)) { offenders.push(asker.arn); }
  }
  return offenders;
}

function keyPolicyOf(key: ManagedKeyBase): any {
  return concrete(Stack.of(key).resolve((key as any)._keyPolicy.document), REGION);
}

test(`every sequence of public calls is refused at synth or keeps administration and use apart (${RUNS} runs, seed ${SEED})`, async () => {
  await fc.assert(fc.asyncProperty(scenario, async (generated) => {
    const built = build(generated);
    if ('refused' in built) { return; }
    expect(await bothAdministerAndUse(keyPolicyOf(built.key))).toEqual([]);
  }), { numRuns: RUNS, seed: SEED });
}, 600_000);

describe('sound sequences are accepted (the property is not met by refusing everything)', () => {
  const sound: Array<[string, Scenario]> = [
    ['default key, grants to named roles, an alias', {
      keyKind: 'cmk',
      scope: 'default',
      createRoles: true,
      administrators: [],
      users: [],
      calls: [
        { kind: 'grantDecrypt', principal: 'roleB' }, { kind: 'grant', principal: 'roleB', actions: ['kms:DescribeKey'] }, { kind: 'addAlias', name: 'orders' },
      ],
    }],
    ['named administrators and users, account consumers by role path', {
      keyKind: 'cmk',
      scope: 'default',
      createRoles: false,
      administrators: ['roleA', 'ops'],
      users: ['appConsumers'],
      calls: [
        { kind: 'grantDecrypt', principal: 'roleB' },
      ],
    }],
    ['a replica with grants and an administrator', {
      keyKind: 'replica',
      scope: 'restricted',
      createRoles: true,
      administrators: ['roleA'],
      users: [],
      calls: [
        { kind: 'grantEncryptDecrypt', principal: 'roleB' }, { kind: 'grantAdminister', principal: 'ops' },
      ],
    }],
    ['an HSM-backed key with addToResourcePolicy of read-only actions for a user', {
      keyKind: 'hsm',
      scope: 'default',
      createRoles: true,
      administrators: [],
      users: [],
      calls: [
        { kind: 'addToResourcePolicy', principal: 'userRole', actions: ['kms:DescribeKey', 'kms:GetKeyPolicy'] }, { kind: 'grantDecrypt', principal: 'roleB' },
      ],
    }],
    ['whole-account administration with use only for named roles', {
      keyKind: 'cmk',
      scope: 'wholeAccount',
      createRoles: true,
      administrators: [],
      users: ['roleB'],
      calls: [
        { kind: 'grant', principal: 'roleB', actions: ['kms:Decrypt', 'kms:DescribeKey'] },
      ],
    }],
  ];
  test.each(sound)('%s', async (_name, generated) => {
    const built = build(generated);
    expect(built).toHaveProperty('key');
    if ('key' in built) { expect(await bothAdministerAndUse(keyPolicyOf(built.key))).toEqual([]); }
  });
});
