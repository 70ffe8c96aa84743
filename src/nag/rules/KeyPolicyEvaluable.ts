import { findingId, keyPolicyContext } from '../private/key-policy-context';
import { Compliance, RuleResult, findingsOrCompliant } from '../private/rule-result';
import { RuleTarget } from '../private/rule-target';

/**
 * Every value of the key policy (and of the identity policies beside it) can be read at synth.
 * A Principal, Action, Resource or Effect built with Fn::If, Fn::ImportValue, a parameter of
 * unknown value... cannot be evaluated, so the policy rules cannot vouch for it: each problem is
 * a finding (`[KeyPolicy.Statement1.Principal]`) with the evaluator's sentence as its reason,
 * never a silent pass.
 */
export function keyPolicyEvaluable(target: RuleTarget): RuleResult {
  const context = keyPolicyContext(target);
  if (!context) { return Compliance.NOT_APPLICABLE; }
  return findingsOrCompliant(context.evaluator.problems.map((problem) => ({ id: problemId(problem), reason: problem })));
}

/**
 * `KeyPolicy.Statement1.Principal` for "key policy statement 1 (Sid X): Principal value cannot be
 * evaluated...", `IdentityPolicy0.Statement2.Action` for an identity policy, and
 * `KeyPolicy.Statement` when the statement list itself cannot be read.
 */
function problemId(problem: string): string {
  const parts = /^(key policy|identity policy (\d+)) .*?(?:statement (\d+)(?: \(Sid .*?\))?: (?:cannot be read|(\w+))|policy: the Statement)/i.exec(problem);
  if (!parts) { return 'KeyPolicy'; }
  const policy = parts[2] === undefined ? 'KeyPolicy' : `IdentityPolicy${parts[2]}`;
  const element = parts[4] === undefined ? '' : `.${parts[4]}`;
  return findingId(parts[3] === undefined ? `${policy}.Statement` : `${policy}.Statement${parts[3]}${element}`);
}
