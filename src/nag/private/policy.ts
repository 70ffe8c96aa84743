/**
 * The policy evaluation the rules are built on, in one place: src/access (the KMS key policy
 * evaluator). Rules import from here only, so the evaluator can be swapped with one change.
 */
export { AccessDecision, KeyPolicyEvaluator, PolicySource } from '../../access/evaluator';
export type { AccessResult, DecidingStatement } from '../../access/evaluator';
export { effectiveKeyPolicy, identityPoliciesFor, readTemplate } from '../../access/template-model';
export { grantPolicy } from '../../access/grant-policy';
export { canonicalValue, isIntrinsic } from '../../access/template-values';
export { KMS_ACTIONS, expandKmsActionPattern } from '../../access/kms-actions';
