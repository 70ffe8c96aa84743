import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { canonicalValue } from './policy';
import { AppTemplates, ResourceTemplate, RuleTarget, StackTemplate, resourceFromTemplate } from './rule-target';
import { cached } from './run-cache';
import { synthesizedResources } from './synthesized-templates';

/**
 * The plugin's side of the rules: a construct's resource as a {@link RuleTarget}. Resources are
 * read exactly as CloudFormation will receive them (overrides and escape hatches included, tokens
 * resolved to intrinsics): from the template file CDK has just written when the pack runs during
 * synth, rendered otherwise.
 */
export function ruleTarget(node: CfnResource): RuleTarget {
  return cached('ruleTarget', node, () => ({ resource: resourceTemplate(node), stack: stackTemplate(Stack.of(node)) }));
}

/** The resource as it appears in the synthesized template. */
export function resourceTemplate(node: CfnResource): ResourceTemplate {
  return cached('resourceTemplate', node, () => renderResource(node));
}

function renderResource(node: CfnResource): ResourceTemplate {
  const stack = Stack.of(node);
  const synthesized = synthesizedResources(stack);
  if (synthesized) {
    const logicalId: string = stack.resolve(node.logicalId);
    const resource = synthesized[logicalId];
    if (resource) { return resourceFromTemplate(logicalId, resource); }
  }
  const rendered = stack.resolve(node._toCloudFormation()) as { Resources?: { [id: string]: any } };
  const [logicalId, resource] = Object.entries(rendered.Resources ?? {})[0] ?? [stack.resolve(node.logicalId), {}];
  return resourceFromTemplate(logicalId, { Type: node.cfnResourceType, ...resource });
}

function stackTemplate(stack: Stack): StackTemplate {
  return cached('stackTemplate', stack, () => {
    const resources: { [id: string]: any } = {};
    for (const child of cfnResourcesOf(stack)) {
      const { logicalId, type, properties, deletionPolicy, updateReplacePolicy } = resourceTemplate(child);
      resources[logicalId] = { Type: type, Properties: properties, DeletionPolicy: deletionPolicy, UpdateReplacePolicy: updateReplacePolicy };
    }
    return {
      template: { Resources: resources },
      account: canonicalValue(stack.resolve(stack.account)) ?? '${AWS::AccountId}',
      app: appTemplates(stack.node.root),
    };
  });
}

function appTemplates(root: IConstruct): AppTemplates {
  return cached('appTemplates', root, () => ({
    resourcesOfType: (type: string) => cached(`resourcesOfType:${type}`, root, () => root.node.findAll()
      .filter((child): child is CfnResource => CfnResource.isCfnResource(child) && child.cfnResourceType === type)
      .map(resourceTemplate)),
  }));
}

function cfnResourcesOf(stack: Stack): CfnResource[] {
  return stack.node.findAll().filter((child): child is CfnResource => CfnResource.isCfnResource(child) && Stack.of(child) === stack);
}
