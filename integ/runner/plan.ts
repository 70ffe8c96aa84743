import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CloudAssembly } from '@aws-cdk/cloud-assembly-api';
import { IntegApp } from './apps';

/** A test-case stack (what the app tests) or the IntegTest assertion stack (what checks it). */
export type StackRole = 'test case' | 'assertions';

/** Output id prefix integ-tests gives each assertion's result in the assertion stack. */
export const ASSERTION_OUTPUT_PREFIX = 'AssertionResults';

/** DeletionPolicy values that leave the resource behind when its stack is deleted. */
const RETAINING = new Set(['Retain', 'RetainExceptOnCreate']);

/** One stack of an integ app, as the runner will deploy it. */
export interface PlannedStack {
  /** Its id in the app (construct path), which toolkit-lib selects it by. */
  readonly id: string;
  readonly stackName: string;
  /** Undefined: the account of the credentials. */
  readonly account?: string;
  /** Undefined: the Region of the environment (AWS_REGION, the profile, or --region). */
  readonly region?: string;
  readonly role: StackRole;
  readonly template: any;
  /** Output ids of the assertion results in this stack. */
  readonly assertions: string[];
  /** `LogicalId (Type)` of the resources that deleting the stack leaves behind. */
  readonly retained: string[];
}

/** What deploying an integ app means: its stacks, dependencies first. */
export interface DeployPlan {
  readonly app: IntegApp;
  /** The cloud assembly schema version the app wrote (toolkit-lib has read it). */
  readonly schemaVersion: string;
  readonly stacks: PlannedStack[];
}

/** The plan of a synthesized app, from its cloud assembly and the integ.json IntegTest writes. */
export function planOf(app: IntegApp, assembly: CloudAssembly): DeployPlan {
  const assertionStacks = integTestStacks(assembly.directory, app.file).assertions;
  const stacks = assembly.stacksRecursively.map((stack): PlannedStack => {
    const template = stack.template;
    return {
      id: stack.hierarchicalId,
      stackName: stack.stackName,
      account: concrete(stack.environment.account, 'unknown-account'),
      region: concrete(stack.environment.region, 'unknown-region'),
      role: assertionStacks.has(stack.hierarchicalId) ? 'assertions' : 'test case',
      template,
      assertions: Object.keys(template.Outputs ?? {}).filter((id) => id.startsWith(ASSERTION_OUTPUT_PREFIX)),
      retained: Object.entries<any>(template.Resources ?? {})
        .filter(([, resource]) => RETAINING.has(resource.DeletionPolicy))
        .map(([id, resource]) => `${id} (${resource.Type})`),
    };
  });
  return { app, schemaVersion: assembly.version, stacks };
}

function concrete(value: string, unknown: string): string | undefined {
  return value === unknown ? undefined : value;
}

/**
 * The ids of the test-case stacks and of the assertion stacks of the app synthesized into
 * `directory`, from the integ.json its IntegTest writes next to the manifest.
 */
export function integTestStacks(directory: string, appFile: string): { testCases: Set<string>; assertions: Set<string> } {
  const file = path.join(directory, 'integ.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${appFile} wrote no integ.json: it must create an IntegTest and call app.synth()`);
  }
  const testCases = Object.values<any>(JSON.parse(fs.readFileSync(file, 'utf8')).testCases);
  return {
    testCases: new Set(testCases.flatMap((testCase) => testCase.stacks)),
    assertions: new Set(testCases.map((testCase) => testCase.assertionStack).filter(Boolean)),
  };
}

/** Where a stack goes, for people: `aws://123456789012/eu-west-1`, with placeholders for what the environment decides. */
export function whereTo(stack: PlannedStack, target: { account?: string; region?: string } = {}): string {
  return `aws://${stack.account ?? target.account ?? '<account of your credentials>'}/${stack.region ?? target.region ?? '<your Region>'}`;
}

/** The plan as the dry run prints it. */
export function formatPlan(plan: DeployPlan, target: { account?: string; region?: string } = {}): string {
  const width = Math.max(...plan.stacks.map((stack) => stack.id.length));
  const lines = [`${plan.app.name} (${plan.app.file}): cloud assembly schema ${plan.schemaVersion}, read by @aws-cdk/toolkit-lib`];
  for (const stack of plan.stacks) {
    const resources = Object.keys(stack.template.Resources ?? {}).length;
    const what = stack.role === 'assertions' ? `${stack.assertions.length} assertions` : `${resources} resources`;
    lines.push(`  ${stack.role.padEnd(10)} ${stack.id.padEnd(width)}  -> ${whereTo(stack, target)}  (${what})`);
  }
  const retained = plan.stacks.flatMap((stack) => stack.retained.map((resource) => `${stack.id}/${resource}`));
  if (retained.length > 0) {
    lines.push(`  left behind by destroy, then removed or listed by the runner: ${retained.join(', ')}`);
  }
  return lines.join('\n');
}
