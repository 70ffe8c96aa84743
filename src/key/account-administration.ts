import { DefaultStackSynthesizer, Fn, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../errors';

/** Which mode an {@link AccountAdministration} is. */
export enum AccountAdministrationMode {
  /** The stack's CloudFormation execution role (and the roles the key's own handlers use). */
  DEPLOYMENT_ROLE_ONLY = 'DEPLOYMENT_ROLE_ONLY',
  /** The principals given (and the roles the key's own handlers use). */
  RESTRICTED_TO = 'RESTRICTED_TO',
  /** Every IAM principal of the account whose identity policy allows it. */
  WHOLE_ACCOUNT = 'WHOLE_ACCOUNT',
}

/**
 * Who the key policy's `AccountAdministration` statement admits: the statement names the key's
 * account (its root), so a principal it admits also needs an identity policy that allows the
 * action. It carries administrative actions only, never use, and it is what keeps CloudFormation
 * able to change the key policy later: KMS refuses a policy that would not let the caller (the
 * deployment role) call PutKeyPolicy again (the lockout safety check).
 *
 * A mode other than `wholeAccount()` narrows the statement by an `aws:PrincipalArn` condition,
 * so an IAM user or role of the account with `kms:*` in its identity policy can no longer rewrite
 * the key policy and grant itself use.
 */
export class AccountAdministration {
  /**
   * Only the stack's CloudFormation execution role (DefaultStackSynthesizer's
   * `cloudFormationExecutionRoleArn`), besides the roles this library's key handlers use. The
   * default where the stack's synthesizer names an execution role.
   *
   * Other administration goes through the named administrators (`adminRole`, `administrators`).
   * Deploying the stack with another role, e.g. `cdk deploy --role-arn`, would fail KMS's lockout
   * safety check: use `restrictedTo()` with that role then.
   */
  public static deploymentRoleOnly(): AccountAdministration {
    return new AccountAdministration(AccountAdministrationMode.DEPLOYMENT_ROLE_ONLY, []);
  }

  /**
   * Only the given principals (IAM roles or users, by ARN), besides the roles this library's key
   * handlers use. They must include the principal CloudFormation deploys the stack with, or KMS
   * refuses the key policy (lockout safety check).
   */
  public static restrictedTo(...principals: iam.IPrincipal[]): AccountAdministration {
    return new AccountAdministration(AccountAdministrationMode.RESTRICTED_TO, principals);
  }

  /**
   * Every IAM principal of the key's account whose identity policy allows an administrative
   * action: the AWS default key policy's delegation to IAM, limited to administration.
   *
   * Trade-off: kms:PutKeyPolicy is among those actions, so any principal with `kms:*` (or
   * `kms:PutKeyPolicy`) in its identity policy can rewrite the key policy, including granting
   * itself use. Separation of duties then rests on every identity policy of the account. The
   * default only where the stack's synthesizer names no execution role (LegacyStackSynthesizer,
   * CliCredentialsStackSynthesizer): there CloudFormation deploys with the caller's credentials,
   * which the key policy cannot name.
   */
  public static wholeAccount(): AccountAdministration {
    return new AccountAdministration(AccountAdministrationMode.WHOLE_ACCOUNT, []);
  }

  /**
   * The mode for a key in `stack` when none is given: `deploymentRoleOnly()` where the stack's
   * synthesizer names a CloudFormation execution role, `wholeAccount()` otherwise.
   * @internal
   */
  public static _defaultFor(stack: Stack): AccountAdministration {
    return executionRoleArn(stack) !== undefined ? AccountAdministration.deploymentRoleOnly() : AccountAdministration.wholeAccount();
  }

  private constructor(
    /** The mode. */
    public readonly mode: AccountAdministrationMode,
    private readonly principals: iam.IPrincipal[]) {
  }

  /**
   * The principal ARNs the statement is narrowed to (before the key handlers' roles), or
   * undefined for the whole account.
   * @internal
   */
  public _principalArns(scope: IConstruct): string[] | undefined {
    switch (this.mode) {
      case AccountAdministrationMode.WHOLE_ACCOUNT: return undefined;
      case AccountAdministrationMode.DEPLOYMENT_ROLE_ONLY: {
        const arn = executionRoleArn(Stack.of(scope));
        if (arn === undefined) {
          fail(scope, `'accountAdministrationScope' is deploymentRoleOnly(), but the stack's synthesizer (${Stack.of(scope).synthesizer.constructor.name}) names no CloudFormation execution role. Allowed: a stack with DefaultStackSynthesizer, or AccountAdministration.restrictedTo(<the principal that deploys>), or AccountAdministration.wholeAccount()`);
        }
        // The synthesizer writes `${AWS::Partition}` (and for an environment-agnostic stack the
        // account and Region) for the CLI to fill in; in a template only Fn::Sub does.
        return [Fn.sub(arn)];
      }
      case AccountAdministrationMode.RESTRICTED_TO: {
        if (this.principals.length === 0) {
          fail(scope, "'accountAdministrationScope' is restrictedTo() with no principal. Allowed: one or more IAM roles or users, including the one CloudFormation deploys with");
        }
        return this.principals.map((principal) => arnOf(scope, principal));
      }
    }
  }
}

/** The stack's CloudFormation execution role, where its synthesizer names one. */
function executionRoleArn(stack: Stack): string | undefined {
  const synthesizer = stack.synthesizer;
  return synthesizer instanceof DefaultStackSynthesizer ? synthesizer.cloudFormationExecutionRoleArn : undefined;
}

function arnOf(scope: IConstruct, principal: iam.IPrincipal): string {
  const json = principal.policyFragment.principalJson;
  const values = json.AWS ?? [];
  if (Object.keys(json).length !== 1 || values.length !== 1) {
    fail(scope, `'accountAdministrationScope' restrictedTo() got ${JSON.stringify(Stack.of(scope).resolve(json))}. Allowed: IAM roles or users, each one AWS principal with an ARN`);
  }
  return values[0];
}
