import { GrantInTemplate } from './template-model';
import { canonicalValue } from './template-values';

/**
 * The grants of a key as a policy document the evaluator already knows how to read: one Allow per
 * grant, naming the grantee, with the grant operations as KMS actions. An encryption context
 * constraint becomes the condition that expresses it (`kms:EncryptionContext:<key>`, and for
 * EncryptionContextEquals `kms:EncryptionContextKeys`), so a constrained grant is CONDITIONAL.
 * Values the template only knows at deploy time stay intrinsics and are reported as such.
 */
export function grantPolicy(grants: readonly GrantInTemplate[]): any {
  return {
    Version: '2012-10-17',
    Statement: grants.map((grant) => ({
      Sid: grant.logicalId,
      Effect: 'Allow',
      Principal: { AWS: grant.granteePrincipal },
      Action: Array.isArray(grant.operations)
        ? grant.operations.map((operation: unknown) => (typeof operation === 'string' ? `kms:${operation}` : operation))
        : grant.operations,
      // In a key policy `*` is the key; a grant on a key unknown at synth names that reference.
      Resource: grant.unreadableKey === undefined ? '*' : canonicalValue(grant.unreadableKey) ?? grant.unreadableKey,
      ...(grant.constraints === undefined ? {} : { Condition: constraintCondition(grant.constraints) }),
    })),
  };
}

/** A short text for the report: `EncryptionContextSubset {"tenant":"acme"}`; undefined without constraint. */
export function describeConstraints(constraints: unknown): string | undefined {
  if (constraints === undefined) { return undefined; }
  if (typeof constraints !== 'object' || constraints === null) { return JSON.stringify(constraints); }
  return Object.entries(constraints).map(([kind, context]) => `${kind} ${JSON.stringify(context)}`).join('; ');
}

function constraintCondition(constraints: any): any {
  const equals = constraints?.EncryptionContextEquals;
  const subset = constraints?.EncryptionContextSubset;
  const context = equals ?? subset;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    // Not a shape KMS defines (or an intrinsic): still a condition, whose values cannot be read.
    return { StringEquals: { 'kms:GrantConstraints': constraints } };
  }
  const condition: Record<string, Record<string, unknown>> = {
    StringEquals: Object.fromEntries(Object.entries(context).map(([key, value]) => [`kms:EncryptionContext:${key}`, value])),
  };
  if (equals !== undefined) { condition['ForAllValues:StringEquals'] = { 'kms:EncryptionContextKeys': Object.keys(context) }; }
  return condition;
}
