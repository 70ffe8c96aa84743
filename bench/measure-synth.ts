/**
 * One measurement in a fresh process, so peak memory belongs to this app alone:
 *   node -r ts-node/register/transpile-only bench/measure-synth.ts <library|plain> <keys>
 * Prints one JSON line: { variant, keys, wallMs, cpuMs, maxRssMb, violations }. cpuMs is the
 * process's user and system CPU time over the same span (all its threads, GC included): on a
 * shared machine it moves less than wall time when other work takes the cores.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { Validations } from 'aws-cdk-lib';
import { Variant, buildApp } from './apps';
import { checksFor } from './checks';

const [variant, keysArg] = process.argv.slice(2) as [Variant, string];
const keys = Number(keysArg);
const outdir = mkdtempSync(join(tmpdir(), 'kms-bench-'));

const start = performance.now();
const cpuStart = process.cpuUsage();
const app = buildApp(variant, keys, outdir);
Validations.of(app).addPlugins(...checksFor(variant, app));
let violations = false;
try {
  app.synth();
} catch {
  // A validation failure still ran every check; the time is what we measure.
  violations = true;
}
const wallMs = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
rmSync(outdir, { recursive: true, force: true });
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ variant, keys, wallMs: Math.round(wallMs), cpuMs: Math.round(cpuMs), maxRssMb: Math.round(maxRssMb), violations })}\n`);
