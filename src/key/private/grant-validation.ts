import { Stack, Token, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail, received } from '../../errors';
import * as actions from '../../shared/actions';
import { KeyFamily, usageActionsFor } from '../../shared/key-type';

/** Every operation KMS accepts in a grant (the GrantOperation enum of the KMS API). */
export const GRANT_OPERATIONS: readonly string[] = [
  'CreateGrant', 'Decrypt', 'DeriveSharedSecret', 'DescribeKey', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GetPublicKey', 'ReEncryptFrom',
  'ReEncryptTo', 'RetireGrant', 'Sign', 'Verify', 'VerifyMac',
];

/** Grant management a grant may carry on any key type. */
const GRANT_MANAGEMENT = ['CreateGrant', 'RetireGrant'];

/** Operations that take an encryption context, and so can be constrained by one (symmetric encryption keys). */
const CONTEXT_OPERATIONS = usageActionsFor(KeyFamily.SYMMETRIC_ENCRYPTION).map(bare);

/** KMS GrantConstraints limits (KMS API reference, GrantConstraints). */
const MAX_CONTEXT_PAIRS = 8;
const MAX_CONTEXT_VALUE_LENGTH = 384;

/** Administrative actions by bare name, to say why one is refused rather than just "not allowed". */
const ADMINISTRATIVE = new Set([
  ...actions.BASE_ADMIN_ACTIONS, ...actions.ROTATION_ADMIN_ACTIONS, ...actions.MULTI_REGION_ADMIN_ACTIONS,
  ...actions.IMPORTED_MATERIAL_ADMIN_ACTIONS,
].map(bare).filter((action) => !GRANT_OPERATIONS.includes(action)));

/**
 * The operations a grant on a key of `family` may carry: the usage actions of the key type and
 * grant management. `undefined` (a key of another library, or imported) allows every grant operation.
 */
export function grantOperationsFor(family: KeyFamily | undefined): readonly string[] {
  if (family === undefined) { return GRANT_OPERATIONS; }
  return [...usageActionsFor(family).map(bare), ...GRANT_MANAGEMENT].sort();
}

/** Checks the operations against the key type; returns them sorted, without duplicates. */
export function validateOperations(scope: IConstruct, operations: readonly string[], family: KeyFamily | undefined): string[] {
  if (operations.length === 0) {
    fail(scope, `'operations' is empty. Allowed: one or more of ${grantOperationsFor(family).join(', ')}`);
  }
  const allowed = grantOperationsFor(family);
  for (const operation of operations) {
    if (ADMINISTRATIVE.has(bare(operation))) {
      fail(scope, `'operations' contains ${received(operation)}, an administrative action. A grant never carries administrative actions (KMS refuses them); administration belongs to the key policy's administrators. Allowed: ${allowed.join(', ')}`);
    }
    if (!allowed.includes(operation)) {
      const why = family === undefined || !GRANT_OPERATIONS.includes(operation) ? 'is not a KMS grant operation' : `is not an operation of a ${family} key`;
      fail(scope, `'operations' contains ${received(operation)}, which ${why}. Allowed: ${allowed.join(', ')}`);
    }
  }
  return [...new Set(operations)].sort();
}

/** The two encryption context constraints of a grant. */
export interface ContextConstraints {
  readonly encryptionContextEquals?: { [key: string]: string };
  readonly encryptionContextSubset?: { [key: string]: string };
}

/**
 * Checks the constraints and renders them for CreateGrant's `Constraints`, or undefined.
 * KMS accepts them only on symmetric encryption keys, on operations that take an encryption context.
 */
export function validateConstraints(scope: IConstruct, constraints: ContextConstraints, operations: readonly string[],
  family: KeyFamily | undefined): Record<string, Record<string, string>> | undefined {
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = constraints;
  if (equals === undefined && subset === undefined) { return undefined; }
  const prop = equals !== undefined ? 'encryptionContextEquals' : 'encryptionContextSubset';
  if (equals !== undefined && subset !== undefined) {
    fail(scope, "'encryptionContextEquals' and 'encryptionContextSubset' are both set. Allowed: one of them; a grant has one kind of encryption context constraint");
  }
  if (family !== undefined && family !== KeyFamily.SYMMETRIC_ENCRYPTION) {
    fail(scope, `'${prop}' is set on a ${family} key. Allowed: leave it unset; KMS accepts encryption context constraints only on symmetric encryption keys (asymmetric and HMAC operations take no encryption context)`);
  }
  const unconstrainable = operations.filter((operation) => !CONTEXT_OPERATIONS.includes(operation) && !GRANT_MANAGEMENT.includes(operation));
  if (unconstrainable.length > 0) {
    fail(scope, `'${prop}' is set with operations that take no encryption context (${unconstrainable.join(', ')}). Allowed operations with a constraint: ${[...CONTEXT_OPERATIONS, ...GRANT_MANAGEMENT].sort().join(', ')}`);
  }
  const context = (equals ?? subset)!;
  validateContext(scope, prop, context);
  return { [prop === 'encryptionContextEquals' ? 'EncryptionContextEquals' : 'EncryptionContextSubset']: { ...context } };
}

function validateContext(scope: IConstruct, prop: string, context: { [key: string]: string }): void {
  const keys = Object.keys(context);
  if (keys.length === 0 || keys.length > MAX_CONTEXT_PAIRS) {
    fail(scope, `'${prop}' has ${keys.length} pairs. Allowed: 1 to ${MAX_CONTEXT_PAIRS} pairs (leave it unset for no constraint)`);
  }
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(context)) {
    if (key.length === 0) { fail(scope, `'${prop}' has an empty key. Allowed: non-empty keys`); }
    // In a grant constraint KMS compares keys case-insensitively: two keys that differ by case are one.
    const folded = key.toLowerCase();
    if (seen.has(folded)) {
      fail(scope, `'${prop}' has keys ${received(seen.get(folded))} and ${received(key)}, which KMS treats as the same key (constraint keys are not case sensitive). Allowed: keys that differ by more than case`);
    }
    seen.set(folded, key);
    if (typeof value !== 'string') {
      fail(scope, `'${prop}' value of ${received(key)} is ${received(value)}. Allowed: a string`);
    }
    if (!Token.isUnresolved(value) && (value.length === 0 || value.length > MAX_CONTEXT_VALUE_LENGTH)) {
      fail(scope, `'${prop}' value of ${received(key)} has ${value.length} characters. Allowed: 1 to ${MAX_CONTEXT_VALUE_LENGTH}`);
    }
  }
}

/**
 * The ARN KMS gets for a principal: a grantee or retiring principal is an AWS principal (an
 * account, IAM role or user, assumed-role session). Service and federated principals, and
 * principals made of several, cannot be one.
 */
export function principalArn(scope: IConstruct, prop: string, principal: iam.IPrincipal): string {
  const json = principal.policyFragment.principalJson;
  const kinds = Object.keys(json);
  const values = json.AWS ?? [];
  if (kinds.length !== 1 || kinds[0] !== 'AWS' || values.length !== 1) {
    const shown = JSON.stringify(Stack.of(scope).resolve(json));
    const service = kinds.includes('Service') ? ' For an AWS service, use allowServicePrincipal() or allowServiceLinkedRole() on the key.' : '';
    fail(scope, `'${prop}' is ${shown}. Allowed: exactly one AWS principal (an IAM role or user, or an account), which KMS takes by ARN.${service}`);
  }
  return values[0];
}

function bare(action: string): string {
  return action.replace(/^kms:/i, '');
}
