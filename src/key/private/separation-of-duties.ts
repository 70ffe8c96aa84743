import { CfnElement, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { KeyPolicyEvaluator } from '../../access/evaluator';
import { AskedPrincipal, dutiesOf } from '../../access/separation-of-duties';
import type { GrantInTemplate } from '../../access/template-model';
import { canonicalValue } from '../../access/template-values';

/**
 * Separation of duties as an invariant of the rendered key policy: no principal may both
 * administer the key and use it, whichever call wrote the statements. What counts on each side
 * is judged once, in access/separation-of-duties.ts, which the access report shares.
 *
 * The account principal stands for every IAM principal of the account whose identity policy
 * allows the action; a statement that narrows it by `aws:PrincipalArn` stands for the principals
 * the ARNs match, and is judged as them.
 */

/** An IAM principal of the account, any: what a statement to the account principal delegates to. */
const ANY_PRINCIPAL_OF = (account: string) => `arn:aws:iam::${account}:*`;
/** One value per deployment: pinned, so that ARNs written with them compare as text. */
const PINNED_ACCOUNT = '000000000000';
const PINNED_REGION = 'pinned-region-1';

/**
 * The violations of the key policy of `key` (resolved in its stack), one message per principal.
 * `grants` are the KMS grants on the key, which are use.
 */
export function separationOfDutiesViolations(key: IConstruct, keyPolicy: unknown, grants: GrantInTemplate[]): string[] {
  const stack = Stack.of(key);
  const resolvedAccount = stack.resolve(stack.account);
  const account = typeof resolvedAccount === 'string' ? resolvedAccount : PINNED_ACCOUNT;
  const pinned = pinner(stack, account);
  const evaluator = new KeyPolicyEvaluator({
    keyPolicy: pinned.pin(stack.resolve(keyPolicy)),
    keyAccount: account,
    grants: grants.map((grant) => ({ ...grant, granteePrincipal: pinned.pin(stack.resolve(grant.granteePrincipal)) })),
  });
  const violations: string[] = [];
  for (const asked of principalsToAsk(evaluator, account)) {
    const { administer, use, both } = dutiesOf(evaluator, asked);
    if (both) { violations.push(message(asked.principal, administer.sids, use.sids, pinned)); }
  }
  return violations;
}

/**
 * Named principals (by the key policy alone, or with identity policies in their own account when
 * they are of another), the principals conditions admit, and for each account principal in the
 * policy any IAM principal of that account.
 */
function principalsToAsk(evaluator: KeyPolicyEvaluator, account: string): AskedPrincipal[] {
  const asked = new Map<string, AskedPrincipal>();
  for (const principal of evaluator.principals()) {
    const root = /^arn:[^:]+:iam::([^:]+):root$/.exec(principal);
    if (root) {
      asked.set(ANY_PRINCIPAL_OF(root[1]), { principal: ANY_PRINCIPAL_OF(root[1]), elsewhere: true });
      continue;
    }
    const owner = /^arn:[^:]+:(?:iam|sts)::([^:]+):/.exec(principal)?.[1];
    asked.set(principal, { principal, elsewhere: owner !== undefined && owner !== account });
  }
  for (const principal of evaluator.conditionalPrincipals()) {
    asked.set(principal, { principal, elsewhere: true });
  }
  return [...asked.values()];
}

function message(principal: string, adminSids: string[], useSids: string[], pinned: Pinner): string {
  const account = /^arn:aws:iam::([^:]+):\*$/.exec(principal)?.[1];
  const who = account !== undefined
    ? `the account principal (every IAM principal of account ${pinned.describe(account)} whose identity policy allows it)`
    : `principal ${pinned.describe(principal)}`;
  const fix = account !== undefined
    ? 'Fix: grant use to named roles (grantDecrypt(role)...) instead of the account or its root, or narrow the use statement by aws:PrincipalArn to principals that do not administer the key'
    : 'Fix: give administration (\'administrators\', \'adminRole\', grantAdminister) and use (\'users\', \'userRole\', grant*(), addToResourcePolicy) to different principals';
  return `${who} is both administrator and user of this key: it administers through ${list(adminSids)} and uses it through ${list(useSids)}. Separation of duties requires that no principal can do both. ${fix}`;
}

function list(sids: string[]): string {
  return sids.length === 0 ? 'its identity policy' : `Sid ${sids.join(', ')}`;
}

interface Pinner {
  /** The value with deploy-time values this stack knows the shape of replaced by fixed text. */
  pin(value: unknown): any;
  /** A pinned principal or account as the user knows it: a construct path, or as written. */
  describe(text: string): string;
}

/** The roles of a stack by logical ID, and the construct path of each role ARN. */
interface StackRoles {
  readonly byLogicalId: Map<string, { arn: string; path: string }>;
  readonly pathByArn: Map<string, string>;
}

/** Role ARNs per stack, built once: every key of the stack validates against the same roles. */
const ROLE_ARNS = new WeakMap<Stack, StackRoles>();

/**
 * Pins the account and Region pseudo parameters to fixed values, and each IAM role of the stack
 * (`Fn::GetAtt [Role, Arn]`) to the ARN CloudFormation gives it: its path and RoleName, or the
 * name it generates (`<stack name>-<logical id>-<random>`). Each has one value in a deployment,
 * so ARNs built from them can be matched as text, e.g. an administrator against a consumer's
 * `aws:PrincipalArn` pattern, which unresolved values cannot.
 */
function pinner(stack: Stack, account: string): Pinner {
  const { byLogicalId: roles, pathByArn: paths } = rolesOf(stack, account);
  const pin = (value: unknown): any => {
    if (Array.isArray(value)) { return value.map(pin); }
    if (typeof value === 'string') { return value.includes('${AWS::') ? pinPseudoParameters(value) : value; }
    if (value === null || typeof value !== 'object') { return value; }
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [name, argument] = entries[0];
      if (name === 'Ref' && argument === 'AWS::AccountId') { return PINNED_ACCOUNT; }
      if (name === 'Ref' && argument === 'AWS::Region') { return PINNED_REGION; }
      if (name === 'Fn::GetAtt' && Array.isArray(argument) && argument[1] === 'Arn' && roles.has(argument[0])) { return roles.get(argument[0])!.arn; }
    }
    return Object.fromEntries(entries.map(([name, entry]) => [name, pin(entry)]));
  };
  const describe = (text: string) => paths.get(text) ?? text.split(PINNED_ACCOUNT).join('${AWS::AccountId}').split(PINNED_REGION).join('${AWS::Region}');
  return { pin, describe };
}

