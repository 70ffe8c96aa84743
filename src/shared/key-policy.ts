import { Stack, aws_iam as iam } from 'aws-cdk-lib';

/**
 * The key policy of one key, kept as one statement per Sid.
 *
 * Grants that share a purpose (a Sid) add principals to the same statement instead of adding a
 * statement each, so the policy stays readable and well under the 32 KB KeyPolicy limit.
 */
export class KeyPolicy {
  public readonly document = new iam.PolicyDocument();
  private readonly bySid = new Map<string, iam.PolicyStatement>();
  private readonly extra: iam.PolicyStatement[] = [];

  /**
   * Allows `actions` to `principals` in the statement named `sid`, creating it on first use.
   * A statement's actions and conditions are fixed by its first use; later uses add principals.
   */
  public allow(sid: string, actions: readonly string[], principals: iam.IPrincipal[], conditions?: Record<string, unknown>): iam.PolicyStatement {
    let statement = this.bySid.get(sid);
    if (!statement) {
      statement = new iam.PolicyStatement({
        sid,
        effect: iam.Effect.ALLOW,
        actions: [...actions],
        resources: ['*'],
        conditions,
      });
      this.bySid.set(sid, statement);
      this.document.addStatements(statement);
    }
    statement.addPrincipals(...principals);
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

}

/** A stable identity for a principal, for comparing principals across statements. */
export function principalIdentity(scope: Stack, principal: iam.IPrincipal): string {
  return JSON.stringify(scope.resolve(principal.policyFragment.principalJson));
}
