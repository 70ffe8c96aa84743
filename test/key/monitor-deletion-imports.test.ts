/* eslint-disable @typescript-eslint/no-require-imports -- each test loads modules itself, in a fresh registry */
import type * as cdk from 'aws-cdk-lib';
import type * as assertions from 'aws-cdk-lib/assertions';
import type * as keyModule from '../../src/key';
import type * as monitoringModule from '../../src/monitoring';

/**
 * `monitorDeletion()` must not depend on what the app imported first: no module installs a hook
 * when it loads. Each test loads the modules it names, and nothing else of this library, in a
 * fresh module registry; aws-cdk-lib is loaded in the same registry so constructs match.
 */
const MONITOR_FILE = '../../src/monitoring/key-deletion-monitor';

interface Loaded {
  readonly cdk: typeof cdk;
  readonly assertions: typeof assertions;
  readonly key: typeof keyModule;
  /** Whether the monitor's file had been loaded when the key module finished loading. */
  readonly monitorLoadedWithKey: boolean;
  readonly monitorLoaded: () => boolean;
}

function load(order: Array<'key' | 'monitoring'>): Loaded {
  let result: Loaded | undefined;
  jest.isolateModules(() => {
    let monitorLoaded = false;
    jest.doMock(MONITOR_FILE, () => {
      monitorLoaded = true;
      return jest.requireActual(MONITOR_FILE);
    });
    let key: typeof keyModule | undefined;
    let monitorLoadedWithKey = false;
    for (const name of order) {
      if (name === 'key') {
        key = require('../../src/key');
        monitorLoadedWithKey = monitorLoaded;
      } else {
        require('../../src/monitoring') as typeof monitoringModule;
      }
    }
    result = {
      cdk: require('aws-cdk-lib'),
      assertions: require('aws-cdk-lib/assertions'),
      key: key!,
      monitorLoadedWithKey,
      monitorLoaded: () => monitorLoaded,
    };
  });
  return result!;
}

/** Monitors a key and checks the monitor watches it: two account-wide filters and two for the key. */
function expectMonitorDeletionWorks(loaded: Loaded): void {
  const stack = new loaded.cdk.Stack(new loaded.cdk.App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new loaded.key.CustomerManagedKey(stack, 'DataKey');
  const monitor = key.monitorDeletion(undefined, { emailSubscriptions: ['security@example.com'] });
  expect(monitor.node.path).toBe('Stack/KeyDeletionMonitor');
  const template = loaded.assertions.Template.fromStack(stack);
  template.resourceCountIs('AWS::Logs::MetricFilter', 4);
  template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  // DataKey and the monitor's own key.
  template.resourceCountIs('AWS::KMS::Key', 2);
}

afterEach(() => jest.resetModules());

test('importing only the key module, monitorDeletion() works and loads the monitor only when called', () => {
  const loaded = load(['key']);
  expect(loaded.monitorLoadedWithKey).toBe(false);
  expectMonitorDeletionWorks(loaded);
  expect(loaded.monitorLoaded()).toBe(true);
});

test('importing the monitoring module first, then the key module, monitorDeletion() works', () => {
  expectMonitorDeletionWorks(load(['monitoring', 'key']));
});
