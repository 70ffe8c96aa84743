import { CloudFormationClient, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand, CreateKeyCommand, DeleteAliasCommand, DisableKeyCommand, EnableKeyRotationCommand, KMSClient,
  KeyMetadata, ReplicateKeyCommand, ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { EmulatorClientConfig } from './emulator';

/**
 * The ONE place where the harness works around moto 5.1.1, the local emulator. Nothing in src/
 * knows about the emulator; what the adapter cannot make moto do is listed in each test.
 *
 * Before CreateStack, `adaptTemplateForMoto` rewrites the template (each for a reason moto gives):
 * - AWS::KMS::Key KeyPolicy (and AWS::KMS::ReplicaKey KeyPolicy) given as an object becomes a JSON
 *   string (an Fn::Join when it holds intrinsics): moto stores an object as a dict and
 *   DescribeKey then fails with HTTP 500.
 * - So does each PolicyDocument of an AWS::IAM::Role's inline Policies: moto stores an object as
 *   the dict's text (`Statement=...`), which GetRolePolicy returns and nothing can parse.
 * - The bootstrap version parameter and rule go: moto cannot resolve an SSM parameter type for a
 *   bootstrap stack that does not exist locally.
 * - AWS::CDK::Metadata goes: moto does not know the type.
 * - Output Exports go: only the integ-tests assertion stack imports them, and it is not deployed
 *   locally (it needs Lambda); without them, runs on a shared endpoint do not collide.
 * - aws-cdk-lib's cross-Region references (Custom::CrossRegionExportWriter in the producing stack,
 *   Custom::CrossRegionExportReader in the consuming one) run Lambda functions, which moto cannot
 *   run. Both go, with their provider function and role. Each value a writer would put in SSM
 *   becomes a stack output instead (`CROSS_REGION_EXPORT_OUTPUT` + n, the export's name as its
 *   Description), so moto resolves it; `crossRegionExportsOf` reads them back after CreateStack.
 *   In a consuming stack, each `Fn::GetAtt [reader, exportName]` becomes that value, read from
 *   the stacks deployed before it (`exported`): e.g. the primary key's ARN, as deployed, in the
 *   template of the replica stack.
 * - An AWS::KMS::Key with MultiRegion true moves from Resources to the template's Metadata
 *   (`TAKEN_OVER`): moto's CloudFormation drops MultiRegion (and KeySpec, KeyUsage) and would
 *   create a single-Region key. `completeSkippedResources` creates it with CreateKey (see
 *   COMPLETERS).
 * - A custom resource of this library whose handler the adapter runs in process (see
 *   IN_PROCESS_HANDLERS: Custom::KmsKeyGrant) moves to the template's Metadata (`TAKEN_OVER`),
 *   and the Lambda functions of its provider go, with whatever refers to them (the framework's
 *   invoke policy): moto cannot run Lambda, nor create a function whose code is a CDK asset. The
 *   handler's role stays, since the key policy names it.
 * - Outputs that refer to a resource moto skips or the adapter took over (a ReplicaKey's Arn)
 *   would make moto's CreateStack fail (its output validation cannot look up the type). They
 *   move to the template's Metadata (`DEFERRED_OUTPUTS`) and are resolved by
 *   `completeSkippedResources` from what the completers created.
 *
 * After CreateStack, `completeSkippedResources` creates, through the service API and with the
 * template's own properties, the resources moto's CloudFormation skips silently (see COMPLETERS).
 *
 * `deleteStack` tolerates one moto failure: moto deletes a stack's resources in no fixed order,
 * and an AWS::IAM::Policy whose role went first can never be deleted (NoSuchEntity). The stack is
 * left behind with a warning; each test file's emulator instance is stopped with it anyway.
 */
export function adaptTemplateForMoto(template: any, exported: CrossRegionExports = {}): any {
  const adapted = takeOverInProcessResources(replaceCrossRegionReferences(JSON.parse(JSON.stringify(template)), exported));
  delete adapted.Parameters?.BootstrapVersion;
  delete adapted.Rules?.CheckBootstrapVersion;
  for (const section of ['Parameters', 'Rules']) {
    if (adapted[section] && Object.keys(adapted[section]).length === 0) { delete adapted[section]; }
  }
  for (const [id, resource] of Object.entries<any>(adapted.Resources ?? {})) {
    if (resource.Type === 'AWS::CDK::Metadata') {
      delete adapted.Resources[id];
    } else if (resource.Type === 'AWS::KMS::Key' && resource.Properties?.MultiRegion === true) {
      addMetadata(adapted, TAKEN_OVER, id, resource);
      delete adapted.Resources[id];
    } else if (KEY_TYPES.has(resource.Type) && typeof resource.Properties?.KeyPolicy === 'object') {
      resource.Properties.KeyPolicy = toJsonString(resource.Properties.KeyPolicy);
    } else if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of resource.Properties?.Policies ?? []) {
        if (typeof inline.PolicyDocument === 'object') { inline.PolicyDocument = toJsonString(inline.PolicyDocument); }
      }
    }
  }
  for (const [id, output] of Object.entries<any>(adapted.Outputs ?? {})) {
    delete output.Export;
    const adapterCreates = (logicalId: string) => logicalId in (adapted.Metadata?.[TAKEN_OVER] ?? {})
      || (adapted.Resources?.[logicalId]?.Type in COMPLETERS && adapted.Resources[logicalId].Type !== 'AWS::KMS::Key');
    if (refersTo(output.Value, adapterCreates)) {
      addMetadata(adapted, DEFERRED_OUTPUTS, id, output);
      delete adapted.Outputs[id];
    }
  }
  return adapted;
}

