import * as path from 'node:path';
import { APP_REQUIREMENTS, PROJECT_DIR, appAt, integApps, selectApps, unmetRequirement } from '../../../integ/runner/apps';
import { appContext, defaultReplicaRegion, parseArgs } from '../../../integ/runner/options';

describe('parseArgs', () => {
  test('apps, flags and context', () => {
    expect(parseArgs(['key', 'multi-region', '--keep', '--region', 'eu-west-1', '--replica-region', 'eu-central-1', '-c', 'a=b=c', '--context', 'x=1']))
      .toEqual({ apps: ['key', 'multi-region'], dryRun: false, keep: true, help: false, region: 'eu-west-1', replicaRegion: 'eu-central-1', context: { a: 'b=c', x: '1' } });
    expect(parseArgs([])).toEqual({ apps: [], dryRun: false, keep: false, help: false, context: {}, region: undefined, replicaRegion: undefined });
  });

  test.each([
    [['--region'], '--region needs a value'],
    [['--region', '--keep'], '--region needs a value'],
    [['-c', 'novalue'], "-c takes KEY=VALUE, got 'novalue'"],
    [['-c', '=x'], "-c takes KEY=VALUE, got '=x'"],
    [['--force'], 'unknown option --force'],
    [['--dry-run', '--keep'], '--keep has no meaning with --dry-run (nothing is deployed)'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });

  test.each([['eu-west-1', 'us-west-2'], ['us-west-2', 'us-east-1'], ['us-gov-west-1', 'us-gov-east-1'], ['cn-north-1', 'cn-northwest-1']])(
    'the replica Region for %s is %s', (primary, replica) => {
      expect(defaultReplicaRegion(primary)).toBe(replica);
    });
});

test('the apps get the Regions of the run as context (integ.multi-region reads them); -c wins', () => {
  expect(appContext(parseArgs(['-c', 'x=1']), 'eu-west-1')).toEqual({ primaryRegion: 'eu-west-1', replicaRegion: 'us-west-2', x: '1' });
  expect(appContext(parseArgs(['--replica-region', 'eu-central-1', '-c', 'primaryRegion=ap-south-1']), 'eu-west-1'))
    .toEqual({ primaryRegion: 'ap-south-1', replicaRegion: 'eu-central-1' });
  // A dry run without --region: the apps keep their own defaults.
  expect(appContext(parseArgs(['-c', 'x=1']))).toEqual({ x: '1' });
});

describe('integ apps', () => {
  test('every integ/integ.*.ts, by name', () => {
    const apps = integApps();
    expect(apps.map((app) => app.name)).toEqual(['bucket-key', 'cloudhsm-key', 'deletion-monitor', 'key-grant', 'key', 'multi-region', 'xks-key']);
    expect(apps.find((app) => app.name === 'key')).toEqual({ name: 'key', file: 'integ/integ.key.ts', absolutePath: path.join(PROJECT_DIR, 'integ', 'integ.key.ts') });
  });

  test.each(['key', 'integ.key', 'integ.key.ts', 'integ/integ.key.ts'])('%s names integ/integ.key.ts', (name) => {
    expect(selectApps([name]).map((app) => app.file)).toEqual(['integ/integ.key.ts']);
  });

  test('no name means every app; an unknown name lists the known ones', () => {
    expect(selectApps([])).toEqual(integApps());
    expect(() => selectApps(['kee'])).toThrow("no integ app 'kee'. Known apps: bucket-key, cloudhsm-key, deletion-monitor, key-grant, key, multi-region, xks-key");
  });

  test('a file outside integ/ is an app named after the file', () => {
    expect(appAt('test/integ-local/fixtures/runner-fixture-app.ts')).toMatchObject({ name: 'runner-fixture-app', file: 'test/integ-local/fixtures/runner-fixture-app.ts' });
  });

  test('integ.cloudhsm-key runs only with its cluster context, and says what to pass', () => {
    const app = appAt('integ/integ.cloudhsm-key.ts');
    expect(unmetRequirement(app, {})).toBe(`${APP_REQUIREMENTS['cloudhsm-key'].why}; pass -c cloudHsmClusterId=... -c trustAnchorCertificateFile=... -c kmsUserPasswordSecretName=...`);
    expect(unmetRequirement(app, { cloudHsmClusterId: 'cluster-abcdefghijk', trustAnchorCertificateFile: 'ca.crt' })).toMatch(/pass -c kmsUserPasswordSecretName=\.\.\.$/);
    expect(unmetRequirement(app, { cloudHsmClusterId: 'c', trustAnchorCertificateFile: 'f', kmsUserPasswordSecretName: 's' })).toBeUndefined();
    expect(unmetRequirement(appAt('integ/integ.key.ts'), {})).toBeUndefined();
  });

  test('integ.xks-key runs only with its proxy context, and says what to pass: its placeholders cannot deploy', () => {
    const app = appAt('integ/integ.xks-key.ts');
    expect(unmetRequirement(app, {})).toBe(`${APP_REQUIREMENTS['xks-key'].why}; pass -c proxyUriEndpoint=... -c proxyUriPath=... -c proxyCredentialSecretName=... -c xksKeyId=...`);
    expect(unmetRequirement(app, { proxyUriEndpoint: 'https://xks.example.com', proxyUriPath: '/kms/xks/v1', proxyCredentialSecretName: 's', xksKeyId: 'k' })).toBeUndefined();
  });
});
