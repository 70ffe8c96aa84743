import { CreateAliasCommand, DeleteAliasCommand, KMSClient } from '@aws-sdk/client-kms';
import { EmulatorClientConfig } from './emulator';

/**
 * The ONE place where the harness works around moto 5.1.1, the local emulator. Nothing in src/
 * knows about the emulator; what the adapter cannot make moto do is listed in each test.
 *
 * Before CreateStack, `adaptTemplateForMoto` rewrites the template (each for a reason moto gives):
 * - AWS::KMS::Key KeyPolicy (and AWS::KMS::ReplicaKey KeyPolicy) given as an object becomes a JSON
 *   string (an Fn::Join when it holds intrinsics): moto stores an object as a dict and
 *   DescribeKey then fails with HTTP 500.
 * - The bootstrap version parameter and rule go: moto cannot resolve an SSM parameter type for a
 *   bootstrap stack that does not exist locally.
 * - AWS::CDK::Metadata goes: moto does not know the type.
 * - Output Exports go: only the integ-tests assertion stack imports them, and it is not deployed
 *   locally (it needs Lambda); without them, runs on a shared endpoint do not collide.
 *
 * After CreateStack, `completeSkippedResources` creates, through the service API and with the
 * template's own properties, the resources moto's CloudFormation skips silently (see COMPLETERS).
 */
export function adaptTemplateForMoto(template: any): any {
  const adapted = JSON.parse(JSON.stringify(template));
  delete adapted.Parameters?.BootstrapVersion;
  delete adapted.Rules?.CheckBootstrapVersion;
  for (const section of ['Parameters', 'Rules']) {
    if (adapted[section] && Object.keys(adapted[section]).length === 0) { delete adapted[section]; }
  }
  for (const [id, resource] of Object.entries<any>(adapted.Resources ?? {})) {
    if (resource.Type === 'AWS::CDK::Metadata') {
      delete adapted.Resources[id];
    } else if (KEY_TYPES.has(resource.Type) && typeof resource.Properties?.KeyPolicy === 'object') {
      resource.Properties.KeyPolicy = toJsonString(resource.Properties.KeyPolicy);
    }
  }
  for (const output of Object.values<any>(adapted.Outputs ?? {})) {
    delete output.Export;
  }
  return adapted;
}

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) { return false; }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/**
 * `value` serialized as JSON, as a CloudFormation expression. Intrinsics inside it (they resolve
 * to strings in a policy: ARNs, partitions, account IDs) become parts of an Fn::Join.
 */
export function toJsonString(value: unknown): unknown {
  const intrinsics: unknown[] = [];
  const marker = (i: number) => `@@INTRINSIC_${i}@@`;
  const json = JSON.stringify(value, (_key, v) => {
    if (isIntrinsic(v)) {
      intrinsics.push(v);
      return marker(intrinsics.length - 1);
    }
    return v;
  });
  if (intrinsics.length === 0) { return json; }
  const parts = json.split(/@@INTRINSIC_(\d+)@@/).map((part, i) => (i % 2 === 1 ? intrinsics[Number(part)] : part));
  return { 'Fn::Join': ['', parts.filter((part) => part !== '')] };
}

/** Physical ids of the stack's resources by logical id, to resolve Ref in skipped resources. */
export type PhysicalIds = Record<string, string>;

/** Creates one skipped resource from its template properties; returns how to delete it again. */
type Completer = (config: EmulatorClientConfig, properties: any, physicalIds: PhysicalIds) => Promise<() => Promise<void>>;

/**
 * Resource types moto 5.1.1's CloudFormation skips silently, and how to create them instead.
 * Add a type here when an integ app needs it locally (e.g. AWS::KMS::ReplicaKey -> ReplicateKey).
 */
const COMPLETERS: Record<string, Completer> = {
  'AWS::KMS::Alias': async (config, properties, physicalIds) => {
    const kms = new KMSClient(config);
    const aliasName = resolve(properties.AliasName, physicalIds);
    await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: resolve(properties.TargetKeyId, physicalIds) }));
    return async () => {
      await kms.send(new DeleteAliasCommand({ AliasName: aliasName }));
      kms.destroy();
    };
  },
};

/** What the adapter created after CreateStack, and how to remove it. */
export interface CompletedResources {
  /** `LogicalId (Type)` of each resource the adapter created through the service API. */
  readonly completed: string[];
  readonly undo: () => Promise<void>;
}

/** Creates the `skipped` resources (logical ids) of `template` that a completer exists for. */
export async function completeSkippedResources(
  config: EmulatorClientConfig, template: any, skipped: string[], physicalIds: PhysicalIds,
): Promise<CompletedResources> {
  const undos: Array<() => Promise<void>> = [];
  const completed: string[] = [];
  for (const id of skipped) {
    const resource = template.Resources[id];
    const completer = COMPLETERS[resource.Type];
    if (completer) {
      undos.push(await completer(config, resource.Properties ?? {}, physicalIds));
      completed.push(`${id} (${resource.Type})`);
    }
  }
  return { completed, undo: async () => { for (const undo of undos.reverse()) { await undo(); } } };
}

/** A property value with Ref and Fn::GetAtt (which moto answers with the key id as well) resolved. */
function resolve(value: any, physicalIds: PhysicalIds): string {
  if (typeof value === 'string') { return value; }
  const logicalId = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
  const physicalId = logicalId && physicalIds[logicalId];
  if (!physicalId) { throw new Error(`emulator adapter cannot resolve ${JSON.stringify(value)}`); }
  return physicalId;
}