const KEY_TYPES = new Set(['AWS::KMS::Key', 'AWS::KMS::ReplicaKey']);

/** Template Metadata key under which outputs wait for the resources the adapter completes. */
const DEFERRED_OUTPUTS = 'EmulatorAdapterDeferredOutputs';
/** Template Metadata key of the resources the adapter creates instead of moto's CloudFormation. */
const TAKEN_OVER = 'EmulatorAdapterResources';

function addMetadata(template: any, section: string, id: string, value: unknown): void {
  template.Metadata = { ...template.Metadata, [section]: { ...template.Metadata?.[section], [id]: value } };
}

/** Whether `value` holds a Ref or Fn::GetAtt of a logical id that `matches`. */
function refersTo(value: unknown, matches: (logicalId: string) => boolean): boolean {
  let found = false;
  JSON.stringify(value, (_key, v) => {
    const logicalId = v?.Ref ?? v?.['Fn::GetAtt']?.[0];
    found ||= typeof logicalId === 'string' && matches(logicalId);
    return v;
  });
  return found;
}

/**
 * Moves the custom resources whose handler the adapter runs in process to `TAKEN_OVER`, and
 * removes their providers' Lambda functions and every resource that refers to a removed one.
 */
function takeOverInProcessResources(template: any): any {
  const resources: Record<string, any> = template.Resources ?? {};
  const removed = new Set<string>();
  for (const [id, resource] of Object.entries<any>(resources)) {
    if (!(resource.Type in IN_PROCESS_HANDLERS)) { continue; }
    addMetadata(template, TAKEN_OVER, id, resource);
    removed.add(id);
    const token = resource.Properties?.ServiceToken?.['Fn::GetAtt']?.[0];
    if (token) { removed.add(token); }
  }
  if (removed.size === 0) { return template; }
  // The framework function names the user handler, a policy invokes the functions: follow the references.
  for (let grew = true; grew;) {
    grew = false;
    for (const [id, resource] of Object.entries<any>(resources)) {
      if (removed.has(id)) { continue; }
      const referredBy = [...removed].some((r) => resources[r]?.Type === 'AWS::Lambda::Function' && refersTo(resources[r].Properties, (l) => l === id));
      if (refersTo(resource.Properties, (l) => removed.has(l)) || (resource.Type === 'AWS::Lambda::Function' && referredBy)) {
        removed.add(id);
        grew = true;
      }
    }
  }
  removed.forEach((id) => delete resources[id]);
  for (const resource of Object.values<any>(resources)) {
    if (Array.isArray(resource.DependsOn)) { resource.DependsOn = resource.DependsOn.filter((d: string) => !removed.has(d)); }
    if (typeof resource.DependsOn === 'string' && removed.has(resource.DependsOn)) { delete resource.DependsOn; }
  }
  return template;
}

