/**
 * What a rule answers, in the pack's own terms: the rules run in two hosts (the cdk-nag plugin at
 * synth, and the `check` CLI), so they depend on neither host's types.
 */
export enum Compliance {
  COMPLIANT = 'COMPLIANT',
  NON_COMPLIANT = 'NON_COMPLIANT',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

/** One problem a rule found on a resource: `KmsChecks-Rule[id]`, with why when it is not obvious. */
export interface Finding {
  /** Short and stable: people acknowledge findings by it. */
  readonly id: string;
  /** One sentence for people, e.g. what could not be evaluated and why. */
  readonly reason?: string;
}

/** COMPLIANT, NOT_APPLICABLE, NON_COMPLIANT without detail, or the findings (never empty). */
export type RuleResult = Compliance | Finding[];

/** The finding a rule reports when a value it depends on is only known at deploy time. */
export const CANNOT_EVALUATE = 'CannotEvaluate';

/** A `[CannotEvaluate]` finding with the reason people need to review it. */
export function cannotEvaluate(reason: string): Finding {
  return { id: CANNOT_EVALUATE, reason };
}

/** The findings, merged by id (reasons joined), or COMPLIANT when there are none. */
export function findingsOrCompliant(findings: Finding[]): RuleResult {
  if (findings.length === 0) { return Compliance.COMPLIANT; }
  const byId = new Map<string, string[]>();
  for (const { id, reason } of findings) {
    const reasons = byId.get(id) ?? [];
    if (reason !== undefined && !reasons.includes(reason)) { reasons.push(reason); }
    byId.set(id, reasons);
  }
  return [...byId].map(([id, reasons]) => (reasons.length > 0 ? { id, reason: reasons.join(' ') } : { id }));
}

/** A template value for a message: short JSON. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
