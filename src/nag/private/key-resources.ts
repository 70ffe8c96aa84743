import { ResourceTemplate } from './rule-target';
import { literal } from './template';

export const KMS_KEY = 'AWS::KMS::Key';
export const KMS_REPLICA_KEY = 'AWS::KMS::ReplicaKey';
export const KMS_ALIAS = 'AWS::KMS::Alias';

/**
 * Whether the resource is a customer managed KMS key: AWS::KMS::Key, AWS::KMS::ReplicaKey, or a
 * custom resource that carries a `KeyPolicy` property (keys in a custom key store, which
 * CloudFormation cannot create natively).
 */
export function isCustomerManagedKey(resource: ResourceTemplate): boolean {
  return resource.type === KMS_KEY || resource.type === KMS_REPLICA_KEY || isCustomResourceKey(resource);
}

/** A custom resource that creates a key and declares its key policy. */
export function isCustomResourceKey(resource: ResourceTemplate): boolean {
  const custom = resource.type.startsWith('Custom::') || resource.type === 'AWS::CloudFormation::CustomResource';
  return custom && resource.properties.KeyPolicy !== undefined;
}

/**
 * Whether an AWS::KMS::Key is a symmetric encryption key with KMS-generated material: the only
 * kind KMS rotates automatically. `undefined` when a deciding property is an intrinsic.
 */
export function isRotatableKey(resource: ResourceTemplate): boolean | undefined {
  if (resource.type !== KMS_KEY) { return false; }
  const keySpec = literal(resource.properties.KeySpec) ?? 'SYMMETRIC_DEFAULT';
  const keyUsage = literal(resource.properties.KeyUsage) ?? 'ENCRYPT_DECRYPT';
  const origin = literal(resource.properties.Origin) ?? 'AWS_KMS';
  if ([keySpec, keyUsage, origin].some((value) => typeof value !== 'string')) { return undefined; }
  return keySpec === 'SYMMETRIC_DEFAULT' && keyUsage === 'ENCRYPT_DECRYPT' && origin === 'AWS_KMS';
}
