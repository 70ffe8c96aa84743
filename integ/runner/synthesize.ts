import * as fs from 'node:fs';
import * as path from 'node:path';
import { CachedCloudAssembly, MemoryContext, Toolkit } from '@aws-cdk/toolkit-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { IntegApp } from './apps';
import { DeployPlan, planOf } from './plan';

/** How an app is synthesized. */
export interface SynthesisSettings {
  /** Context for the app (`-c`), besides what toolkit-lib passes. */
  readonly context?: Record<string, unknown>;
  /**
   * Ask STS for the account and Region of the credentials and give them to the app
   * (CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION). Needs credentials; the dry run does without.
   */
  readonly resolveEnvironment: boolean;
  /** Rewrites each stack's template after synthesis, before toolkit-lib reads the assembly. */
  readonly adaptTemplate?: (template: any) => any;
}

/** A synthesized app: the assembly toolkit-lib deploys from, and its plan. */
export interface SynthesizedApp {
  readonly app: IntegApp;
  readonly assembly: CachedCloudAssembly;
  readonly plan: DeployPlan;
  /** Releases the assembly and removes its temporary directory. */
  dispose(): Promise<void>;
}

/**
 * Synthesizes `app` in this process through toolkit-lib, which loads the assembly (refusing a
 * schema it cannot read) and keeps it for deploy and destroy.
 *
 * The app runs when its module is first loaded, so each app synthesizes once per process (per
 * jest test file): toolkit-lib sets CDK_OUTDIR and CDK_CONTEXT_JSON, and the app's `new App()`
 * reads them.
 */
export async function synthesize(toolkit: Toolkit, app: IntegApp, settings: SynthesisSettings): Promise<SynthesizedApp> {
  const source = await toolkit.fromAssemblyBuilder(async ({ outdir }) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(app.absolutePath);
    const written = new cxapi.CloudAssembly(outdir!);
    if (settings.adaptTemplate) { rewriteTemplates(written, settings.adaptTemplate); }
    return written;
  }, {
    contextStore: new MemoryContext(settings.context ?? {}),
    resolveDefaultEnvironment: settings.resolveEnvironment,
    // Integration stacks need none of the CLI's metadata, and the snapshots would carry it.
    synthOptions: { pathMetadata: false, assetMetadata: false, versionReporting: false },
  });
  const assembly = await toolkit.synth(source);
  let plan: DeployPlan;
  try {
    plan = planOf(app, assembly.cloudAssembly);
  } catch (err) {
    await assembly.dispose();
    throw err;
  }
  return { app, assembly, plan, dispose: () => assembly.dispose() };
}

function rewriteTemplates(assembly: cxapi.CloudAssembly, adapt: (template: any) => any): void {
  for (const stack of assembly.stacksRecursively) {
    const file = path.join(stack.assembly.directory, stack.templateFile);
    fs.writeFileSync(file, JSON.stringify(adapt(JSON.parse(fs.readFileSync(file, 'utf8'))), undefined, 1));
  }
}
