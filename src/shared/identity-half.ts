import { Annotations, Stack, Token, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Id of the warning that hands the key-policy half of a grant to the key's owner. */
export const KEY_POLICY_HALF_WARNING = 'cdk-kms-patterns:KeyPolicyHalfIsTheOwnersJob';

/** One grant on a key whose policy this app cannot write. */
export interface IdentityHalf {
  readonly grantee: iam.IGrantable;
  /** The Sid the key owner should give the key-policy statement. */
  readonly sid: string;
  readonly actions: readonly string[];
  /** What the identity statement names as resource: the key ARN, or `key/*` with an alias condition. */
  readonly resourceArns: readonly string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
  /** The key as the warning names it: its ARN or alias. */
  readonly keyLabel: string;
}

/**
 * Writes the identity half of a paired grant (a statement in the grantee's own policy) and warns,
 * on `scope`, with the key-policy statement the key's owner must add. KMS needs both halves: an
 * identity policy alone grants nothing unless the key policy allows the principal or delegates
 * to IAM in the principal's account.
 */
export function grantIdentityHalf(scope: IConstruct, half: IdentityHalf): iam.Grant {
  const grant = iam.Grant.addToPrincipal({
    grantee: half.grantee,
    actions: [...half.actions],
    resourceArns: [...half.resourceArns],
    conditions: half.conditions,
  });
  const ownerStatement = {
    Sid: half.sid,
    Effect: 'Allow',
    Principal: { AWS: principalLabel(scope, half.grantee) },
    Action: [...half.actions],
    Resource: '*',
    ...(half.conditions ? { Condition: Stack.of(scope).resolve(half.conditions) } : {}),
  };
  Annotations.of(scope).addWarningV2(KEY_POLICY_HALF_WARNING,
    `${grantedTo(half.grantee)} got ${half.actions.join(', ')} on ${half.keyLabel} in its identity policy only: this app does not own that key's policy. `
    + `The key's owner must add the key-policy half, statement ${half.sid}: ${JSON.stringify(ownerStatement)}. `
    + 'Until then KMS refuses the requests (unless the key policy delegates use to IAM in the principal\'s account, which grants use account-wide).');
  return grant;
}

/** The principal's ARN, or where it comes from when it is known at deploy time only. */
function principalLabel(scope: IConstruct, grantee: iam.IGrantable): unknown {
  const json = grantee.grantPrincipal.policyFragment.principalJson;
  const arns = json.AWS ?? [];
  if (arns.length === 1 && !Token.isUnresolved(arns[0])) { return arns[0]; }
  if (arns.length === 1) { return `<ARN of ${grantedTo(grantee)}>`; }
  return Stack.of(scope).resolve(json);
}

function grantedTo(grantee: iam.IGrantable): string {
  const node = (grantee.grantPrincipal as Partial<IConstruct>).node ?? (grantee as Partial<IConstruct>).node;
  return node ? node.path : grantee.grantPrincipal.toString();
}
