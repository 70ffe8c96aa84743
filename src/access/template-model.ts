import { canonicalValue, isIntrinsic } from './template-values';

/** A KMS key found in a synthesized template. */
export interface KeyInTemplate {
  /** Logical id of the resource. */
  readonly logicalId: string;
  /** CloudFormation type, e.g. `AWS::KMS::Key`. */
  readonly type: string;
  /** The KeyPolicy property as in the template. */
  readonly keyPolicy: any;
  /** Construct path from the `aws:cdk:path` metadata. @default - the template carries no path */
  readonly path?: string;
  /** Canonical ARN of the key: `${LogicalId.Arn}`. */
  readonly arn: string;
}

/** Keys and identity policies of one template. */
export interface TemplateAccessModel {
  /** The keys. */
  readonly keys: KeyInTemplate[];
  /** Identity policy documents per canonical principal (`${Role.Arn}`, `${User.Arn}` or a role ARN). */
  readonly identityPolicies: { [principal: string]: any[] };
}

interface Resource { readonly Type?: string; readonly Properties?: Record<string, any>; readonly Metadata?: Record<string, any> }

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);
const PRINCIPAL_LISTS: Array<[string, 'role' | 'user']> = [['Roles', 'role'], ['Users', 'user']];

/**
 * Keys (AWS::KMS::Key, AWS::KMS::ReplicaKey, and custom-resource keys that carry a KeyPolicy
 * property) and identity policies (AWS::IAM::Policy, AWS::IAM::ManagedPolicy, inline Role and User
 * policies, managed policies of the template attached through ManagedPolicyArns) of a template,
 * with identity policies attached to the canonical ARN of each role or user they attach to.
 * Group attachments are not followed.
 */
export function readTemplate(template: any): TemplateAccessModel {
  const resources: Record<string, Resource> = template?.Resources ?? {};
  const keys: KeyInTemplate[] = [];
  const identityPolicies: { [principal: string]: any[] } = {};
  const attach = (principal: string, document: unknown) => {
    if (document === undefined) { return; }
    (identityPolicies[principal] ??= []).push(document);
  };
  const principalOf = (value: unknown, kind: 'role' | 'user'): string | undefined => {
    const ref = typeof value === 'object' && value !== null ? (value as { Ref?: unknown }).Ref : undefined;
    if (typeof ref === 'string' && ref in resources) { return `\${${ref}.Arn}`; }
    const name = canonicalValue(value);
    return name === undefined ? undefined : `arn:aws:iam::\${AWS::AccountId}:${kind}/${name}`;
  };

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (typeof resource !== 'object' || resource === null) { continue; }
    const properties = resource.Properties ?? {};
    if (KEY_TYPES.has(resource.Type ?? '') || properties.KeyPolicy !== undefined) {
      const keyPolicy = effectiveKeyPolicy(resource.Type ?? '', properties.KeyPolicy);
      keys.push({ logicalId, type: resource.Type ?? 'unknown', keyPolicy, path: resource.Metadata?.['aws:cdk:path'], arn: `\${${logicalId}.Arn}` });
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      for (const [list, kind] of PRINCIPAL_LISTS) {
        for (const value of asList(properties[list])) {
          const principal = principalOf(value, kind);
          if (principal) { attach(principal, properties.PolicyDocument); }
        }
      }
    }
    if (resource.Type === 'AWS::IAM::Role' || resource.Type === 'AWS::IAM::User') {
      const principal = `\${${logicalId}.Arn}`;
      // A list or entry built with an intrinsic (Fn::If) is attached as is: the evaluator reports it as unreadable.
      asList(properties.Policies).forEach((policy) => attach(principal, isIntrinsic(policy) ? policy : policy?.PolicyDocument));
      for (const arn of asList(properties.ManagedPolicyArns)) {
        const ref = arn?.Ref;
        if (typeof ref === 'string' && resources[ref]?.Type === 'AWS::IAM::ManagedPolicy') {
          const managed = resources[ref].Properties ?? {};
          // Already attached when the managed policy lists this principal itself.
          const listed = [...asList(managed.Roles), ...asList(managed.Users)].some((value) => value?.Ref === logicalId);
          if (!listed) { attach(principal, managed.PolicyDocument); }
        }
      }
    }
  }
  return { keys, identityPolicies };
}

/**
 * The key policy KMS applies: the template's, or for an AWS::KMS::Key without one, KMS's default
 * key policy, which allows the key's account root every KMS action.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export function effectiveKeyPolicy(type: string, keyPolicy: unknown): any {
  if (keyPolicy !== undefined || type !== 'AWS::KMS::Key') { return keyPolicy; }
  return {
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::${AWS::AccountId}:root' },
      Action: 'kms:*',
      Resource: '*',
    }],
  };
}

function asList(value: unknown): any[] {
  if (value === undefined || value === null) { return []; }
  return Array.isArray(value) ? value : [value];
}
