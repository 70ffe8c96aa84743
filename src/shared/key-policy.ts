import { aws_iam as iam } from 'aws-cdk-lib';

/**
 * The key policy of one key, kept as one statement per Sid.
 *
 * Grants that share a purpose (a Sid) add principals to the same statement instead of adding a
 * statement each, so the policy stays readable and well under the 32 KB KeyPolicy limit.
 */
export class KeyPolicy {
  public readonly document = new iam.PolicyDocument();
  private readonly bySid = new Map<string, iam.PolicyStatement>();
  /** The statements `allow` wrote for each requested Sid: the first, then `Sid2`, `Sid3`... */
  private readonly variants = new Map<string, iam.PolicyStatement[]>();
  private readonly extra: iam.PolicyStatement[] = [];

  /**
   * Allows `actions` to `principals` in the statement named `sid`, creating it on first use.
   *
   * A later call with the same Sid never loses what it asks for. With the same conditions it
   * joins a statement of the same actions (adding its principals) or of the same principals
   * (adding its actions); it never widens what the principals already there may do. Otherwise it
   * gets a statement of its own, named `sid` plus a number.
   */
  public allow(sid: string, actions: readonly string[], principals: iam.IPrincipal[], conditions?: Record<string, unknown>): iam.PolicyStatement {
    const variants = this.variants.get(sid) ?? [];
    // A principal's own conditions (iam.PrincipalWithConditions) become the statement's: only
    // principals with the same ones can share it.
    const effective = withPrincipalConditions(conditions, principals);
    const sameConditions = variants.filter((candidate) => sameJson(candidate.conditions, effective));
    const sameActions = sameConditions.find((candidate) => sameSet(candidate.actions, actions));
    if (sameActions) {
      sameActions.addPrincipals(...principals);
      return sameActions;
    }
    const samePrincipals = sameConditions.find((candidate) => sameSet(candidate.principals.map(principalKey), principals.map(principalKey)));
    if (samePrincipals) {
      samePrincipals.addActions(...actions.filter((action) => !samePrincipals.actions.includes(action)));
      return samePrincipals;
    }
    const statement = new iam.PolicyStatement({
      sid: this.freeSid(sid),
      effect: iam.Effect.ALLOW,
      actions: [...actions],
      resources: ['*'],
      conditions,
    });
    statement.addPrincipals(...principals);
    this.variants.set(sid, [...variants, statement]);
    this.bySid.set(statement.sid!, statement);
    this.document.addStatements(statement);
    return statement;
  }

  /** Adds a statement as given, unless this very statement object is already in the policy. */
  public add(statement: iam.PolicyStatement): boolean {
    if ([...this.bySid.values()].includes(statement) || this.extra.includes(statement)) { return false; }
    this.extra.push(statement);
    this.document.addStatements(statement);
    return true;
  }

  /** The statement with this Sid, if any. */
  public statement(sid: string): iam.PolicyStatement | undefined {
    return this.bySid.get(sid);
  }

  /** `sid` if no statement has it yet, else the first of `sid2`, `sid3`... that none has. */
  private freeSid(sid: string): string {
    const taken = (candidate: string) => this.bySid.has(candidate) || this.extra.some((statement) => statement.sid === candidate);
    if (!taken(sid)) { return sid; }
    let counter = 2;
    while (taken(`${sid}${counter}`)) { counter++; }
    return `${sid}${counter}`;
  }
}

function sameSet(first: readonly string[], second: readonly string[]): boolean {
  const left = new Set(first);
  const right = new Set(second);
  return left.size === right.size && [...left].every((value) => right.has(value));
}

/** Unresolved tokens stringify stably, so two writes of the same condition compare equal. */
function sameJson(first: unknown, second: unknown): boolean {
  return JSON.stringify(first ?? {}) === JSON.stringify(second ?? {});
}

function withPrincipalConditions(conditions: Record<string, unknown> | undefined, principals: iam.IPrincipal[]): Record<string, unknown> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const block of [conditions ?? {}, ...principals.map((principal) => principal.policyFragment.conditions)]) {
    for (const [operator, entries] of Object.entries(block)) {
      merged[operator] = { ...merged[operator], ...(entries as Record<string, unknown>) };
    }
  }
  return merged;
}

function principalKey(principal: iam.IPrincipal): string {
  return JSON.stringify(principal.policyFragment.principalJson);
}
