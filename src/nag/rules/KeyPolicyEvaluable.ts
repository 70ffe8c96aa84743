import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { findingId, keyPolicyContext } from '../private/key-policy-context';

/**
 * Every value of the key policy (and of the identity policies beside it) can be read at synth.
 * A Principal, Action, Resource or Effect built with Fn::If, Fn::ImportValue, a parameter of
 * unknown value... cannot be evaluated, so the policy rules cannot vouch for it: each problem is
 * a finding, never a silent pass.
 */
export function keyPolicyEvaluable(node: CfnResource): NagRuleResult {
  const context = keyPolicyContext(node);
  if (!context) { return NagRuleCompliance.NOT_APPLICABLE; }
  const problems = context.evaluator.problems;
  return problems.length > 0 ? [...new Set(problems.map(problemId))] : NagRuleCompliance.COMPLIANT;
}

/** `KeyPolicy.Statement1.Principal` for "key policy statement 1 (Sid Admin): Principal value cannot be evaluated...". */
function problemId(problem: string): string {
  const parts = /^(key policy|identity policy \d+) .*?statement (\d+)(?: \(Sid [^)]*\))?: (\w+)/i.exec(problem);
  if (!parts) { return findingId(problem); }
  const policy = parts[1].toLowerCase() === 'key policy' ? 'KeyPolicy' : 'IdentityPolicy';
  return `${policy}.Statement${parts[2]}.${parts[3]}`;
}
