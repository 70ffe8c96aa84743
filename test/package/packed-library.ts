/**
 * Packs the compiled library the way `npm publish` would and installs the tarball into a scratch
 * consumer app, for the tests that judge what users actually receive.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PROJECT_DIR = path.join(__dirname, '..', '..');

/** What `npm pack --json` says of one tarball. */
export interface PackedLibrary {
  readonly tarball: string;
  /** Bytes of the .tgz. */
  readonly size: number;
  /** Bytes of all files unpacked. */
  readonly unpackedSize: number;
  readonly files: string[];
}

/** Packs the project into a temp dir. Needs the jsii build (`npx projen compile`), as `npm test` runs it first. */
export function packLibrary(): PackedLibrary {
  if (!fs.existsSync(path.join(PROJECT_DIR, '.jsii')) || !fs.existsSync(path.join(PROJECT_DIR, 'lib', 'index.js'))) {
    throw new Error('No compiled library (lib/ and .jsii): run `npx projen compile` first. `npm test` compiles before jest.');
  }
  const destination = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-kms-patterns-pack-'));
  const [result] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', destination],
    { cwd: PROJECT_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  return {
    tarball: path.join(destination, result.filename),
    size: result.size,
    unpackedSize: result.unpackedSize,
    files: result.files.map((file: { path: string }) => file.path).sort(),
  };
}

/**
 * A consumer app in a temp dir with the tarball installed by npm. The peer dependencies are
 * links to this project's copies (npm is told not to install peers), so the install reads
 * nothing from the registry and takes seconds. Returns the app's directory.
 */
export function installIntoScratchApp(tarball: string): string {
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-kms-patterns-consumer-'));
  fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'scratch-consumer', private: true }));
  execFileSync('npm', ['install', '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', tarball],
    { cwd: appDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const peer of ['aws-cdk-lib', 'constructs', 'cdk-nag']) {
    fs.symlinkSync(path.join(PROJECT_DIR, 'node_modules', peer), path.join(appDir, 'node_modules', peer), 'dir');
  }
  return appDir;
}
