/**
 * A rule the key's owner declares for who, besides the named principals, may use the key: IAM
 * roles of an account under a path, or carrying a tag. The key policy gets one statement per rule
 * for the account principal, narrowed by the rule's condition (`aws:PrincipalArn` or
 * `aws:PrincipalTag`), with the key's usage actions; each consumer also needs an identity policy
 * statement, which grants write in the consumer's stack.
 *
 * What protects a rule is who may create roles under the path (`iam:CreateRole`) or tag roles
 * with the tag (`iam:TagRole`, `iam:CreateRole` with tags) in the consumer account: keep those
 * with the platform team (an SCP or permission boundary).
 */
export class KeyConsumers {
  /**
   * IAM roles of the key's account whose path matches `pathPattern`, e.g. `/app/orders/` (every
   * role under that path) or `/app/orders/*` (the same), written as `ArnLike aws:PrincipalArn`.
   * `*` and `?` are wildcards.
   *
   * @param pathPattern a role path pattern: starts and ends with `/`, or ends with `*`
   */
  public static rolesMatching(pathPattern: string): KeyConsumers {
    return new KeyConsumers(undefined, { pathPattern });
  }

  /**
   * IAM principals of the key's account tagged `tagKey` = `tagValue`, written as
   * `StringEquals aws:PrincipalTag/<tagKey>`. A grant to a role of another stack adds the tag to it.
   */
  public static taggedWith(tagKey: string, tagValue: string): KeyConsumers {
    return new KeyConsumers(undefined, { tag: { key: tagKey, value: tagValue } });
  }

  /**
   * The rule for roles of another account, e.g. a workload account. Use through that account's
   * root without a rule is refused at synth.
   *
   * @param account the consumer account id
   * @param rule `KeyConsumers.rolesMatching(...)` or `KeyConsumers.taggedWith(...)`
   */
  public static inAccount(account: string, rule: KeyConsumers): KeyConsumers {
    return new KeyConsumers(account, rule._rule, rule._account);
  }

  /** @internal */
  public readonly _account?: string;
  /** @internal */
  public readonly _rule: ConsumerRule;
  /** An account given twice (inAccount of inAccount), reported by the key. @internal */
  public readonly _nestedAccount?: string;

  private constructor(account: string | undefined, rule: ConsumerRule, nestedAccount?: string) {
    this._account = account;
    this._rule = rule;
    this._nestedAccount = nestedAccount;
  }
}

/** What a consumer rule matches: a role path pattern or a principal tag. @internal */
export interface ConsumerRule {
  readonly pathPattern?: string;
  readonly tag?: { readonly key: string; readonly value: string };
}
