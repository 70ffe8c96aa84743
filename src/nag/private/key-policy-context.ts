import { CfnResource, Stack } from 'aws-cdk-lib';
import { ConditionBlock } from './conditions';
import { isCustomerManagedKey } from './key-resources';
import { AccessDecision, AccessResult, DecidingStatement, KeyPolicyEvaluator, PolicySource, canonicalValue, readTemplate } from './policy';
import { cached } from './run-cache';
import { resourceTemplate, stackTemplateOf } from './template';

/** A key's policy, ready to be asked "may P do A?", with the principals worth asking about. */
export interface KeyPolicyContext {
  readonly evaluator: KeyPolicyEvaluator;
  /** The key policy's statements as in the template (a single statement is wrapped in a list). */
  readonly statements: any[];
  /** Canonical root ARN of the key's account. */
  readonly accountRoot: string;
  /** Every principal the policies name, plus the account root. */
  readonly principals: string[];
  /** Identity policy documents per canonical principal, as the evaluator received them. */
  readonly identityPolicies: { [principal: string]: any[] };
}

/**
 * The evaluation context of a key resource, or `undefined` when `node` is not a key.
 * Identity policies come from the key's stack, so account-root delegation is followed to the
 * roles and users of the same template.
 */
export function keyPolicyContext(node: CfnResource): KeyPolicyContext | undefined {
  return cached('keyPolicyContext', node, () => buildContext(node));
}

function buildContext(node: CfnResource): KeyPolicyContext | undefined {
  const resource = resourceTemplate(node);
  if (!isCustomerManagedKey(resource)) { return undefined; }
  const stack = Stack.of(node);
  const keyAccount = canonicalValue(stack.resolve(stack.account)) ?? '${AWS::AccountId}';
  const model = cached('accessModel', stack, () => readTemplate(stackTemplateOf(node)));
  const evaluator = new KeyPolicyEvaluator({
    keyPolicy: resource.properties.KeyPolicy,
    keyAccount,
    identityPolicies: model.identityPolicies,
    keyArn: `\${${resource.logicalId}.Arn}`,
  });
  const accountRoot = `arn:aws:iam::${keyAccount}:root`;
  // `${AWS::AccountId}` is the key's own account: name each principal one way only.
  const named = evaluator.principals().map((principal) => principal.split('${AWS::AccountId}').join(keyAccount));
  const statement = resource.properties.KeyPolicy?.Statement;
  return {
    evaluator,
    statements: Array.isArray(statement) ? statement : [statement].filter((entry) => entry !== undefined),
    accountRoot,
    principals: [...new Set([accountRoot, ...named])],
    identityPolicies: model.identityPolicies,
  };
}

/** Whether a decision means the principal can perform the action, at least under some condition. */
export function mayPerform(result: AccessResult): boolean {
  return result.decision === AccessDecision.ALLOWED || result.decision === AccessDecision.CONDITIONAL;
}

/** The Condition block of a statement that decided a request for `principal`. */
export function conditionOf(context: KeyPolicyContext, principal: string, statement: DecidingStatement): ConditionBlock {
  if (statement.source === PolicySource.IDENTITY_POLICY) {
    const policy = context.identityPolicies[principal]?.[statement.policyIndex ?? 0];
    const listed = (policy?.PolicyDocument ?? policy)?.Statement;
    return (Array.isArray(listed) ? listed[statement.index] : listed)?.Condition ?? {};
  }
  return context.statements[statement.index]?.Condition ?? {};
}


/** A short, stable name for a statement in findings: its Sid, else its position. */
export function statementName(context: KeyPolicyContext, index: number): string {
  const sid = context.statements[index]?.Sid;
  return typeof sid === 'string' && /^[\w-]+$/.test(sid) ? sid : `Statement${index}`;
}

/** A principal or statement name made safe for a `Rule[finding]` id (balanced braces, no `::` splits). */
export function findingId(text: string): string {
  return text.replace(/[^\w.:/@*${}+=,-]/g, '_');
}
