import {
  CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand,
  DescribeStackResourcesCommand, DescribeStacksCommand, Stack,
} from '@aws-sdk/client-cloudformation';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { clientConfig } from './emulator';
import {
  CROSS_REGION_EXPORT_OUTPUT, CrossRegionExports, adaptTemplateForMoto, completeSkippedResources, crossRegionExportsOf, deleteStack,
} from './emulator-adapter';
import { synthApp, synthIntegApp } from './synth';

/** One test-case stack as created on the emulator. */
export interface DeployedStack {
  /** The stack's id in the app (its construct path), e.g. `KmsPatternsKeyInteg`. */
  readonly id: string;
  readonly stackName: string;
  readonly region: string;
  /** The template as created, after the emulator adapter. */
  readonly template: any;
  readonly outputs: Record<string, string>;
  /** Physical ids of the resources moto's CloudFormation created, by logical id. */
  readonly physicalIds: Record<string, string>;
  /** `LogicalId (Type)` of resources moto skipped and the adapter created through the service API. */
  readonly completedResources: string[];
  /** `LogicalId (Type)` of resources of the template that nothing created (moto skips types it lacks). */
  readonly skippedResources: string[];
}

/** An integ app's test-case stacks, deployed; `cleanup` deletes them. */
export interface DeployedIntegApp {
  readonly stacks: DeployedStack[];
  /** The value of output `name` of the one stack that has it. */
  output(name: string): string;
  cleanup(): Promise<void>;
}

const DEFAULT_REGION = 'us-east-1';
const IAM_CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;

/**
 * Synthesizes `file` (e.g. 'integ/integ.key.ts'), creates its test-case stacks on `endpoint`
 * (dependencies first, each in its own Region or us-east-1) and waits for CREATE_COMPLETE.
 * The integ-tests assertion stacks are not deployed: they need Lambda.
 */
export async function deployIntegApp(file: string, endpoint: string): Promise<DeployedIntegApp> {
  return deployStacks(synthIntegApp(file).testCaseStacks, endpoint, file);
}

/**
 * Like `deployIntegApp`, for an app built in this process (e.g. an example): `build` adds its
 * stacks to a fresh App, and every stack of it is deployed.
 */
export async function deployApp(build: (app: App) => void, endpoint: string): Promise<DeployedIntegApp> {
  return deployStacks(synthApp(build), endpoint, 'the app built in process');
}

async function deployStacks(artifacts: cxapi.CloudFormationStackArtifact[], endpoint: string, file: string): Promise<DeployedIntegApp> {
  const suffix = Date.now().toString(36);
  const stacks: DeployedStack[] = [];
  const undos: Array<() => Promise<void>> = [];
  const clients = new Map<string, CloudFormationClient>();
  const clientFor = (region: string) => {
    if (!clients.has(region)) { clients.set(region, new CloudFormationClient(clientConfig(endpoint, region))); }
    return clients.get(region)!;
  };
  const cleanup = async () => {
    for (const undo of undos.reverse()) { await undo(); }
    undos.length = 0;
    for (const stack of [...stacks].reverse()) {
      await deleteStack(clientFor(stack.region), stack.stackName);
    }
    stacks.length = 0;
    clients.forEach((client) => client.destroy());
  };
  // What the stacks deployed so far exported across Regions, for the stacks that read it.
  const exported: CrossRegionExports = {};
  try {
    for (const artifact of artifacts) {
      const region = artifact.environment.region === 'unknown-region' ? DEFAULT_REGION : artifact.environment.region;
      const stackName = `${artifact.stackName}-${suffix}`;
      const template = adaptTemplateForMoto(artifact.template, exported);
      const created = await createStack(clientFor(region), stackName, template);
      const physicalIds = await physicalIdsOf(clientFor(region), stackName);
      const skipped = Object.keys(template.Resources ?? {}).filter((id) => !(id in physicalIds));
      const completion = await completeSkippedResources(clientConfig(endpoint, region), template, skipped, physicalIds);
      undos.push(completion.undo);
      const outputs = { ...Object.fromEntries((created.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])), ...completion.outputs };
      Object.assign(exported, crossRegionExportsOf(template, outputs));
      stacks.push({
        id: artifact.hierarchicalId,
        stackName,
        region,
        template,
        outputs: Object.fromEntries(Object.entries(outputs).filter(([id]) => !id.startsWith(CROSS_REGION_EXPORT_OUTPUT))),
        physicalIds,
        completedResources: completion.completed,
        skippedResources: skipped.map((id) => `${id} (${template.Resources[id].Type})`).filter((r) => !completion.completed.includes(r)),
      });
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    stacks,
    cleanup,
    output(name: string): string {
      const having = stacks.filter((stack) => name in stack.outputs);
      if (having.length !== 1) {
        throw new Error(`output ${name}: found in ${having.length} stacks of ${file} (${stacks.map((s) => s.id).join(', ')})`);
      }
      return having[0].outputs[name];
    },
  };
}

async function createStack(cfn: CloudFormationClient, stackName: string, template: unknown): Promise<Stack> {
  await cfn.send(new CreateStackCommand({
    StackName: stackName,
    TemplateBody: JSON.stringify(template),
    Capabilities: [...IAM_CAPABILITIES],
  }));
  for (let attempt = 0; attempt < 600; attempt++) {
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];
    if (stack?.StackStatus === 'CREATE_COMPLETE') { return stack; }
    if (!stack?.StackStatus?.endsWith('_IN_PROGRESS')) {
      const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }))).StackEvents ?? [];
      const reasons = events.filter((e) => e.ResourceStatusReason).map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`);
      throw new Error(`stack ${stackName} ended in ${stack?.StackStatus}: ${reasons.join('; ') || 'no reason given'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`stack ${stackName} did not finish creating within 60 s`);
}

async function physicalIdsOf(cfn: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }))).StackResources ?? [];
  return Object.fromEntries(resources.map((resource) => [resource.LogicalResourceId!, resource.PhysicalResourceId!]));
}