function pinPseudoParameters(text: string): string {
  return text.split('${AWS::AccountId}').join(PINNED_ACCOUNT).split('${AWS::Region}').join(PINNED_REGION);
}

function rolesOf(stack: Stack, account: string): StackRoles {
  const known = ROLE_ARNS.get(stack);
  if (known) { return known; }
  const roles = new Map<string, { arn: string; path: string }>();
  for (const node of stack.node.findAll()) {
    if (!(node instanceof iam.CfnRole) || Stack.of(node) !== stack) { continue; }
    const logicalId = stack.resolve((node as CfnElement).logicalId);
    const roleName = stack.resolve(node.roleName);
    const resolvedPath = stack.resolve(node.path);
    const name = roleName === undefined ? `${stack.stackName}-${logicalId}-GENERATED` : canonicalValue(roleName);
    const rolePath = resolvedPath === undefined ? '/' : canonicalValue(resolvedPath);
    if (name === undefined || rolePath === undefined || name.includes('${') || rolePath.includes('${')) { continue; }
    const owner = node.node.scope!;
    roles.set(logicalId, { arn: `arn:aws:iam::${account}:role${rolePath}${name}`, path: owner.node.path });
  }
  const stackRoles = { byLogicalId: roles, pathByArn: new Map([...roles.values()].map(({ arn, path }) => [arn, path])) };
  ROLE_ARNS.set(stack, stackRoles);
  return stackRoles;
}
