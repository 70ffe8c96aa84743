import { Lazy, aws_iam as iam } from 'aws-cdk-lib';

type Conditions = Record<string, Record<string, unknown>>;

/**
 * `conditions` plus `ArnNotEquals aws:PrincipalArn` with the ARNs of every administrator of the
 * key, read when the policy is rendered (administrators admitted later are in it), beside any
 * ArnNotEquals the caller gave. Tag-narrowed use gets it, so an administrator that can tag
 * itself (the deployment role usually can) still cannot use the key: the key policy says so,
 * not only who may tag roles.
 */
export function withAdministratorExclusion(conditions: Conditions, administratorArns: () => readonly string[]): Conditions {
  const given = conditions.ArnNotEquals;
  const excluded = Lazy.any({
    produce: () => {
      const arns = [...new Set([...[given?.['aws:PrincipalArn'] ?? []].flat(), ...administratorArns()])];
      return arns.length === 0 ? given : { ...given, 'aws:PrincipalArn': arns };
    },
  });
  return { ...conditions, ArnNotEquals: excluded as unknown as Record<string, unknown> };
}

/** The AWS principals (ARNs, or tokens of ARNs) a statement names. */
export function awsPrincipalsOf(statement: iam.PolicyStatement | undefined): string[] {
  return (statement?.principals ?? []).flatMap((principal) => [principal.policyFragment.principalJson.AWS ?? []].flat());
}
