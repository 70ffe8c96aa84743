/**
 * The `check` CLI on the 800-key benchmark app's cloud assembly, end to end (process start
 * included), as a pipeline runs it:
 *   npx projen bench:check-cli   (compiles, then runs this; refuses while the load average is 1.5 or more)
 * Synthesizes the library variant of bench/apps.ts (32 stacks of 25 keys) once into
 * bench/results/check-cli/cdk.out, then runs `node lib/cli/main.js check <cdk.out>` BENCH_RUNS
 * times (default 5) and prints each wall time and the median.
 */
import { spawnSync } from 'child_process';
import { existsSync, rmSync } from 'fs';
import { loadavg } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { buildApp } from './apps';

const keys = Number(process.env.BENCH_KEYS ?? '800');
const runs = Number(process.env.BENCH_RUNS ?? '5');
const root = join(__dirname, '..');
const assembly = join(root, 'bench', 'results', 'check-cli', 'cdk.out');
const cli = join(root, 'lib', 'cli', 'main.js');

if (!existsSync(cli)) { throw new Error('No compiled CLI: run `npx projen compile` first.'); }
// The machine is shared: a figure taken under load says nothing about the 3-second target.
const [load] = loadavg();
if (load >= 1.5 && process.env.BENCH_FORCE !== '1') {
  throw new Error(`Load average ${load.toFixed(2)} is not below 1.5: measure on a quiet machine (BENCH_FORCE=1 runs anyway).`);
}
rmSync(assembly, { recursive: true, force: true });
buildApp('library', keys, assembly).synth();

const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const result = spawnSync(process.execPath, [cli, 'check', assembly], { encoding: 'utf8' });
  times.push(performance.now() - start);
  if (i === 0) { process.stdout.write(`exit ${result.status}: ${result.stdout.trim().split('\n').pop()}\n`); }
}
const sorted = [...times].sort((a, b) => a - b);
process.stdout.write(`load average ${load.toFixed(2)} at the start; ${keys} keys, ${runs} runs (ms): ${times.map((time) => Math.round(time)).join(', ')}; median ${Math.round(sorted[Math.floor(runs / 2)])}\n`);
