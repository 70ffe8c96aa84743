import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, findingNames, fixture } from './run-cli';

const KEY_YAML = fixture('key-with-parameters.yaml');

describe('a hand-written YAML template', () => {
  test('is read with its short-form tags, and each parameter\'s Default decides', () => {
    const { code, stdout, stderr } = cli('check', '--format', 'json', KEY_YAML);
    expect(stderr).toBe('');
    expect(findingNames(stdout)).toEqual([
      'KmsChecks-KeyPendingWindowAtLeastMinimum AppKey',
      'KmsChecks-KeyRotationEnabled AppKey',
    ]);
    expect(code).toBe(1);
  });

  test('--parameter overrides a Default, and the conditions it decides follow', () => {
    const { code, stdout } = cli('check', '--format', 'json', '--parameter', 'Rotate=true', '--parameter', 'Environment=prod', KEY_YAML);
    expect(findingNames(stdout)).toEqual([]);
    expect(code).toBe(0);
  });

  test('a parameter without a value stays unknown: CannotEvaluate, never a guess', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-parameter-'));
    const template = fs.readFileSync(KEY_YAML, 'utf8').replace("Default: 'false'", 'Description: no default');
    fs.writeFileSync(path.join(dir, 'key.yaml'), template);
    const { stdout } = cli('check', '--format', 'json', '--rules', 'KeyRotationEnabled', path.join(dir, 'key.yaml'));
    expect(JSON.parse(stdout).findings).toEqual([expect.objectContaining({
      name: 'KmsChecks-KeyRotationEnabled[CannotEvaluate]',
      reason: 'EnableKeyRotation is {"Ref":"Rotate"}, only known at deploy time.',
    })]);
  });

  test('the text report groups by file and resource, with the line and the id to acknowledge', () => {
    const { stdout } = cli('check', KEY_YAML);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(KEY_YAML);
    expect(lines[1]).toBe('  AppKey (AWS::KMS::Key) line 14');
    expect(lines[2]).toMatch(/^ {4}error {8}KmsChecks-KeyRotationEnabled {2}The symmetric KMS key does not rotate/);
    expect(stdout).toContain('2 errors, 0 warnings, 0 acknowledged in 1 template (3 resources).');
  });
});

describe('bad input is reported per file, and the other files are still checked', () => {
  test.each([
    ['a path that does not exist', 'missing.yaml', /^error: .*missing\.yaml: no such file or directory$/],
    ['a file that is not CloudFormation', 'not-cloudformation.json', /^error: .*not-cloudformation\.json: not a CloudFormation template: it has no Resources section$/],
    ['JSON that does not parse', 'broken.json', /^error: .*broken\.json: not valid JSON \(line 3\): /],
    ['YAML that does not parse', 'broken.yaml', /^error: .*broken\.yaml: not valid YAML: /],
    ['a cycle in the conditions', 'condition-cycle.yaml', /^error: .*condition-cycle\.yaml: condition A refers to itself \(A -> B -> A\)$/],
    ['a directory that is not a cloud assembly', '.', /^error: .*fixtures: not a cloud assembly \(no manifest\.json\)/],
  ])('%s: one line naming the file and the problem, exit 2', (_case, name, message) => {
    const { code, stdout, stderr } = cli('check', '--format', 'json', fixture(name), KEY_YAML);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(findingNames(stdout)).toHaveLength(2);
    expect(code).toBe(2);
  });
});

