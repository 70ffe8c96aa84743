import { ConditionBlock } from './conditions';
import { isCustomerManagedKey } from './key-resources';
import { AccessDecision, AccessResult, DecidingStatement, KeyPolicyEvaluator, PolicySource, effectiveKeyPolicy, grantPolicy, identityPoliciesFor, readTemplate } from './policy';
import { RuleTarget, isObject } from './rule-target';
import { cached } from './run-cache';

/** A key's policy, ready to be asked "may P do A?", with the principals worth asking about. */
export interface KeyPolicyContext {
  readonly evaluator: KeyPolicyEvaluator;
  /** The key policy's statements as in the template (a single statement is wrapped in a list). */
  readonly statements: any[];
  /** The key's grants in the template, as the statements the evaluator reads them as. */
  readonly grantStatements: any[];
  /** Canonical root ARN of the key's account. */
  readonly accountRoot: string;
  /** The account roots the policy names, the key's own first: each stands for its whole account. */
  readonly accountRoots: string[];
  /** Every principal the policies name, plus the account root. */
  readonly principals: string[];
  /**
   * Identity policy documents per canonical principal, as the evaluator received them: the
   * template's, and for principals of other accounts one that allows anything.
   */
  readonly identityPolicies: { [principal: string]: any[] };
}

const ROOT_ARN = /^arn:aws:iam::[^:]+:root$/;

/**
 * The evaluation context of a key resource, or `undefined` when the resource is not a key.
 * An AWS::KMS::Key without a KeyPolicy is judged by KMS's default key policy. Identity policies
 * come from the key's stack, so account-root delegation is followed to the roles and users of the
 * same template; a principal of another account may be given anything its key-policy statements allow.
 */
export function keyPolicyContext(target: RuleTarget): KeyPolicyContext | undefined {
  return cached('keyPolicyContext', target, () => buildContext(target));
}

function buildContext({ resource, stack }: RuleTarget): KeyPolicyContext | undefined {
  if (!isCustomerManagedKey(resource)) { return undefined; }
  const keyAccount = stack.account;
  const model = cached('accessModel', stack.template, () => readTemplate(stack.template));
  const keyPolicy = effectiveKeyPolicy(resource.type, resource.properties.KeyPolicy);
  const keyArn = `\${${resource.logicalId}.Arn}`;
  const grants = model.keys.find((key) => key.logicalId === resource.logicalId)?.grants ?? [];
  const named = new KeyPolicyEvaluator({ keyPolicy, keyAccount, keyArn, grants }).principals();
  const identityPolicies = { ...outsiders(named, keyAccount), ...identityPoliciesFor(model, keyArn) };
  const evaluator = new KeyPolicyEvaluator({ keyPolicy, keyAccount, keyArn, identityPolicies, grants });
  const accountRoot = `arn:aws:iam::${keyAccount}:root`;
  // `${AWS::AccountId}` is the key's own account: name each principal one way only.
  const canonical = evaluator.principals().map((principal) => principal.split('${AWS::AccountId}').join(keyAccount));
  const principals = [...new Set([accountRoot, ...canonical])];
  const statement = isObject(keyPolicy) ? keyPolicy.Statement : undefined;
  return {
    evaluator,
    statements: Array.isArray(statement) ? statement : [statement].filter(isObject),
    grantStatements: grantPolicy(grants).Statement,
    accountRoot,
    accountRoots: principals.filter((principal) => ROOT_ARN.test(principal)),
    principals,
    identityPolicies,
  };
}

const OUTSIDE_ANYTHING = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }];
const IAM_PRINCIPAL = /^arn:aws:(?:iam|sts)::(\d{12}):(?!root$)/;

/**
 * Principals of other accounts, each with an identity policy that allows anything: their own
 * account's IAM policies are outside the template, so they are judged by what the key policy lets
 * them be given.
 */
function outsiders(principals: string[], keyAccount: string): { [principal: string]: any[] } {
  const outside: { [principal: string]: any[] } = {};
  for (const principal of principals) {
    const account = IAM_PRINCIPAL.exec(principal)?.[1];
    if (account !== undefined && account !== keyAccount) { outside[principal] = OUTSIDE_ANYTHING; }
  }
  return outside;
}

/** Whether a decision means the principal can perform the action, at least under some condition. */
export function mayPerform(result: AccessResult): boolean {
  return result.decision === AccessDecision.ALLOWED || result.decision === AccessDecision.CONDITIONAL;
}

/** The Condition block of a statement that decided a request for `principal` (`{}` when it has none or cannot be read). */
export function conditionOf(context: KeyPolicyContext, principal: string, statement: DecidingStatement): ConditionBlock {
  let listed: unknown;
  if (statement.source === PolicySource.IDENTITY_POLICY) {
    const policy = context.identityPolicies[principal]?.[statement.policyIndex ?? 0];
    listed = (policy?.PolicyDocument ?? policy)?.Statement;
  } else if (statement.source === PolicySource.GRANT) {
    listed = context.grantStatements;
  } else {
    listed = context.statements;
  }
  const found = Array.isArray(listed) ? listed[statement.index] : listed;
  const condition = isObject(found) ? found.Condition : undefined;
  return isObject(condition) ? condition : {};
}

/** A short, stable name for a statement in findings: its Sid when it is a usable name, else its position. */
export function statementName(statement: unknown, index: number): string {
  const sid = isObject(statement) ? statement.Sid : undefined;
  return typeof sid === 'string' && /^[\w-]+$/.test(sid) ? sid : `Statement${index}`;
}

/** A principal or statement name made safe for a `Rule[finding]` id (balanced braces, no `::` splits). */
export function findingId(text: string): string {
  return text.replace(/[^\w.:/@*${}+=,-]/g, '_');
}
