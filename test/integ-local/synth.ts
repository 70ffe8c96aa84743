import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { PROJECT_DIR } from '../../integ/runner/apps';
import { integTestStacks } from '../../integ/runner/plan';

/**
 * A synthesized integ app: its cloud assembly (manifest in memory; the directory is removed) and
 * the stacks its IntegTest deploys and tests, with their templates loaded.
 */
export interface SynthesizedIntegApp {
  readonly assembly: cxapi.CloudAssembly;
  /** The test-case stacks, dependencies first; not the integ-tests assertion stacks. */
  readonly testCaseStacks: cxapi.CloudFormationStackArtifact[];
}

const synthesized = new Map<string, SynthesizedIntegApp>();

/**
 * Synthesizes `integ/integ.<feature>.ts` in this process (much faster than spawning ts-node):
 * the app's `new App()` writes to CDK_OUTDIR, set to a fresh temp dir. Each app runs once per
 * module registry, so the result is kept.
 */
export function synthIntegApp(file: string): SynthesizedIntegApp {
  const absolute = path.resolve(PROJECT_DIR, file);
  const known = synthesized.get(absolute);
  if (known) { return known; }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk-kms-patterns-${path.basename(file, '.ts')}-`));
  const previous = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir;
  try {
    // The app runs when its module is first loaded; require is the synchronous way to do that.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(absolute);
  } finally {
    if (previous === undefined) { delete process.env.CDK_OUTDIR; } else { process.env.CDK_OUTDIR = previous; }
  }
  try {
    const assembly = new cxapi.CloudAssembly(outdir);
    const stacks = testCaseStacks(outdir, assembly, file);
    // Templates are read (and kept by the artifacts) now, so the temp dir can go.
    stacks.forEach((stack) => stack.template);
    const result = { assembly, testCaseStacks: stacks };
    synthesized.set(absolute, result);
    return result;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The stacks (dependencies first, templates loaded) of a fresh App that `build` fills, synthesized into a temp dir that is removed. */
export function synthApp(build: (app: App) => void): cxapi.CloudFormationStackArtifact[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-kms-patterns-app-'));
  try {
    const app = new App({ outdir });
    build(app);
    const stacks = app.synth().stacksRecursively;
    stacks.forEach((stack) => stack.template);
    return stacks;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function testCaseStacks(outdir: string, assembly: cxapi.CloudAssembly, file: string): cxapi.CloudFormationStackArtifact[] {
  const { testCases } = integTestStacks(outdir, file);
  // assembly.stacksRecursively is in dependency order.
  return assembly.stacksRecursively.filter((stack) => testCases.has(stack.hierarchicalId));
}
