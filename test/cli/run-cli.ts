import * as path from 'path';
import { runCli } from '../../src/cli/run-cli';

export const FIXTURES = path.join(__dirname, 'fixtures');

/** `cdk-kms-patterns <args>` in this process: the exit code and what it printed. */
export function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } });
  return { code, stdout, stderr };
}

/** A fixture's path. */
export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** The `KmsChecks-Rule[finding]` names of a `--format json` run, with the logical ids, sorted. */
export function findingNames(stdout: string): string[] {
  return JSON.parse(stdout).findings.map((finding: { name: string; logicalId: string }) => `${finding.name} ${finding.logicalId}`).sort();
}