/** Values of cross-Region exports by export name (the SSM parameter name aws-cdk-lib gives them). */
export type CrossRegionExports = Record<string, string>;

/** Output id prefix under which the adapter has moto resolve what an export writer would write. */
export const CROSS_REGION_EXPORT_OUTPUT = 'AdapterCrossRegionExport';

const EXPORT_WRITER = 'Custom::CrossRegionExportWriter';
const EXPORT_READER = 'Custom::CrossRegionExportReader';

function replaceCrossRegionReferences(template: any, exported: CrossRegionExports): any {
  const resources: Record<string, any> = template.Resources ?? {};
  const removed = new Set<string>();
  const remove = (id: string) => {
    // The provider's function (the ServiceToken) and that function's role go with the resource.
    const fn = resources[id].Properties?.ServiceToken?.['Fn::GetAtt']?.[0];
    const role = fn && resources[fn]?.Properties?.Role?.['Fn::GetAtt']?.[0];
    [id, fn, role].filter((r) => r && resources[r]).forEach((r) => { removed.add(r); delete resources[r]; });
  };
  let n = 0;
  for (const [id, resource] of Object.entries<any>(resources)) {
    if (resource.Type === EXPORT_WRITER) {
      for (const [name, value] of Object.entries(resource.Properties.WriterProps.exports)) {
        template.Outputs = { ...template.Outputs, [`${CROSS_REGION_EXPORT_OUTPUT}${n++}`]: { Description: name, Value: value } };
      }
      remove(id);
    }
  }
  const readers = Object.keys(resources).filter((id) => resources[id].Type === EXPORT_READER);
  readers.forEach(remove);
  const adapted = JSON.parse(JSON.stringify(template, (_key, value) => {
    const [target, name] = value?.['Fn::GetAtt'] ?? [];
    if (!readers.includes(target)) { return value; }
    if (!(name in exported)) { throw new Error(`emulator adapter: no stack deployed before this one exported ${name}`); }
    return exported[name];
  }));
  for (const resource of Object.values<any>(adapted.Resources ?? {})) {
    if (Array.isArray(resource.DependsOn)) { resource.DependsOn = resource.DependsOn.filter((d: string) => !removed.has(d)); }
    if (typeof resource.DependsOn === 'string' && removed.has(resource.DependsOn)) { delete resource.DependsOn; }
  }
  return adapted;
}

/** The cross-Region exports a stack created from `adaptedTemplate` wrote, from its `outputs`. */
export function crossRegionExportsOf(adaptedTemplate: any, outputs: Record<string, string>): CrossRegionExports {
  const declared = { ...adaptedTemplate.Outputs, ...adaptedTemplate.Metadata?.[DEFERRED_OUTPUTS] };
  return Object.fromEntries(Object.entries<any>(declared)
    .filter(([id]) => id.startsWith(CROSS_REGION_EXPORT_OUTPUT))
    .map(([id, output]) => [output.Description, outputs[id]]));
}

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

/**
 * Physical ids of the stack's resources by logical id, to resolve Ref in skipped resources; for
 * resources the adapter created, also their attributes as `LogicalId.Attribute`.
 */
export type PhysicalIds = Record<string, string>;

/** A resource the adapter created: its physical id and attributes (for later references) and how to delete it. */
interface Completion {
  readonly physicalId: string;
  readonly attributes?: Record<string, string>;
  readonly undo: () => Promise<void>;
}

/** Creates one skipped resource from its template properties. */
type Completer = (config: EmulatorClientConfig, properties: any, physicalIds: PhysicalIds) => Promise<Completion>;

/**
 * How the adapter creates, through the service API, what moto's CloudFormation skips silently
 * (AWS::KMS::Alias, AWS::KMS::ReplicaKey) or gets wrong (a multi-Region AWS::KMS::Key):
 * - AWS::KMS::Alias: CreateAlias with AliasName and TargetKeyId.
 * - AWS::KMS::Key (multi-Region only, see TAKEN_OVER): CreateKey with MultiRegion, Description,
 *   KeySpec, KeyUsage and Origin; EnableKeyRotation with RotationPeriodInDays when
 *   EnableKeyRotation is true.
 * - AWS::KMS::ReplicaKey: ReplicateKey, sent in the Region of PrimaryKeyArn (that is where KMS
 *   replicates from) with this stack's Region as ReplicaRegion and the Description. moto 5.1.1's
 *   ReplicateKey looks the key up by id only, so the id from PrimaryKeyArn is sent.
 * - Custom::KmsKeyGrant: the library's grant handler, run in process (IN_PROCESS_HANDLERS) with
 *   the template's properties, the role ARNs read from IAM; undone with the handler's Delete.
 * Keys: DisableKey when Enabled is false; undone with ScheduleKeyDeletion after
 * PendingWindowInDays. KeyPolicy is not sent: moto enforces no key policy, and its ReplicateKey
 * ignores Policy.
 */
