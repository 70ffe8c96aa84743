import { CustomResource, Duration, RemovalPolicy, Stack, Token, Validations, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { HandlerProvider } from './handler-provider';
import { fail } from '../../errors';
import { KeyFamily, KeyPolicySetup, adminActionsFor, usageActionsFor } from '../../shared/key-type';
import { PENDING_WINDOW_DAYS, daysWithin, validateKeyRemovalPolicy } from '../../shared/validation';
import { CustomKeyStoreKeyOptions } from '../custom-key-store-key-options';
import { MANAGED_KEY_TAGS, REQUEST_ALIAS_PREFIXES } from '../handler/constants';

/** What differs between the keys of the two custom key store types. */
export interface StoreKeyKind {
  /** The construct's class name, for messages. */
  readonly className: string;
  /** "a CloudHSM key store" or "an external key store", for messages. */
  readonly store: string;
  /** CreateKey's Origin. */
  readonly origin: 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
  readonly providerId: string;
  readonly purpose: string;
  readonly resourceType: string;
  /** Sid of the handler role's CreateKey statement. */
  readonly createSid: string;
}

export const CLOUD_HSM_KEY: StoreKeyKind = {
  className: 'CloudHsmKey',
  store: 'a CloudHSM key store',
  origin: 'AWS_CLOUDHSM',
  providerId: 'CdkKmsPatternsCloudHsmKeyProvider',
  purpose: 'KMS key in a CloudHSM key store',
  resourceType: 'Custom::KmsCloudHsmKey',
  createSid: 'CreateKeysInCloudHsmKeyStores',
};

export const XKS_KEY: StoreKeyKind = {
  className: 'XksKey',
  store: 'an external key store',
  origin: 'EXTERNAL_KEY_STORE',
  providerId: 'CdkKmsPatternsXksKeyProvider',
  purpose: 'KMS key in an external key store',
  resourceType: 'Custom::KmsXksKey',
  createSid: 'CreateKeysInExternalKeyStores',
};

/** Keys in custom key stores: symmetric encryption only, never rotated, imported or multi-Region. */
export const STORE_KEY_POLICY_SETUP: KeyPolicySetup = {
  family: KeyFamily.SYMMETRIC_ENCRYPTION,
  usageActions: usageActionsFor(KeyFamily.SYMMETRIC_ENCRYPTION),
  adminActions: adminActionsFor({ family: KeyFamily.SYMMETRIC_ENCRYPTION, rotatable: false, multiRegionPrimary: false, importedMaterial: false }),
};

/** The settings a key in a custom key store can have, checked; the removal policy and pending window to use. */
export function validateStoreKey(scope: IConstruct, props: CustomKeyStoreKeyOptions,
  kind: StoreKeyKind): { removalPolicy: RemovalPolicy; pendingWindowDays: number } {
  if (props.enableKeyRotation) {
    fail(scope, `'enableKeyRotation' value true is not possible for a key in ${kind.store}: KMS does not rotate keys in custom key stores. Allowed: false or unset (rotate by creating a new key and moving the alias)`);
  }
  if (props.multiRegion) {
    fail(scope, `'multiRegion' value true is not possible for a key in ${kind.store}. Allowed: false or unset`);
  }
  if (props.keySpec !== undefined && props.keySpec !== kms.KeySpec.SYMMETRIC_DEFAULT) {
    fail(scope, `'keySpec' value ${JSON.stringify(props.keySpec)} is not possible for a key in ${kind.store}. Allowed: SYMMETRIC_DEFAULT`);
  }
  if (props.accountAdministration === false) {
    fail(scope, `'accountAdministration' value false is not possible for a ${kind.className}. Allowed: true or unset. The key is created and updated by a handler role whose kms:PutKeyPolicy comes through the account statement; without it KMS refuses the key policy (lockout safety check)`);
  }
  const removalPolicy = validateKeyRemovalPolicy(scope, props.removalPolicy ?? RemovalPolicy.RETAIN);
  const pendingWindowDays = daysWithin(scope, 'pendingWindow', props.pendingWindow ?? Duration.days(PENDING_WINDOW_DAYS.default), PENDING_WINDOW_DAYS);
  return { removalPolicy, pendingWindowDays };
}

/**
 * The custom resource that creates the key with the stack's shared provider of `kind`. It carries
 * the key policy as `KeyPolicy`, so the rule pack and other template readers see it.
 */
export function createStoreKeyResource(scope: IConstruct, kind: StoreKeyKind, removalPolicy: RemovalPolicy,
  properties: Record<string, unknown>): { resource: CustomResource; handlerRole: iam.IRole } {
  const provider = HandlerProvider.of(scope, { id: kind.providerId, module: 'key', asynchronous: false, purpose: kind.purpose });
  grantKeyManagement(provider.handlerRole, kind);
  const resource = new CustomResource(scope, 'Resource', {
    serviceToken: provider.serviceToken,
    resourceType: kind.resourceType,
    removalPolicy,
    properties,
  });
  resource.node.addDependency(provider.handlerRole);
  return { resource, handlerRole: provider.handlerRole };
}

/**
 * CreateKey only for keys of the kind's origin in a custom key store, tagged by the handler;
 * every later change only on keys that carry that tag (ABAC), so the role cannot touch the
 * account's other keys. The handler finds the key of an earlier attempt by its request alias, so
 * it needs no ListKeys.
 */
function grantKeyManagement(role: iam.Role, kind: StoreKeyKind): void {
  if (role.node.tryFindChild('KeyManagement')) { return; }
  const stack = Stack.of(role);
  const keys = stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
  const tag = MANAGED_KEY_TAGS[kind.origin];
  const aliasPrefix = REQUEST_ALIAS_PREFIXES[kind.origin];
  const requestAliases = stack.formatArn({ service: 'kms', resource: `${aliasPrefix}*` });
  const tagged = { Null: { [`aws:ResourceTag/${tag}`]: 'false' } };
  role.attachInlinePolicy(new iam.Policy(role, 'KeyManagement', {
    statements: [
      new iam.PolicyStatement({
        sid: kind.createSid,
        actions: ['kms:CreateKey'],
        resources: ['*'],
        conditions: {
          'StringEquals': { 'kms:KeyOrigin': kind.origin, 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT' },
          'Bool': { 'kms:MultiRegion': 'false' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [tag] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'TagKeysOnCreation',
        actions: ['kms:TagResource'],
        resources: [keys],
        conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [tag] } },
      }),
      new iam.PolicyStatement({ sid: 'ReadKeys', actions: ['kms:DescribeKey'], resources: [keys] }),
      new iam.PolicyStatement({ sid: 'RecordKeysUnderRequestAliases', actions: ['kms:CreateAlias'], resources: [requestAliases] }),
      new iam.PolicyStatement({
        sid: 'ManageTaggedKeys',
        actions: ['kms:CreateAlias', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:UpdateKeyDescription'],
        resources: [keys],
        conditions: tagged,
      }),
    ],
  }));
  const inNag = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${inNag(stack.region, 'AWS::Region')}:${inNag(stack.account, 'AWS::AccountId')}:key/*]`,
    reason: 'The key ids are not known before the handler creates the keys. Changes are limited to keys with the tag the handler sets at creation (ABAC); the only read is DescribeKey.',
  });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${inNag(stack.region, 'AWS::Region')}:${inNag(stack.account, 'AWS::AccountId')}:${aliasPrefix}*]`,
    reason: 'Each create request names its key by an alias derived from the request id, unknown at synth; the role may create aliases under this prefix only.',
  });
}
