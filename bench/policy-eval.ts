/**
 * Policy evaluation throughput and the access report's time on the 800-key app.
 *   npx ts-node --transpile-only bench/policy-eval.ts     (npm run bench runs it too)
 * The app is synthesized once, outside the timed sections: the report's cost at synth is what it
 * adds on top of synthesis.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { buildApp } from './apps';
import { KeyAccessReport, KeyPolicyEvaluator } from '../src/access';
import { readTemplate } from '../src/access/template-model';

const KEYS = Number(process.env.BENCH_REPORT_KEYS ?? '800');
const ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:GenerateDataKey'];

const outdir = mkdtempSync(join(tmpdir(), 'kms-bench-eval-'));
const assembly = buildApp('library', KEYS, outdir).synth();
const templates = assembly.stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template, account: '111111111111' }));

// Evaluator throughput: every principal of every key policy against a fixed action set.
const evaluators = templates.flatMap(({ template }) => {
  const model = readTemplate(template);
  return model.keys.map((key) => new KeyPolicyEvaluator({ keyPolicy: key.keyPolicy, keyAccount: '111111111111', identityPolicies: model.identityPolicies }));
});
let decisions = 0;
const evalStart = performance.now();
for (const evaluator of evaluators) {
  for (const principal of evaluator.principals()) {
    for (const action of ACTIONS) {
      evaluator.evaluate({ principal, action });
      decisions++;
    }
  }
}
const evalMs = performance.now() - evalStart;

// The access report over the same synthesized templates (JSON + Markdown), as the plugin does.
const reportStart = performance.now();
const report = KeyAccessReport.fromTemplates(templates);
const markdown = KeyAccessReport.toMarkdown(report);
const reportMs = performance.now() - reportStart;
rmSync(outdir, { recursive: true, force: true });

console.log('| keys | decisions | decisions/s | access report ms (JSON + Markdown) | report size |');
console.log('| --- | --- | --- | --- | --- |');
console.log(`| ${evaluators.length} | ${decisions} | ${Math.round(decisions / (evalMs / 1000))} | ${Math.round(reportMs)} | ${Math.round(markdown.length / 1024)} KiB |`);
