import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_DIR } from './packed-library';

const packageJson = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'package.json'), 'utf8'));
const lockfile = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'package-lock.json'), 'utf8'));
const tasks = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, '.projen', 'tasks.json'), 'utf8')).tasks;

test('every dependency with an install script is decided in allowScripts, so npm install prints no warning', () => {
  const withScripts = Object.entries<any>(lockfile.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([location]) => location.replace(/^.*node_modules\//, ''));
  expect(withScripts.filter((name) => !(name in (packageJson.allowScripts ?? {})))).toEqual([]);
});

test('the lockfile records the optional binaries of every platform, so npm install leaves it unchanged', () => {
  // npm adds the other platforms' optional packages on its first install; a lockfile written
  // without them changes in every fresh clone. Each of these ships one native binary per platform.
  const packages = Object.keys(lockfile.packages);
  for (const family of ['@unrs/resolver-binding-', '@parcel/watcher-']) {
    const platforms = packages.filter((location) => location.includes(`node_modules/${family}`));
    expect(platforms.some((location) => /darwin/.test(location))).toBe(true);
    expect(platforms.some((location) => /win32/.test(location))).toBe(true);
    expect(platforms.some((location) => /linux-x64/.test(location))).toBe(true);
  }
});

test('engines.node states the supported floor', () => {
  expect(packageJson.engines).toEqual({ node: '>= 20.0.0' });
});

test('npm test checks lint without changing files; the eslint task is the one that fixes', () => {
  const testSteps = JSON.stringify(tasks.test.steps);
  expect(testSteps).not.toContain('--fix');
  expect(testSteps).toContain('lint');
  expect(JSON.stringify(tasks.lint.steps)).not.toContain('--fix');
  expect(JSON.stringify(tasks.eslint.steps)).toContain('--fix');
});
