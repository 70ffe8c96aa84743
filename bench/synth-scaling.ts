/**
 * Synth scaling, library vs plain aws-cdk-lib, side by side in one run.
 *   npm run bench            (BENCH_SIZES=50,200 BENCH_RUNS=3 to change the defaults)
 * Each measurement runs in its own process; the median of the runs is reported.
 */
import { execFileSync } from 'child_process';
import { cpus, totalmem } from 'os';
import { join } from 'path';

interface Measurement { variant: string; keys: number; wallMs: number; maxRssMb: number; violations: boolean }

const sizes = (process.env.BENCH_SIZES ?? '50,200,800').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? '1');

function measure(variant: string, keys: number): Measurement {
  const samples: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'measure-synth.ts'), variant, String(keys)],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' } });
    samples.push(JSON.parse(out.trim().split('\n').pop()!));
  }
  samples.sort((a, b) => a.wallMs - b.wallMs);
  return samples[Math.floor(samples.length / 2)];
}

const rows: string[] = [];
const results: Array<{ keys: number; library: Measurement; plain: Measurement }> = [];
for (const keys of sizes) {
  const plain = measure('plain', keys);
  const library = measure('library', keys);
  results.push({ keys, library, plain });
  const ratio = library.wallMs / plain.wallMs;
  rows.push(`| ${keys} | ${plain.wallMs} | ${library.wallMs} | ${ratio.toFixed(2)} | ${plain.maxRssMb} | ${library.maxRssMb} | ${(library.maxRssMb / plain.maxRssMb).toFixed(2)} |`);
  process.stderr.write(`${keys} keys: plain ${plain.wallMs} ms, library ${library.wallMs} ms (x${ratio.toFixed(2)})\n`);
}

/** Growth: time per key between consecutive sizes; roughly constant means linear. */
const growth = results.slice(1).map((r, i) => {
  const prev = results[i];
  const perKey = (m: (x: typeof r) => number) => ((m(r) - m(prev)) / (r.keys - prev.keys)).toFixed(1);
  return `| ${prev.keys}→${r.keys} | ${perKey((x) => x.plain.wallMs)} | ${perKey((x) => x.library.wallMs)} |`;
});

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; runs per cell: ${runs} (median)\n`);
console.log('| keys | plain ms | library ms | time ratio | plain MB | library MB | memory ratio |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
rows.forEach((row) => console.log(row));
console.log('\n| sizes | plain ms per added key | library ms per added key |');
console.log('| --- | --- | --- |');
growth.forEach((row) => console.log(row));
const flagged = (variant: 'plain' | 'library') => results.filter((r) => r[variant].violations).map((r) => r.keys).join(', ') || 'none';
// Findings are part of a real synth: both sides report them; the time includes the report.
console.log(`\nSizes with check findings: plain ${flagged('plain')}; library ${flagged('library')}`);