describe('exit codes and --fail-on', () => {
  const warningOnly = fixture('warning-only.json');
  beforeAll(() => {
    // A compliant key in an app without a deletion alarm: one warning, no error.
    const template = {
      Resources: {
        Key: {
          Type: 'AWS::KMS::Key',
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
          Properties: {
            EnableKeyRotation: true,
            KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/admin' }, Action: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'], Resource: '*' }] },
          },
        },
      },
    };
    fs.writeFileSync(warningOnly, JSON.stringify(template, undefined, 2));
  });
  afterAll(() => fs.rmSync(warningOnly, { force: true }));

  test.each([
    [[], 0],
    [['--fail-on', 'warning'], 1],
    [['--fail-on', 'none'], 0],
  ])('a warning with %j exits %d', (options, expected) => {
    const { code, stdout } = cli('check', '--format', 'json', ...options as string[], warningOnly);
    expect(findingNames(stdout)).toEqual(['KmsChecks-KeyDeletionMonitored Key']);
    expect(code).toBe(expected);
  });

  test('errors with --fail-on none exit 0', () => {
    expect(cli('check', '--fail-on', 'none', KEY_YAML).code).toBe(0);
  });

  test.each([
    [['check'], /give at least one cloud assembly directory or template file/],
    [['check', '--format', 'xml', KEY_YAML], /--format must be one of text, json, sarif. Received: xml/],
    [['check', '--rules', 'NoSuchRule', KEY_YAML], /unknown rule KmsChecks-NoSuchRule. Rules: KeyRotationEnabled, /],
    [['check', '--parameter', 'novalue', KEY_YAML], /--parameter takes NAME=VALUE. Received: novalue/],
    [['check', '--min-pending-days', '3', KEY_YAML], /--min-pending-days must be a whole number of days between 7 and 30. Received: 3/],
    [['check', '--bogus', KEY_YAML], /unknown option --bogus/],
    [['lint', KEY_YAML], /unknown command lint: the command is check/],
  ])('%j is a usage error: exit 2', (args, message) => {
    const { code, stderr } = cli(...args);
    expect(stderr).toMatch(message);
    expect(code).toBe(2);
  });

  test('--help prints the usage with the exit codes and exits 0', () => {
    const { code, stdout } = cli('check', '--help');
    expect(stdout).toContain('Exit codes: 0 no findings at or above --fail-on; 1 findings at or above --fail-on;');
    expect(code).toBe(0);
  });
});

describe('--rules and the rule settings', () => {
  test('--rules runs only the rules named, with or without the KmsChecks- prefix', () => {
    const { stdout } = cli('check', '--format', 'json', '--rules', 'KmsChecks-KeyRotationEnabled', KEY_YAML);
    expect(findingNames(stdout)).toEqual(['KmsChecks-KeyRotationEnabled AppKey']);
  });

  test('--min-pending-days relaxes the pending window rule', () => {
    const { stdout } = cli('check', '--format', 'json', '--min-pending-days', '7', KEY_YAML);
    expect(findingNames(stdout)).toEqual(['KmsChecks-KeyRotationEnabled AppKey']);
  });
});

describe('acknowledgements', () => {
  const policy = fixture('wildcard-identity-policy.json');

  test('cdk-nag metadata in the template acknowledges the findings it names (applies_to)', () => {
    const { code, stdout } = cli('check', '--format', 'json', policy);
    const findings = JSON.parse(stdout).findings;
    expect(findings.map((finding: any) => [finding.name, finding.acknowledged])).toEqual([
      ['KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.BreakGlass]', 'Break-glass policy, reviewed monthly'],
      ['KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.Reader]', undefined],
    ]);
    expect(code).toBe(1);
  });

  test('an --acknowledgements file with id, reason and resources acknowledges the rest', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-acks-')), 'acks.yaml');
    fs.writeFileSync(file, [
      '- id: KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.Reader]',
      '  reason: Reader role of the data lake, SEC-42',
      '  resources: [Broad]',
      '- id: KmsChecks-KeyRotationEnabled',
      '  reason: Rotation is handled by the key owner',
      '  resources: ["*/SomeOtherKey"]',
    ].join('\n'));
    const { code, stdout } = cli('check', '--format', 'json', '--acknowledgements', file, policy, KEY_YAML);
    const acknowledged = JSON.parse(stdout).findings.filter((finding: any) => finding.acknowledged).map((finding: any) => finding.name);
    expect(acknowledged).toEqual(['KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.BreakGlass]', 'KmsChecks-IamNoKmsWildcardOnAllResources[PolicyDocument.Reader]']);
    // The rotation acknowledgement names another resource: the YAML key's finding still counts.
    expect(code).toBe(1);
  });

  test('an acknowledgement without a reason is an input error', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-acks-')), 'acks.json');
    fs.writeFileSync(file, JSON.stringify([{ id: 'KmsChecks-KeyRotationEnabled' }]));
    const { code, stderr } = cli('check', '--acknowledgements', file, policy);
    expect(stderr).toMatch(/^error: .*acks\.json: acknowledgement 1 \(KmsChecks-KeyRotationEnabled\): a reason is required\n$/);
    expect(code).toBe(2);
  });
});

test('--access-report writes the access report of every key checked', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-report-'));
  cli('check', '--access-report', dir, KEY_YAML);
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'kms-access-report.json'), 'utf8'));
  expect(report.keys.map((key: any) => [key.stack, key.logicalId])).toEqual([[KEY_YAML, 'AppKey']]);
  expect(fs.readFileSync(path.join(dir, 'kms-access-report.md'), 'utf8')).toContain('# KMS key access report');
});
