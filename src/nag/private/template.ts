import { CfnResource, Stack } from 'aws-cdk-lib';
import { cached } from './run-cache';
import { synthesizedResources } from './synthesized-templates';

/** One resource as it appears in the synthesized template. */
export interface ResourceTemplate {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: { [key: string]: any };
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
}

/**
 * The resource exactly as CloudFormation will receive it: property overrides and escape hatches
 * included, tokens resolved to intrinsics: read from the template file CDK has just written when the
 * pack runs during synth, rendered otherwise. Rules read this rather than L1 properties, so a key made
 * by any construct, a CfnInclude'd template or a custom resource is read the same way.
 */
export function resourceTemplate(node: CfnResource): ResourceTemplate {
  return cached('resourceTemplate', node, () => renderResource(node));
}

function renderResource(node: CfnResource): ResourceTemplate {
  const stack = Stack.of(node);
  const synthesized = synthesizedResources(stack);
  if (synthesized) {
    const logicalId: string = stack.resolve(node.logicalId);
    const resource = synthesized[logicalId];
    if (resource) { return fromTemplate(logicalId, resource, node); }
  }
  const rendered = stack.resolve(node._toCloudFormation()) as { Resources?: { [id: string]: any } };
  const [logicalId, resource] = Object.entries(rendered.Resources ?? {})[0] ?? [stack.resolve(node.logicalId), {}];
  return fromTemplate(logicalId, resource, node);
}

function fromTemplate(logicalId: string, resource: any, node: CfnResource): ResourceTemplate {
  return {
    logicalId,
    type: resource.Type ?? node.cfnResourceType,
    properties: resource.Properties ?? {},
    deletionPolicy: resource.DeletionPolicy,
    updateReplacePolicy: resource.UpdateReplacePolicy,
  };
}

/**
 * Every resource of the stack that holds `node`, as a template fragment
 * (`{ Resources: { id: { Type, Properties, ... } } }`), for rules that need the resource's
 * neighbours (identity policies beside a key policy).
 */
export function stackTemplateOf(node: CfnResource): { Resources: { [id: string]: any } } {
  const stack = Stack.of(node);
  return cached('stackTemplate', stack, () => {
    const resources: { [id: string]: any } = {};
    for (const child of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(child) || Stack.of(child) !== stack) { continue; }
      const { logicalId, type, properties, deletionPolicy, updateReplacePolicy } = resourceTemplate(child);
      resources[logicalId] = { Type: type, Properties: properties, DeletionPolicy: deletionPolicy, UpdateReplacePolicy: updateReplacePolicy };
    }
    return { Resources: resources };
  });
}

/** A template value that is a CloudFormation intrinsic or otherwise not a plain literal. */
export const UNREADABLE = Symbol('unreadable');
export type Unreadable = typeof UNREADABLE;

/** The finding a rule reports when a value it depends on is only known at deploy time. */
export const CANNOT_EVALUATE = 'CannotEvaluate';

/** A string, number or boolean value; `UNREADABLE` for intrinsics (Ref to a parameter, Fn::If...). */
export function literal(value: unknown): string | number | boolean | undefined | Unreadable {
  if (value === undefined || value === null) { return undefined; }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') { return value; }
  return UNREADABLE;
}

/** A boolean property; CloudFormation also accepts the strings "true" and "false". */
export function booleanValue(value: unknown): boolean | undefined | Unreadable {
  const read = literal(value);
  if (typeof read === 'string') {
    if (read.toLowerCase() === 'true') { return true; }
    if (read.toLowerCase() === 'false') { return false; }
    return UNREADABLE;
  }
  return typeof read === 'number' ? UNREADABLE : read;
}

/** A number property; CloudFormation also accepts numeric strings. */
export function numberValue(value: unknown): number | undefined | Unreadable {
  const read = literal(value);
  if (typeof read === 'string') { return /^\d+$/.test(read) ? Number(read) : UNREADABLE; }
  return typeof read === 'boolean' ? UNREADABLE : read;
}
