// Classes, enums and interfaces only: jsii skips free functions and consts. TypeScript users and
// src/nag import canonicalValue, KMS_ACTIONS, expandKmsActionPattern and readTemplate from their files.
export { AccessDecision, KeyPolicyEvaluator, PolicySource } from './evaluator';
export type { AccessRequest, AccessResult, DecidingStatement, KeyPolicyEvaluatorProps } from './evaluator';
export type { GrantInTemplate, KeyInTemplate, TemplateAccessModel } from './template-model';
export { KeyAccessReport } from './access-report';
export type { KeyAccessReportProps } from './access-report';
export type { AccessReportDocument, CapabilityAccess, GrantAccess, KeyAccess, PrincipalAccess, ReportTemplate } from './access-report-model';
