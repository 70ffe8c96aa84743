import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'emulator.sh');

/** CI sets this so that a local suite that cannot run fails instead of skipping. */
export const REQUIRE_EMULATOR = process.env.KMS_PATTERNS_REQUIRE_EMULATOR === '1';

/** Settings every SDK client needs against the emulator. */
export interface EmulatorClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** moto answers unimplemented calls with HTTP 500, which the SDK would retry for 40 s and more. */
  readonly maxAttempts: number;
}

/** Client settings for `endpoint`: dummy credentials, no retries; an IP endpoint makes S3 path-style. */
export function clientConfig(endpoint: string, region = 'us-east-1'): EmulatorClientConfig {
  return { endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 };
}

function run(...args: string[]): string {
  return execFileSync(SCRIPT, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/** Why no endpoint can be provided on this machine, or undefined when one can. */
export function emulatorUnavailableReason(): string | undefined {
  try {
    execFileSync(SCRIPT, ['check'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return undefined;
  } catch (err: any) {
    return String(err.stdout || err.message).trim();
  }
}

/** Starts (installing first when needed) an emulator instance named `name`; returns its endpoint. */
export function startEmulator(name: string): string {
  return run('start', name);
}

/** Stops the instance `name` by its PID. Does nothing for an AWS_ENDPOINT_URL endpoint. */
export function stopEmulator(name: string): void {
  run('stop', name);
}
