/**
 * Synth scaling, library vs plain aws-cdk-lib, side by side in one run.
 *   npm run bench            (BENCH_SIZES=50,200 BENCH_RUNS=3 to change the defaults)
 * Each measurement runs in its own process; the two variants alternate, round by round. Reported:
 * the median of each variant's runs, and the median of the rounds' time ratios.
 */
import { execFileSync } from 'child_process';
import { cpus, totalmem } from 'os';
import { join } from 'path';

interface Measurement { variant: string; keys: number; wallMs: number; cpuMs: number; maxRssMb: number; violations: boolean }

const sizes = (process.env.BENCH_SIZES ?? '50,200,800').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? '1');

function measureOnce(variant: string, keys: number): Measurement {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'measure-synth.ts'), variant, String(keys)],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function median<T>(values: T[], by: (value: T) => number): T {
  return [...values].sort((a, b) => by(a) - by(b))[Math.floor(values.length / 2)];
}

/**
 * Runs the two variants in alternating rounds (plain first in even rounds, library first in odd
 * ones), so a slow spell of the machine falls on both sides instead of on one; the ratio is the
 * median of the rounds' ratios, each from two back-to-back processes.
 */
function measurePair(keys: number): { plain: Measurement; library: Measurement; ratio: number; cpuRatio: number } {
  const rounds: Array<{ plain: Measurement; library: Measurement }> = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? ['plain', 'library'] : ['library', 'plain'];
    const [first, second] = order.map((variant) => measureOnce(variant, keys));
    rounds.push(i % 2 === 0 ? { plain: first, library: second } : { plain: second, library: first });
    const round = rounds[rounds.length - 1];
    process.stderr.write(`  ${keys} keys, round ${i + 1}: plain ${round.plain.wallMs} ms, library ${round.library.wallMs} ms (x${(round.library.wallMs / round.plain.wallMs).toFixed(2)}); CPU ${round.plain.cpuMs} / ${round.library.cpuMs} ms (x${(round.library.cpuMs / round.plain.cpuMs).toFixed(2)})\n`);
  }
  const ratioOf = (by: (m: Measurement) => number) => median(rounds.map((round) => by(round.library) / by(round.plain)), (value) => value);
  return {
    plain: median(rounds.map((round) => round.plain), (m) => m.wallMs),
    library: median(rounds.map((round) => round.library), (m) => m.wallMs),
    ratio: ratioOf((m) => m.wallMs),
    cpuRatio: ratioOf((m) => m.cpuMs),
  };
}

const rows: string[] = [];
const results: Array<{ keys: number; library: Measurement; plain: Measurement }> = [];
for (const keys of sizes) {
  const { plain, library, ratio, cpuRatio } = measurePair(keys);
  results.push({ keys, library, plain });
  rows.push(`| ${keys} | ${plain.wallMs} | ${library.wallMs} | ${ratio.toFixed(2)} | ${cpuRatio.toFixed(2)} | ${plain.maxRssMb} | ${library.maxRssMb} | ${(library.maxRssMb / plain.maxRssMb).toFixed(2)} |`);
  process.stderr.write(`${keys} keys: plain ${plain.wallMs} ms, library ${library.wallMs} ms (x${ratio.toFixed(2)})\n`);
}

/** Growth: time per key between consecutive sizes; roughly constant means linear. */
const growth = results.slice(1).map((r, i) => {
  const prev = results[i];
  const perKey = (m: (x: typeof r) => number) => ((m(r) - m(prev)) / (r.keys - prev.keys)).toFixed(1);
  return `| ${prev.keys}→${r.keys} | ${perKey((x) => x.plain.wallMs)} | ${perKey((x) => x.library.wallMs)} |`;
});

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; rounds: ${runs} (medians; the ratio is the median of the rounds' ratios)\n`);
console.log('| keys | plain ms | library ms | time ratio | CPU time ratio | plain MB | library MB | memory ratio |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
rows.forEach((row) => console.log(row));
console.log('\n| sizes | plain ms per added key | library ms per added key |');
console.log('| --- | --- | --- |');
growth.forEach((row) => console.log(row));
const flagged = (variant: 'plain' | 'library') => results.filter((r) => r[variant].violations).map((r) => r.keys).join(', ') || 'none';
// Findings are part of a real synth: both sides report them; the time includes the report.
console.log(`\nSizes with check findings: plain ${flagged('plain')}; library ${flagged('library')}`);
