import { readFileSync } from 'fs';
import { resolve } from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { cached } from './run-cache';

/**
 * The templates CDK has just written for the validation in progress. During `cdk synth`, a
 * validation plugin runs after the cloud assembly is written, so a stack's resources can be read
 * from its template file (what CloudFormation will receive) instead of being rendered again.
 * Outside such a validation (`validateScope` in tests) nothing is known and resources are rendered.
 */
let current: Set<string> | undefined;

/** Runs `work` with the template files of the validation context. */
export function withSynthesizedTemplates<T>(templatePaths: string[], work: () => T): T {
  const previous = current;
  current = new Set(templatePaths.map((path) => resolve(path)));
  try {
    return work();
  } finally {
    current = previous;
  }
}

/** The Resources section of the template CDK wrote for `stack` in this validation, if any. */
export function synthesizedResources(stack: Stack): { [logicalId: string]: any } | undefined {
  if (!current) { return undefined; }
  const paths = current;
  return cached('synthesizedResources', stack, () => {
    const outdir = Stage.of(stack)?.outdir;
    const path = outdir === undefined ? undefined : resolve(outdir, stack.templateFile);
    // Only a file this validation names: a stale template of an earlier synth is never read.
    if (path === undefined || !paths.has(path)) { return undefined; }
    return JSON.parse(readFileSync(path, 'utf8')).Resources ?? {};
  });
}