const COMPLETERS: Record<string, Completer> = {
  'AWS::KMS::Alias': async (config, properties, physicalIds) => {
    const kms = new KMSClient(config);
    const aliasName = resolve(properties.AliasName, physicalIds);
    await kms.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: resolve(properties.TargetKeyId, physicalIds) }));
    return {
      physicalId: aliasName,
      undo: async () => {
        await kms.send(new DeleteAliasCommand({ AliasName: aliasName }));
        kms.destroy();
      },
    };
  },
  'AWS::KMS::Key': async (config, properties) => {
    const kms = new KMSClient(config);
    const { KeyMetadata: created } = await kms.send(new CreateKeyCommand({
      MultiRegion: properties.MultiRegion,
      Description: properties.Description,
      KeySpec: properties.KeySpec,
      KeyUsage: properties.KeyUsage,
      Origin: properties.Origin,
    }));
    if (properties.EnableKeyRotation) {
      await kms.send(new EnableKeyRotationCommand({ KeyId: created!.KeyId, RotationPeriodInDays: properties.RotationPeriodInDays }));
    }
    return keyCompletion(kms, created!, properties);
  },
  'Custom::KmsKeyGrant': async (config, properties, physicalIds) => {
    const onEvent = inProcessHandler(config, 'Custom::KmsKeyGrant');
    const resourceProperties = {
      ...properties,
      KeyArn: resolve(properties.KeyArn, physicalIds),
      GranteePrincipal: await principalArn(config, properties.GranteePrincipal, physicalIds),
      ...(properties.RetiringPrincipal ? { RetiringPrincipal: await principalArn(config, properties.RetiringPrincipal, physicalIds) } : {}),
    };
    const event = { ResourceType: 'Custom::KmsKeyGrant', LogicalResourceId: 'InProcess', ResourceProperties: resourceProperties };
    const created = await onEvent({ ...event, RequestType: 'Create' });
    return {
      physicalId: created.PhysicalResourceId!,
      attributes: { GrantId: created.PhysicalResourceId! },
      undo: async () => { await onEvent({ ...event, RequestType: 'Delete', PhysicalResourceId: created.PhysicalResourceId }); },
    };
  },
  'AWS::KMS::ReplicaKey': async (config, properties, physicalIds) => {
    const primaryKeyArn = resolve(properties.PrimaryKeyArn, physicalIds);
    const primary = new KMSClient({ ...config, region: primaryKeyArn.split(':')[3] });
    const { ReplicaKeyMetadata } = await primary.send(new ReplicateKeyCommand({
      KeyId: primaryKeyArn.split('/').pop(), ReplicaRegion: config.region, Description: properties.Description,
    }));
    primary.destroy();
    return keyCompletion(new KMSClient(config), ReplicaKeyMetadata!, properties);
  },
};

/**
 * The custom resources of this library whose handler the adapter runs in this process, against
 * the emulator, instead of in Lambda: the module of the handler the provider would invoke.
 */
const IN_PROCESS_HANDLERS: Record<string, string> = {
  'Custom::KmsKeyGrant': '../../src/key/handler/key-grant',
};

type OnEvent = (event: any) => Promise<{ PhysicalResourceId?: string }>;

/**
 * The handler's onEvent with its AWS clients pointed at the emulator. A handler makes its clients
 * when its module loads, from the environment, as in Lambda; so the environment is set first and
 * the module loaded afresh.
 */
function inProcessHandler(config: EmulatorClientConfig, type: string): OnEvent {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: config.endpoint,
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: config.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: config.credentials.secretAccessKey,
  });
  let onEvent: OnEvent | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    onEvent = require(IN_PROCESS_HANDLERS[type]).onEvent;
  });
  return onEvent!;
}

