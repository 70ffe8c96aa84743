/**
 * `--format sarif` is a SARIF 2.1.0 log that GitHub code scanning accepts: valid against the
 * OASIS schema (sarif-2.1.0-rtm.5.json, from @microsoft/jest-sarif), with rule metadata and help,
 * and each result located at the template file and the resource's line.
 */
import '@microsoft/jest-sarif';
import * as path from 'path';
import { cli, fixture } from './run-cli';

const KEY_YAML = fixture('key-with-parameters.yaml');
const POLICY = fixture('wildcard-identity-policy.json');

/** A run with errors, an acknowledged finding and an input problem: every part of the log is filled. */
function sarifLog(): any {
  const { stdout } = cli('check', '--format', 'sarif', KEY_YAML, POLICY, fixture('broken.json'));
  return JSON.parse(stdout);
}

test('the log is valid SARIF 2.1.0', () => {
  expect(sarifLog()).toBeValidSarifLog();
});

test('the schema check can fail: a log with a level SARIF does not have is rejected', () => {
  const log = sarifLog();
  log.runs[0].results[0].level = 'fatal';
  expect(log).not.toBeValidSarifLog();
});

test('every rule has an id, a description and help; results point at the rule table', () => {
  const { rules } = sarifLog().runs[0].tool.driver;
  expect(rules.length).toBe(15);
  for (const rule of rules) {
    expect(rule).toEqual(expect.objectContaining({
      id: `KmsChecks-${rule.name}`,
      shortDescription: { text: expect.any(String) },
      help: { text: expect.stringMatching(/\S/), markdown: expect.stringMatching(/\S/) },
      helpUri: expect.stringMatching(/RULES\.md#/),
    }));
  }
  for (const result of sarifLog().runs[0].results) {
    expect(rules[result.ruleIndex].id).toBe(result.ruleId);
  }
});

test('results are located at the template file, relative to the working directory, and the resource\'s line', () => {
  const results = sarifLog().runs[0].results;
  const rotation = results.find((result: any) => result.ruleId === 'KmsChecks-KeyRotationEnabled');
  expect(rotation.locations[0].physicalLocation).toEqual({
    artifactLocation: { uri: path.relative(process.cwd(), KEY_YAML).split(path.sep).join('/') },
    region: { startLine: 14 },
  });
  expect(rotation.locations[0].logicalLocations).toEqual([{ name: 'AppKey', fullyQualifiedName: `${KEY_YAML}/AppKey`, kind: 'resource' }]);
  expect(results.find((result: any) => result.ruleId === 'KmsChecks-IamNoKmsWildcardOnAllResources').locations[0].physicalLocation.region).toEqual({ startLine: 3 });
});

test('an acknowledged finding is a suppressed result with its reason', () => {
  const suppressed = sarifLog().runs[0].results.filter((result: any) => result.suppressions);
  expect(suppressed.map((result: any) => [result.message.text, result.suppressions])).toEqual([[
    expect.stringContaining('Finding KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.BreakGlass].'),
    [{ kind: 'external', justification: 'Break-glass policy, reviewed monthly' }],
  ]]);
});

test('an input problem is a tool notification and the run is not successful', () => {
  const [invocation] = sarifLog().runs[0].invocations;
  expect(invocation.executionSuccessful).toBe(false);
  expect(invocation.toolExecutionNotifications).toEqual([expect.objectContaining({
    level: 'error',
    message: { text: expect.stringMatching(/broken\.json: not valid JSON/) },
  })]);
});
