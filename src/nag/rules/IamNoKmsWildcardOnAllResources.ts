import { conditionKeyMatcher, positiveCondition } from '../private/conditions';
import { findingId, statementName } from '../private/key-policy-context';
import { KMS_ACTIONS, canonicalValue, expandKmsActionPattern, isIntrinsic } from '../private/policy';
import { Compliance, Finding, RuleResult, cannotEvaluate, describeValue, findingsOrCompliant } from '../private/rule-result';
import { RuleTarget, isObject } from '../private/rule-target';

/** Condition keys that narrow WHICH keys a statement reaches (RULES.md lists them). */
export const KEY_NARROWING_KEYS = [
  'kms:ViaService', 'kms:ResourceAliases', 'kms:RequestAlias', 'kms:EncryptionContext:<key>', 'kms:EncryptionContextKeys', 'aws:ResourceTag/<tag>',
];
const isKeyNarrowing = conditionKeyMatcher(KEY_NARROWING_KEYS);

/** KMS key ARNs of several partitions' shapes, accounts and Regions: a NotResource that matches them all excludes every key. */
const SAMPLE_KEY_ARNS = [
  'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  'arn:aws:kms:eu-west-3:999999999999:key/mrk-1234abcd12ab34cd56ef1234567890ab',
];

/**
 * Identity policies (AWS::IAM::Policy, AWS::IAM::ManagedPolicy, and the inline policies of roles,
 * users and groups) do not allow every KMS action, or kms:Decrypt, on every key (`Resource: "*"`,
 * or a NotResource that leaves keys in) without a condition that narrows which keys (kms:ViaService,
 * kms:ResourceAliases, aws:ResourceTag/..., an encryption context). Actions are expanded over the
 * full KMS action list, so `kms:De*`, `*` and NotAction are caught. Findings name the statement.
 */
export function iamNoKmsWildcardOnAllResources({ resource }: RuleTarget): RuleResult {
  const documents = policyDocuments(resource.type, resource.properties);
  if (documents === undefined) { return Compliance.NOT_APPLICABLE; }
  const findings: Finding[] = [];
  for (const { name, document } of documents) {
    const listed = isObject(document) && !isIntrinsic(document) ? document.Statement : undefined;
    if (!Array.isArray(listed) && !(isObject(listed) && !isIntrinsic(listed))) {
      findings.push(cannotEvaluate(`The statements of policy ${name} are ${describeValue(listed ?? document)}, only known at deploy time.`));
      continue;
    }
    (Array.isArray(listed) ? listed : [listed]).forEach((statement: unknown, index: number) => {
      const label = `${name}.${statementName(statement, index)}`;
      const verdict = tooBroad(statement);
      if (verdict === undefined) { findings.push(cannotEvaluate(`Statement ${label} holds a value only known at deploy time.`)); }
      if (verdict === true) { findings.push({ id: findingId(label) }); }
    });
  }
  return findingsOrCompliant(findings);
}

type Documents = Array<{ name: string; document: unknown }>;

function policyDocuments(type: string, properties: { [key: string]: any }): Documents | undefined {
  if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::ManagedPolicy') {
    return [{ name: 'PolicyDocument', document: properties.PolicyDocument }];
  }
  if (type !== 'AWS::IAM::Role' && type !== 'AWS::IAM::User' && type !== 'AWS::IAM::Group') { return undefined; }
  const policies = properties.Policies ?? [];
  // A list built with an intrinsic (Fn::If) is a single unreadable document.
  return (Array.isArray(policies) ? policies : [policies]).map((policy: unknown, index: number) => {
    const readable = isObject(policy) && !isIntrinsic(policy);
    return {
      name: (readable ? canonicalValue(policy.PolicyName) : undefined) ?? `Policies${index}`,
      document: readable ? policy.PolicyDocument : policy,
    };
  });
}

/** true: allows kms:* or kms:Decrypt on every key; false: does not; undefined: cannot tell. */
function tooBroad(statement: unknown): boolean | undefined {
  if (!isObject(statement) || isIntrinsic(statement)) { return undefined; }
  const effect = canonicalValue(statement.Effect);
  if (effect === undefined) { return undefined; }
  if (effect !== 'Allow') { return false; }
  const actions = kmsActionsOf(statement);
  if (actions === undefined) { return undefined; }
  if (!actions.includes('kms:Decrypt') && actions.length < KMS_ACTIONS.length) { return false; }
  const everyKey = everyResource(statement);
  if (everyKey !== true) { return everyKey; }
  const narrowed = positiveCondition(statement.Condition, isKeyNarrowing, (value) => value !== '*');
  return narrowed === undefined ? undefined : !narrowed;
}

function kmsActionsOf(statement: { [key: string]: unknown }): string[] | undefined {
  const negated = statement.NotAction !== undefined;
  const patterns = canonicalList(negated ? statement.NotAction : statement.Action);
  if (patterns === undefined) { return undefined; }
  const matched = new Set(patterns.flatMap(expandKmsActionPattern));
  return negated ? KMS_ACTIONS.filter((action) => !matched.has(action)) : [...matched];
}

/** Whether the statement reaches every key: `Resource: "*"`, or a NotResource that does not exclude every key. */
function everyResource(statement: { [key: string]: unknown }): boolean | undefined {
  if (statement.NotResource !== undefined) {
    const excluded = canonicalList(statement.NotResource);
    if (excluded === undefined) { return undefined; }
    return !SAMPLE_KEY_ARNS.every((arn) => excluded.some((pattern) => globMatches(pattern, arn)));
  }
  const listed = (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).filter((entry) => entry !== undefined);
  // An imported value is the ARN another stack exported for one resource (a key's, from the
  // stack that owns it), not `*`: it names a resource, whatever its value.
  const resources = canonicalList(listed.filter((entry) => !isImportedValue(entry)));
  return resources === undefined ? undefined : resources.includes('*');
}

function isImportedValue(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length === 1 && value['Fn::ImportValue'] !== undefined;
}

/** IAM's Resource matching: `*` and `?` wildcards, case-sensitive. */
function globMatches(pattern: string, value: string): boolean {
  const body = pattern.split('').map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`).test(value);
}

function canonicalList(value: unknown): string[] | undefined {
  const values = (Array.isArray(value) ? value : [value]).filter((entry) => entry !== undefined).map(canonicalValue);
  return values.every((entry): entry is string => entry !== undefined) ? values : undefined;
}
