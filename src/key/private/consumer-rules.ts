import { Aws, Stack, Token, TokenComparison, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail, received } from '../../errors';
import type { KeyConsumers } from '../key-consumers';

/** A declared consumer rule, checked and placed: its account and what it matches. */
export interface PlacedRule {
  readonly account: string;
  readonly pathPattern?: string;
  readonly tag?: { readonly key: string; readonly value: string };
}

const PATH_PATTERN = /^\/[\w+=,.@\-/*?]*$/;

/** Checks each rule and fills in the key's account where none is given. */
export function placeRules(key: IConstruct, rules: readonly KeyConsumers[]): PlacedRule[] {
  return rules.map((rule) => {
    if (rule._nestedAccount !== undefined) {
      fail(key, `'consumers' has KeyConsumers.inAccount(${received(rule._account)}, KeyConsumers.inAccount(${received(rule._nestedAccount)}, ...)). Allowed: one account per rule`);
    }
    const account = rule._account ?? Stack.of(key).account;
    if (rule._account !== undefined && !Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
      fail(key, `'consumers' has KeyConsumers.inAccount(${received(account)}). Allowed: a 12-digit account id`);
    }
    const { pathPattern, tag } = rule._rule;
    if (pathPattern !== undefined) {
      if (!PATH_PATTERN.test(pathPattern) || !(pathPattern.endsWith('/') || pathPattern.endsWith('*')) || /^\/\**$/.test(pathPattern)) {
        fail(key, `'consumers' has KeyConsumers.rolesMatching(${received(pathPattern)}). Allowed: a role path pattern below the root that starts with "/" and ends with "/" or "*", e.g. "/app/orders/"`);
      }
      return { account, pathPattern: pathPattern.endsWith('/') ? `${pathPattern}*` : pathPattern };
    }
    if (!tag!.key || tag!.key.toLowerCase().startsWith('aws:') || !tag!.value) {
      fail(key, `'consumers' has KeyConsumers.taggedWith(${received(tag!.key)}, ${received(tag!.value)}). Allowed: a tag key not starting with "aws:" and a non-empty value`);
    }
    return { account, tag: tag! };
  });
}

/** The condition of the rule's key policy statement. */
export function ruleConditions(rule: PlacedRule): Record<string, Record<string, unknown>> {
  if (rule.tag) { return { StringEquals: { [`aws:PrincipalTag/${rule.tag.key}`]: rule.tag.value } }; }
  return { ArnLike: { 'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${rule.account}:role${rule.pathPattern}` } };
}

/** The rule's account principal. */
export function ruleAccountPrincipal(key: IConstruct, rule: PlacedRule): iam.IPrincipal {
  return same(rule.account, Stack.of(key).account) ? new iam.AccountRootPrincipal() : new iam.AccountPrincipal(rule.account);
}

/**
 * The first rule that covers `role`: of its account, and its path and name match (a name known
 * only at deploy time matches only a pattern that ends in `*` after the path), or a tag rule,
 * whose tag the grant then adds. Path rules first: they need no change to the role.
 */
export function coveringRule(rules: readonly PlacedRule[], role: iam.Role | iam.User): PlacedRule | undefined {
  const ofAccount = rules.filter((rule) => same(rule.account, Stack.of(role).account));
  const arnPart = role instanceof iam.Role ? rolePathAndName(role) : undefined;
  return ofAccount.find((rule) => rule.pathPattern !== undefined && arnPart !== undefined && globMatches(rule.pathPattern, arnPart))
    ?? ofAccount.find((rule) => rule.tag !== undefined);
}

/**
 * Messages for rules of the key's account that could match an administrator: a path rule that
 * matches an administrator role's path and name, a tag rule whose tag an administrator carries.
 */
export function rulesMatchingAdministrators(key: IConstruct, rules: readonly PlacedRule[], administrators: readonly iam.IPrincipal[]): string[] {
  const messages: string[] = [];
  for (const rule of rules.filter((candidate) => same(candidate.account, Stack.of(key).account))) {
    for (const admin of administrators) {
      if (!(admin instanceof iam.Role)) { continue; }
      const arnPart = rolePathAndName(admin);
      const rendered: unknown = Stack.of(admin).resolve((admin.node.defaultChild as iam.CfnRole).tags.renderTags());
      const tags = (Array.isArray(rendered) ? rendered : []).map((tag) => ({ Key: tag.Key ?? tag.key, Value: tag.Value ?? tag.value }));
      const byPath = rule.pathPattern !== undefined && (arnPart === undefined || globMatches(rule.pathPattern, arnPart));
      const byTag = rule.tag !== undefined && tags.some((tag) => tag.Key === rule.tag!.key && tag.Value === rule.tag!.value);
      if (byPath || byTag) {
        const shown = rule.pathPattern !== undefined ? `KeyConsumers.rolesMatching(${received(rule.pathPattern)})` : `KeyConsumers.taggedWith(${received(rule.tag!.key)}, ${received(rule.tag!.value)})`;
        messages.push(`'consumers' has ${shown}, which could match administrator ${admin.node.path}: it would both administer and use the key. Allowed: a path or tag no administrator of the key has (separation of duties)`);
      }
    }
  }
  return messages;
}

/** `<path><name>` of the role; a name known at deploy time only is a character no pattern but `*` matches. */
function rolePathAndName(role: iam.Role): string | undefined {
  const cfn = role.node.defaultChild as iam.CfnRole;
  const stack = Stack.of(role);
  const path = stack.resolve(cfn.path) ?? '/';
  const name = stack.resolve(cfn.roleName);
  if (typeof path !== 'string' || Token.isUnresolved(path)) { return undefined; }
  return `${path}${typeof name === 'string' && !Token.isUnresolved(name) ? name : '\u0000'}`;
}

function globMatches(pattern: string, text: string): boolean {
  const regex = pattern.split('').map((char) => char === '*' ? '[^]*' : char === '?' ? '[^\u0000]' : char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')).join('');
  return new RegExp(`^${regex}$`).test(text);
}

function same(first: string, second: string): boolean {
  return Token.compareStrings(first, second) === TokenComparison.SAME || first === second;
}
