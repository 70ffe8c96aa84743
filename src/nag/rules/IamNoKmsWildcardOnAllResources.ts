import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { hasPositiveCondition } from '../private/conditions';
import { findingId } from '../private/key-policy-context';
import { KMS_ACTIONS, canonicalValue, expandKmsActionPattern } from '../private/policy';
import { CANNOT_EVALUATE, resourceTemplate } from '../private/template';

/** Condition keys that narrow WHICH keys a statement reaches. */
const KEY_NARROWING = /^(kms:viaservice|kms:resourcealiases|kms:requestalias|kms:encryptioncontext:.+|kms:encryptioncontextkeys|aws:resourcetag\/.+)$/;

/**
 * Identity policies (AWS::IAM::Policy, AWS::IAM::ManagedPolicy, and the inline policies of roles,
 * users and groups) do not allow every KMS action, or kms:Decrypt, on every key (`Resource: "*"`,
 * or any NotResource) without a condition that narrows which keys (kms:ViaService,
 * kms:ResourceAliases, aws:ResourceTag/..., an encryption context). Actions are expanded over the
 * full KMS action list, so `kms:De*`, `*` and NotAction are caught. Findings name the statement.
 */
export function iamNoKmsWildcardOnAllResources(node: CfnResource): NagRuleResult {
  const resource = resourceTemplate(node);
  const documents = policyDocuments(resource.type, resource.properties);
  if (documents === undefined) { return NagRuleCompliance.NOT_APPLICABLE; }
  const findings = new Set<string>();
  for (const { name, document } of documents) {
    const listed = document?.Statement;
    (Array.isArray(listed) ? listed : [listed]).forEach((statement: any, index: number) => {
      const verdict = tooBroad(statement);
      if (verdict === undefined) { findings.add(CANNOT_EVALUATE); }
      if (verdict === true) { findings.add(findingId(`${name}.${statement.Sid ?? `Statement${index}`}`)); }
    });
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

function policyDocuments(type: string, properties: any): Array<{ name: string; document: any }> | undefined {
  if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy') {
    return [{ name: 'PolicyDocument', document: properties.PolicyDocument }];
  }
  if (type === 'AWS::IAM::Role' || type === 'AWS::IAM::User' || type === 'AWS::IAM::Group') {
    return (properties.Policies ?? []).map((policy: any) => ({ name: canonicalValue(policy?.PolicyName) ?? 'Policy', document: policy?.PolicyDocument }));
  }
  return undefined;
}

/** true: allows kms:* or kms:Decrypt on every key; false: does not; undefined: cannot tell. */
function tooBroad(statement: any): boolean | undefined {
  if (!statement) { return false; }
  const effect = canonicalValue(statement.Effect);
  if (effect === undefined) { return undefined; }
  if (effect !== 'Allow') { return false; }
  const actions = kmsActionsOf(statement);
  if (actions === undefined) { return undefined; }
  if (!actions.includes('kms:Decrypt') && actions.length < KMS_ACTIONS.length) { return false; }
  const everyKey = everyResource(statement);
  if (everyKey !== true) { return everyKey; }
  return !hasPositiveCondition(statement.Condition ?? {}, (key) => KEY_NARROWING.test(key), (value) => value !== '*');
}

function kmsActionsOf(statement: any): string[] | undefined {
  const negated = statement.NotAction !== undefined;
  const patterns = canonicalList(negated ? statement.NotAction : statement.Action);
  if (patterns === undefined) { return undefined; }
  const matched = new Set(patterns.flatMap(expandKmsActionPattern));
  return negated ? KMS_ACTIONS.filter((action) => !matched.has(action)) : [...matched];
}

function everyResource(statement: any): boolean | undefined {
  if (statement.NotResource !== undefined) { return true; }
  const resources = canonicalList(statement.Resource);
  return resources === undefined ? undefined : resources.includes('*');
}

function canonicalList(value: unknown): string[] | undefined {
  const values = (Array.isArray(value) ? value : [value]).filter((entry) => entry !== undefined).map(canonicalValue);
  return values.every((entry): entry is string => entry !== undefined) ? values : undefined;
}
