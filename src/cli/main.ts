#!/usr/bin/env node
/** The `cdk-kms-patterns` command (package.json "bin"). */
import { runCli } from './run-cli';

try {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (error) {
  // A bug, not a finding: exit 2 like any other failure to check, never 1.
  process.stderr.write(`cdk-kms-patterns: internal error, please report it: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
}
