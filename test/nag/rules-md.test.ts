/**
 * RULES.md is generated from the rule table (scripts/generate-rules-md.ts, `npx projen rules:docs`),
 * so it can only say what the plugin and the CLI run.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { RULES_MD, renderRulesMd } from '../../scripts/generate-rules-md';
import { PRINCIPAL_SELECTING_KEYS } from '../../src/nag/private/conditions';
import { DEFAULT_RULE_SETTINGS, PACK_NAME, kmsRules } from '../../src/nag/rule-table';
import { KEY_NARROWING_KEYS, WHO_NARROWING_KEYS } from '../../src/nag/rules';

const rows = kmsRules(DEFAULT_RULE_SETTINGS);

test('the committed RULES.md is what the rule table generates (run `npx projen rules:docs`)', () => {
  expect(readFileSync(RULES_MD, 'utf8')).toBe(renderRulesMd());
});

test('every rule has a section whose anchor is the SARIF helpUri fragment, with what it checks and why', () => {
  const rendered = renderRulesMd();
  for (const row of rows) {
    const section = rendered.split(`\n### ${row.id}\n`)[1]?.split('\n### ')[0];
    expect(section).toContain(`\`${PACK_NAME}-${row.id}\``);
    expect(section).toContain(row.checks);
    expect(section).toContain(row.explanation);
  }
});

test('RULES.md says which conditions narrow, for each rule where a condition can change the answer', () => {
  const narrowed = rows.filter((row) => row.narrowing).map((row) => row.id);
  expect(narrowed).toEqual(expect.arrayContaining(['KeyPolicyNoRootFullAccess', 'KeyPolicyWildcardPrincipalRestricted', 'IamNoKmsWildcardOnAllResources']));
  const section = renderRulesMd().split('## Which conditions count as narrowing')[1].split('\n## ')[0];
  for (const row of rows.filter((entry) => entry.narrowing)) {
    expect(section).toContain(`[\`${row.id}\`](#${row.id.toLowerCase()}): ${row.narrowing}`);
  }
  for (const key of ['aws:PrincipalArn', 'aws:PrincipalTag/<tag>', 'kms:CallerAccount', 'aws:PrincipalOrgID', 'kms:ViaService', 'kms:EncryptionContext:<key>', 'aws:ResourceTag/<tag>']) {
    expect(section).toContain(`\`${key}\``);
  }
});

test("README's narrowing section names every key the rules count as narrowing", () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.split('### Which conditions count as narrowing')[1].split('\n#')[0];
  for (const key of [...PRINCIPAL_SELECTING_KEYS, ...WHO_NARROWING_KEYS, ...KEY_NARROWING_KEYS]) {
    expect(section).toContain(`\`${key}\``);
  }
});
