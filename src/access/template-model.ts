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
  /** The KMS grants of the template on this key (custom resources such as KeyGrant). */
  readonly grants: GrantInTemplate[];
}

/**
 * A KMS grant declared in a template: a custom resource with the CreateGrant parameters as
 * properties (`KeyArn` or `KeyId`, `GranteePrincipal`, `Operations`, optional
 * `RetiringPrincipal` and `Constraints`), as KeyGrant writes them. Grants are not in the key
 * policy, so the template's grant resources are the only place a reader can see them.
 */
export interface GrantInTemplate {
  /** Logical id of the grant resource. */
  readonly logicalId: string;
  /** Construct path from the `aws:cdk:path` metadata. @default - the template carries no path */
  readonly path?: string;
  /** GranteePrincipal as in the template. */
  readonly granteePrincipal: any;
  /** Operations as in the template (`Decrypt`, `Encrypt`...). */
  readonly operations: any;
  /** RetiringPrincipal as in the template. @default - none */
  readonly retiringPrincipal?: any;
  /** Constraints as in the template (`EncryptionContextEquals` or `EncryptionContextSubset`). @default - none */
  readonly constraints?: any;
  /**
   * The key reference as in the template, when it cannot be read at synth (a parameter, an
   * import...): the grant may be on any key of the template, and the evaluator says so.
   * @default - the grant is on the key it is listed under
   */
  readonly unreadableKey?: any;
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
  const grantsByKey = new Map<string, GrantInTemplate[]>();
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
      keys.push({ logicalId, type: resource.Type ?? 'unknown', keyPolicy, path: resource.Metadata?.['aws:cdk:path'], arn: `\${${logicalId}.Arn}`, grants: [] });
    }
    const grant = grantOf(logicalId, resource, resources);
    if (grant) { grantsByKey.set(grant.key, [...grantsByKey.get(grant.key) ?? [], grant.grant]); }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      for (const [list, kind] of PRINCIPAL_LISTS) {
        for (const { value, condition } of listEntries(properties[list])) {
          const principal = principalOf(value, kind);
          // Attached only when a condition holds: the evaluator reads the document as unreadable, never as absent.
          const document = condition === undefined ? properties.PolicyDocument : { 'Fn::If': [condition, properties.PolicyDocument, { Ref: 'AWS::NoValue' }] };
          if (principal) { attach(principal, document); }
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
  for (const key of keys) {
    key.grants.push(...grantsByKey.get(key.arn) ?? [], ...grantsByKey.get(`\${${key.logicalId}}`) ?? [], ...grantsByKey.get(UNREADABLE_KEY) ?? []);
  }
  return { keys, identityPolicies };
}

const CUSTOM_RESOURCE = /^(Custom::|AWS::CloudFormation::CustomResource$)/;

/** Where grants whose key reference cannot be read at synth are collected: every key of the template gets them. */
const UNREADABLE_KEY = '<unreadable key reference>';

/**
 * A grant resource, with the canonical key it names (`${Key.Arn}` or `${Key}`), or undefined. A
 * key reference known only at deploy time (a parameter, an import, a condition) is not dropped:
 * the grant goes to every key, and the evaluator cannot tell whether it applies.
 */
function grantOf(logicalId: string, resource: Resource, resources: Record<string, Resource>): { key: string; grant: GrantInTemplate } | undefined {
  const properties = resource.Properties ?? {};
  if (!CUSTOM_RESOURCE.test(resource.Type ?? '') || properties.GranteePrincipal === undefined || properties.Operations === undefined) {
    return undefined;
  }
  const reference = properties.KeyArn ?? properties.KeyId;
  const canonical = canonicalValue(reference);
  const parameter = canonical?.match(/^\$\{([^}.]+)\}$/)?.[1];
  const unreadable = canonical === undefined || (parameter !== undefined && !(parameter in resources) && !parameter.startsWith('AWS::'));
  const key = unreadable ? UNREADABLE_KEY : canonical;
  return {
    key,
    grant: {
      ...(unreadable ? { unreadableKey: reference } : {}),
      logicalId,
      path: resource.Metadata?.['aws:cdk:path'],
      granteePrincipal: properties.GranteePrincipal,
      operations: properties.Operations,
      retiringPrincipal: properties.RetiringPrincipal,
      constraints: properties.Constraints,
    },
  };
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

/**
 * The entries of a Roles or Users list, where the list or an entry may be an `Fn::If`: each
 * branch's entries, with the condition they depend on. `AWS::NoValue` names nobody.
 */
function listEntries(list: unknown, condition?: unknown): Array<{ value: unknown; condition?: unknown }> {
  return asList(list).flatMap((value) => {
    const branches = isObject(value) && Object.keys(value).length === 1 ? value['Fn::If'] : undefined;
    if (Array.isArray(branches) && branches.length === 3) {
      return [...listEntries(branches[1], branches[0]), ...listEntries(branches[2], branches[0])];
    }
    return isObject(value) && value.Ref === 'AWS::NoValue' ? [] : [{ value, condition }];
  });
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: unknown): any[] {
  if (value === undefined || value === null) { return []; }
  return Array.isArray(value) ? value : [value];
}

/** Marks an identity policy whose Resources include '*', a wildcard, a literal ARN or a value not known at synth. */
const OPEN = '\u0000open';
const resourceSets = new WeakMap<object, Map<string, Set<string>>>();

/**
 * The identity policies that can reach the key whose canonical ARN is `keyArn`: those whose
 * Resources name it, `*`, a wildcard, a literal ARN or a value not known at synth. The others
 * (another resource of the template, `${Other.Arn}`) cannot, and are left out unread.
 */
export function identityPoliciesFor(model: TemplateAccessModel, keyArn: string): { [principal: string]: any[] } {
  let byPrincipal = resourceSets.get(model.identityPolicies);
  if (!byPrincipal) {
    byPrincipal = identityResources(model.identityPolicies);
    resourceSets.set(model.identityPolicies, byPrincipal);
  }
  const relevant: { [principal: string]: any[] } = {};
  for (const [principal, resources] of byPrincipal) {
    if (resources.has(keyArn) || resources.has(OPEN)) { relevant[principal] = model.identityPolicies[principal]; }
  }
  return relevant;
}

/** The Resource values of each principal's identity policies, as far as they name resources of the template. */
function identityResources(identityPolicies: { [principal: string]: any[] }): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const [principal, policies] of Object.entries(identityPolicies)) {
    const resources = new Set<string>();
    for (const policy of policies) {
      const statements = policy?.Statement;
      for (const statement of Array.isArray(statements) ? statements : [statements]) {
        if (typeof statement !== 'object' || statement === null || !('Resource' in statement)) { resources.add(OPEN); continue; }
        const values = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        for (const value of values) {
          const text = canonicalValue(value);
          // `${Other.Arn}` and `${Bucket.Arn}/*` name a resource of the template; `${Parameter}` may be anything.
          resources.add(text !== undefined && /^\$\{[^}.]+\.[^}]+\}/.test(text) ? text : OPEN);
        }
      }
    }
    result.set(principal, resources);
  }
  return result;
}
