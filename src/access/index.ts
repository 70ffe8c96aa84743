// Classes, enums and interfaces only: jsii skips free functions and consts. TypeScript users and
// src/nag import canonicalValue, KMS_ACTIONS, expandKmsActionPattern and readTemplate from their files.
export { AccessDecision, KeyPolicyEvaluator, PolicySource } from './evaluator';
export type { AccessRequest, AccessResult, DecidingStatement, KeyPolicyEvaluatorProps } from './evaluator';
export type { KeyInTemplate, TemplateAccessModel } from './template-model';
