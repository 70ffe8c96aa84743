import { createHash } from 'crypto';
import { Stack, Token, TokenComparison, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Every consumer tag key starts with it, so an SCP or permission boundary can protect them all. */
export const CONSUMER_TAG_PREFIX = 'kms-consumer-';

/**
 * The role or user, when it is of another stack. Naming it in the key policy would make the key's
 * stack depend on the consumer's stack, which already depends on the key's (it refers to the
 * key's ARN): a cycle. Undefined for any other principal.
 */
export function principalOfOtherStack(key: IConstruct, principal: iam.IPrincipal): iam.Role | iam.User | undefined {
  if (!(principal instanceof iam.Role) && !(principal instanceof iam.User)) { return undefined; }
  return Stack.of(principal) === Stack.of(key) ? undefined : principal;
}

/** Whether the consumer is in the key's account and Region, where the default tag rule applies. */
export function inKeyEnvironment(key: IConstruct, consumer: IConstruct): boolean {
  const home = Stack.of(consumer);
  const here = Stack.of(key);
  const different = (first: string, second: string) => Token.compareStrings(first, second) === TokenComparison.DIFFERENT;
  return !different(home.account, here.account) && !different(home.region, here.region);
}

/**
 * The tag that marks a consumer of `key` for the grant named `sid`: one tag per key and grant,
 * so a role tagged for Decrypt gets nothing more from the key policy.
 */
export function consumerTagKey(key: IConstruct, sid: string): string {
  const hash = createHash('sha256').update(key.node.path).digest('hex').slice(0, 8);
  return `${CONSUMER_TAG_PREFIX}${hash}-${sid}`;
}

/** `conditions` plus `StringEquals aws:PrincipalTag/<tag>: true`. */
export function withConsumerTag(conditions: Record<string, Record<string, unknown>> | undefined,
  tag: string): Record<string, Record<string, unknown>> {
  return { ...conditions, StringEquals: { ...conditions?.StringEquals, [`aws:PrincipalTag/${tag}`]: 'true' } };
}