/** A role's ARN for a `Fn::GetAtt [Role, Arn]` (moto's physical id of a role is its name). */
async function principalArn(config: EmulatorClientConfig, value: any, physicalIds: PhysicalIds): Promise<string> {
  const resolved = resolve(value, physicalIds);
  if (resolved.startsWith('arn:')) { return resolved; }
  const iam = new IAMClient(config);
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: resolved }))).Role!.Arn!;
  } finally {
    iam.destroy();
  }
}

/** A key the adapter created with `kms` (in its Region), disabled if the template says so. */
async function keyCompletion(kms: KMSClient, key: KeyMetadata, properties: any): Promise<Completion> {
  if (properties.Enabled === false) { await kms.send(new DisableKeyCommand({ KeyId: key.KeyId })); }
  return {
    physicalId: key.KeyId!,
    attributes: { Arn: key.Arn!, KeyId: key.KeyId! },
    undo: async () => {
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: properties.PendingWindowInDays ?? 30 }));
      kms.destroy();
    },
  };
}

/** What the adapter created after CreateStack, and how to remove it. */
export interface CompletedResources {
  /** `LogicalId (Type)` of each resource the adapter created through the service API. */
  readonly completed: string[];
  /** The outputs that waited for those resources, resolved. */
  readonly outputs: Record<string, string>;
  readonly undo: () => Promise<void>;
}

/**
 * Creates the resources of `template` the adapter took over, then the `skipped` ones (logical
 * ids) that a completer exists for.
 */
export async function completeSkippedResources(
  config: EmulatorClientConfig, template: any, skipped: string[], physicalIds: PhysicalIds,
): Promise<CompletedResources> {
  const undos: Array<() => Promise<void>> = [];
  const completed: string[] = [];
  // Template order; each completed resource can be referenced by the ones after it (a replica key's alias).
  const known = { ...physicalIds };
  const toCreate: Array<[string, any]> = [
    ...Object.entries<any>(template.Metadata?.[TAKEN_OVER] ?? {}),
    ...skipped.map((id): [string, any] => [id, template.Resources[id]]),
  ];
  for (const [id, resource] of toCreate) {
    const completer = COMPLETERS[resource.Type];
    if (completer) {
      const completion = await completer(config, resource.Properties ?? {}, known);
      known[id] = completion.physicalId;
      Object.entries(completion.attributes ?? {}).forEach(([name, value]) => { known[`${id}.${name}`] = value; });
      undos.push(completion.undo);
      completed.push(`${id} (${resource.Type})`);
    }
  }
  const deferred = Object.entries<any>(template.Metadata?.[DEFERRED_OUTPUTS] ?? {});
  const outputs = Object.fromEntries(deferred.map(([id, output]) => [id, resolve(output.Value, known)]));
  return { completed, outputs, undo: async () => { for (const undo of undos.reverse()) { await undo(); } } };
}

/**
 * A property value with Ref and Fn::GetAtt resolved: an attribute the adapter knows, else the
 * physical id (moto answers a key's GetAtt Arn with its id as well, which KMS accepts).
 */
function resolve(value: any, physicalIds: PhysicalIds): string {
  if (typeof value === 'string') { return value; }
  const [logicalId, attribute] = value?.Ref ? [value.Ref] : value?.['Fn::GetAtt'] ?? [];
  const physicalId = logicalId && (physicalIds[`${logicalId}.${attribute}`] ?? physicalIds[logicalId]);
  if (!physicalId) { throw new Error(`emulator adapter cannot resolve ${JSON.stringify(value)}`); }
  return physicalId;
}

/** DeleteStack; a NoSuchEntity from moto's unordered deletion leaves the stack with a warning. */
export async function deleteStack(cfn: CloudFormationClient, stackName: string): Promise<void> {
  try {
    await cfn.send(new DeleteStackCommand({ StackName: stackName }));
  } catch (err: any) {
    if (err.name !== 'NoSuchEntity') { throw err; }
    // eslint-disable-next-line no-console
    console.warn(`emulator: moto could not delete stack ${stackName} (${err.message}); it goes with the emulator instance`);
  }
}
