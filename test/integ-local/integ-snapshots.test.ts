/**
 * Every integ app (integ/integ.*.ts) synthesizes, and its test-case stacks' templates match the
 * committed snapshots. Asset hashes and integ-tests assertion salts are normalised, so only a
 * change in what would be deployed changes a snapshot.
 */
import { integAppFiles, synthIntegApp } from '.';

const ASSET_HASH = /[0-9a-f]{64}/g;

/** The template with asset hashes and integ-tests salts replaced by stable placeholders. */
function normalised(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template, (key, value) => (key === 'salt' ? '<salt>' : value)).replace(ASSET_HASH, '<asset-hash>'));
}

test('there is at least one integ app', () => {
  expect(integAppFiles()).toContain('integ/integ.key.ts');
});

describe.each(integAppFiles())('%s', (file) => {
  test('has test-case stacks, and their templates match the snapshots', () => {
    const { testCaseStacks } = synthIntegApp(file);
    expect(testCaseStacks.length).toBeGreaterThan(0);
    for (const stack of testCaseStacks) {
      expect(normalised(stack.template)).toMatchSnapshot(stack.hierarchicalId);
    }
  });
});
