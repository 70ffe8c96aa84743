import { describeConstraints, grantPolicy } from './grant-policy';
import { PrincipalEntry, RequestIdentity, entryPrincipal, matchPrincipal, requestIdentity } from './private/principals';
import { KeyResource, resourceApplies } from './private/resources';
import { Applies, ElementValues, ParsedPolicy, ParsedStatement, parsePolicy } from './private/statements';
import type { GrantInTemplate } from './template-model';

/** The answer to "may principal P perform action A on this key?". */
export enum AccessDecision {
  /** An Allow applies unconditionally and no Deny applies. */
  ALLOWED = 'ALLOWED',
  /** The outcome depends on a Condition block (reported, never guessed). */
  CONDITIONAL = 'CONDITIONAL',
  /** A Deny applies unconditionally. */
  EXPLICIT_DENY = 'EXPLICIT_DENY',
  /** Nothing allows the request. */
  IMPLICIT_DENY = 'IMPLICIT_DENY',
  /** An unresolvable token decided, or could have decided, the outcome. */
  CANNOT_EVALUATE = 'CANNOT_EVALUATE',
}

/** Where a deciding statement lives. */
export enum PolicySource {
  /** The key policy. */
  KEY_POLICY = 'KEY_POLICY',
  /** An identity policy of the requesting principal. */
  IDENTITY_POLICY = 'IDENTITY_POLICY',
  /** A KMS grant on the key, declared in the template (a KeyGrant custom resource). */
  GRANT = 'GRANT',
}

/** A request to evaluate. */
export interface AccessRequest {
  /**
   * Canonical principal: an ARN or canonical string such as `${AdminRole1234.Arn}`, an account id
   * or account root ARN for the root user, `service:<name>` for a service principal, `*` for anonymous.
   */
  readonly principal: string;
  /** The action, e.g. `kms:Decrypt`. Compared case-insensitively. */
  readonly action: string;
}

/** A statement that decided a request. */
export interface DecidingStatement {
  /** The statement's Sid. @default - the statement has no Sid */
  readonly sid?: string;
  /** Position of the statement in its policy's Statement list. */
  readonly index: number;
  /** `Allow` or `Deny` (`Unknown` when the Effect cannot be read). */
  readonly effect: string;
  /** The statement has a Condition block. */
  readonly conditional: boolean;
  /** The policy the statement belongs to. */
  readonly source: PolicySource;
  /** For identity policies, the position of the policy in the principal's list. @default - a key policy statement */
  readonly policyIndex?: number;
  /** For grants, the encryption context constraint. @default - none */
  readonly constraints?: string;
}

/** The outcome of one request. */
export interface AccessResult {
  /** The decision. */
  readonly decision: AccessDecision;
  /** The statements that decided it. */
  readonly statements: DecidingStatement[];
  /** One human sentence. */
  readonly reason: string;
}

/** Input of a {@link KeyPolicyEvaluator}, in synthesized template form. */
export interface KeyPolicyEvaluatorProps {
  /** The KeyPolicy document as in the template. */
  readonly keyPolicy: any;
  /** Canonical account of the key, e.g. `${AWS::AccountId}` or `111111111111`. */
  readonly keyAccount: string;
  /**
   * Identity policies per canonical principal (role ARN canonical string), from the same template.
   * Each entry is a policy document, or an object with a `PolicyDocument` (as in a Role's Policies).
   * @default - no identity policies: principals act through the key policy alone
   */
  readonly identityPolicies?: { [principal: string]: any[] };
  /**
   * Canonical ARN of the key (`${MyKey1234.Arn}` for a key of the template), to decide which
   * identity policy Resources name the key.
   * @default - only `*` and wildcard ARNs over every key of the account name the key
   */
  readonly keyArn?: string;
  /**
   * The grants on the key declared in the template (`KeyInTemplate.grants`). A grant allows its
   * grantee its operations on its own, in any account; an explicit Deny still wins.
   * @default - no grants
   */
  readonly grants?: GrantInTemplate[];
}

interface Candidate {
  readonly statement: ParsedStatement;
  readonly source: PolicySource;
  readonly policyIndex?: number;
  readonly applies: Applies;
  readonly via: 'direct' | 'account' | 'identity' | 'grant';
  readonly constraints?: string;
}

interface Side { readonly strength: number; readonly candidates: Candidate[] }

const NONE: Side = { strength: 0, candidates: [] };

/**
 * Evaluates requests against one KMS key's policy and the identity policies of the same template.
 *
 * It follows the KMS authorization rules: an explicit Deny wins; a key policy statement that names
 * a principal allows it on its own; a statement that names the key's account (its root or its id)
 * delegates to IAM, so a principal of that account acts when its identity policy allows it too;
 * a principal of another account needs both the key policy and its identity policy. Conditions are
 * reported as CONDITIONAL, and unresolvable tokens as CANNOT_EVALUATE, never guessed.
 * It does not model SCPs, RCPs, permission boundaries, session policies, grants or VPC endpoint policies.
 */
export class KeyPolicyEvaluator {
  /** Problems found while reading (unresolvable tokens...), with the statement index. */
  public readonly problems: string[];
  private readonly keyPolicy: ParsedPolicy;
  private readonly grants: ParsedPolicy;
  /** The constraint text of each grant, by statement index. */
  private readonly grantConstraints: Array<string | undefined>;
  private readonly identity: { [principal: string]: ParsedPolicy[] };
  private readonly key: KeyResource;
  /** Answers per principal and action signature: actions that every statement treats alike get the same answer. */
  private readonly answers = new Map<string, AccessResult>();

  constructor(props: KeyPolicyEvaluatorProps) {
    this.key = { account: props.keyAccount, arn: props.keyArn };
    this.keyPolicy = parsePolicy(props.keyPolicy, true);
    this.identity = {};
    this.grants = parsePolicy(grantPolicy(props.grants ?? []), true);
    this.grantConstraints = (props.grants ?? []).map((grant) => describeConstraints(grant.constraints));
    this.problems = [
      ...this.keyPolicy.problems.map((problem) => `key policy ${problem}`),
      ...(props.grants?.length ? this.grants.problems.map((problem) => `grant ${problem}`) : []),
    ];
    for (const [principal, policies] of Object.entries(props.identityPolicies ?? {})) {
      this.identity[principal] = policies.map((policy, position) => {
        const parsed = parsePolicy(policy?.PolicyDocument ?? policy, false);
        this.problems.push(...parsed.problems.map((problem) => `identity policy ${position} of ${principal}: ${problem}`));
        return parsed;
      });
    }
  }

  /**
   * May `principal` perform `action` on this key? Account-root delegation: a key policy Allow to
   * the key's account root lets an IAM principal of that account act when its identity policy allows it.
   */
  public evaluate(request: AccessRequest): AccessResult {
    const identityPolicies = this.identity[request.principal] ?? [];
    const signature = [this.keyPolicy, this.grants, ...identityPolicies]
      .map((policy) => policy.statements.map((statement) => actionApplies(statement, request.action)).join('')).join('/');
    const memo = `${request.principal}\u0000${signature}`;
    let answer = this.answers.get(memo);
    if (!answer) {
      answer = this.answer(request);
      this.answers.set(memo, answer);
    }
    return answer;
  }

  private answer(request: AccessRequest): AccessResult {
    const who = requestIdentity(request.principal, this.key.account);
    const candidates = this.candidates(who, request);
    const unresolved = candidates.filter((candidate) => candidate.applies === Applies.UNKNOWN || candidate.statement.effect === undefined);
    const known = candidates.filter((candidate) => candidate.statement.effect !== undefined);
    const definite = this.decide(who, known, false);
    if (unresolved.length === 0) { return definite; }
    const optimistic = this.decide(who, known, true);
    const unreadable = unresolved.some((candidate) => candidate.statement.effect === undefined);
    if (definite.decision !== optimistic.decision || (unreadable && definite.decision !== AccessDecision.EXPLICIT_DENY)) {
      return result(AccessDecision.CANNOT_EVALUATE, unresolved, () =>
        `Cannot evaluate: ${describeAll(unresolved)} hold${unresolved.length === 1 ? 's' : ''} a value that cannot be resolved at synth.`);
    }
    return definite;
  }

  /** Every principal named in the key policy or the identity policies, canonical. */
  public principals(): string[] {
    const named = new Set<string>();
    for (const statement of [...this.keyPolicy.statements, ...this.grants.statements]) {
      statement.principals?.values.forEach((entry) => named.add(entryPrincipal(entry)));
    }
    Object.keys(this.identity).forEach((principal) => named.add(principal));
    return [...named];
  }

  private candidates(who: RequestIdentity, request: AccessRequest): Candidate[] {
    const found: Candidate[] = [];
    for (const statement of this.keyPolicy.statements) {
      const principal = principalApplies(statement.principals!, who, this.key.account);
      const applies = Math.min(principal.applies, this.actionAndResource(statement, request.action));
      if (applies !== Applies.NO) { found.push({ statement, source: PolicySource.KEY_POLICY, applies, via: principal.via }); }
    }
    for (const statement of this.grants.statements) {
      const principal = principalApplies(statement.principals!, who, this.key.account);
      const applies = Math.min(principal.applies, actionApplies(statement, request.action));
      if (applies !== Applies.NO) {
        // A grant to a principal allows on its own; a grant to an account delegates to IAM like the key policy.
        const via = principal.via === 'direct' ? 'grant' : 'account';
        found.push({ statement, source: PolicySource.GRANT, applies, via, constraints: this.grantConstraints[statement.index] });
      }
    }
    if (who.kind !== 'iam') { return found; }
    (this.identity[request.principal] ?? []).forEach((policy, policyIndex) => {
      for (const statement of policy.statements) {
        const applies = this.actionAndResource(statement, request.action);
        if (applies !== Applies.NO) { found.push({ statement, source: PolicySource.IDENTITY_POLICY, policyIndex, applies, via: 'identity' }); }
      }
    });
    return found;
  }

  private actionAndResource(statement: ParsedStatement, action: string): Applies {
    const applies = actionApplies(statement, action);
    if (applies === Applies.NO) { return Applies.NO; }
    return Math.min(applies, element(statement.resources, (value) => resourceApplies(value, this.key)));
  }

  private decide(who: RequestIdentity, candidates: Candidate[], assumeUnknownApplies: boolean): AccessResult {
    const active = candidates.filter((candidate) => candidate.applies === Applies.YES || assumeUnknownApplies);
    const denies = active.filter((candidate) => candidate.statement.effect === 'Deny');
    const hardDenies = denies.filter((candidate) => !candidate.statement.conditional);
    if (hardDenies.length > 0) {
      return result(AccessDecision.EXPLICIT_DENY, hardDenies, () => `Explicitly denied by ${describeAll(hardDenies)}.`);
    }
    const allows = active.filter((candidate) => candidate.statement.effect === 'Allow');
    const path = this.bestPath(who, allows);
    if (path.strength === 0) {
      return result(AccessDecision.IMPLICIT_DENY, allows, () => allows.length > 0
        ? `Not allowed: ${describeAll(allows)} ${allows.length === 1 ? 'is' : 'are'} not enough on ${allows.length === 1 ? 'its' : 'their'} own (the key policy and an identity policy must both allow it).`
        : 'Not allowed: no statement allows it.');
    }
    if (denies.length > 0) {
      return result(AccessDecision.CONDITIONAL, [...path.candidates, ...denies], () =>
        `Allowed by ${describeAll(path.candidates)} unless the conditions of ${describeAll(denies)} deny it.`);
    }
    if (path.strength === 1) {
      return result(AccessDecision.CONDITIONAL, path.candidates, () => `Allowed by ${describeAll(path.candidates)} when their conditions hold.`);
    }
    return result(AccessDecision.ALLOWED, path.candidates, () => `Allowed by ${describeAll(path.candidates)}.`);
  }

  /** The strongest way the allows combine, following who the principal is. */
  private bestPath(who: RequestIdentity, allows: Candidate[]): Side {
    const grant = side(allows.filter((candidate) => candidate.via === 'grant'));
    return strongest([this.policyPath(who, allows), grant]);
  }

  /** The strongest way the key policy and identity policies combine. */
  private policyPath(who: RequestIdentity, allows: Candidate[]): Side {
    const direct = side(allows.filter((candidate) => candidate.via === 'direct'));
    if (who.kind === 'service' || who.kind === 'anonymous') { return direct; }
    const account = side(allows.filter((candidate) => candidate.via === 'account'));
    // The root user has every permission of its own account: its identity side always allows.
    const identity = who.kind === 'root' ? { strength: 2, candidates: [] } : side(allows.filter((candidate) => candidate.via === 'identity'));
    if (who.account !== undefined && who.account === this.key.account) {
      return strongest([direct, both(account, identity)]);
    }
    return both(side([...direct.candidates, ...account.candidates]), identity);
  }
}

function principalApplies(principals: ElementValues<PrincipalEntry>, who: RequestIdentity, keyAccount: string): { applies: Applies; via: 'direct' | 'account' } {
  const matches = principals.values.map((entry) => matchPrincipal(entry, who, keyAccount));
  const unknown = principals.unknown || matches.includes('unknown');
  if (principals.negated) {
    if (matches.includes('direct') || matches.includes('account')) { return { applies: Applies.NO, via: 'direct' }; }
    return { applies: unknown ? Applies.UNKNOWN : Applies.YES, via: 'direct' };
  }
  if (matches.includes('direct')) { return { applies: Applies.YES, via: 'direct' }; }
  if (matches.includes('account')) { return { applies: Applies.YES, via: 'account' }; }
  return { applies: unknown ? Applies.UNKNOWN : Applies.NO, via: 'direct' };
}

/** Whether a statement's (Not)Action element applies to `action`, computed once per statement and action. */
function actionApplies(statement: ParsedStatement, action: string): Applies {
  let applies = statement.actionCache.get(action);
  if (applies === undefined) {
    applies = element(statement.actions, (matcher) => matcher.test(action) ? Applies.YES : Applies.NO);
    statement.actionCache.set(action, applies);
  }
  return applies;
}

/** Whether a (Not)Action or (Not)Resource element applies, given how one value applies. */
function element<T>(values: ElementValues<T>, applies: (value: T) => Applies): Applies {
  let best = values.unknown ? Applies.UNKNOWN : Applies.NO;
  for (const value of values.values) {
    best = Math.max(best, applies(value));
    if (best === Applies.YES) { break; }
  }
  if (!values.negated) { return best; }
  return best === Applies.YES ? Applies.NO : best === Applies.NO ? Applies.YES : Applies.UNKNOWN;
}

/** 2 when an unconditional statement applies, 1 when only conditional ones do, 0 when none. */
function side(candidates: Candidate[]): Side {
  if (candidates.length === 0) { return NONE; }
  const unconditional = candidates.filter((candidate) => !candidate.statement.conditional);
  return unconditional.length > 0 ? { strength: 2, candidates: unconditional } : { strength: 1, candidates };
}

function both(first: Side, second: Side): Side {
  const strength = Math.min(first.strength, second.strength);
  return strength === 0 ? NONE : { strength, candidates: [...first.candidates, ...second.candidates] };
}

function strongest(sides: Side[]): Side {
  return sides.reduce((best, next) => (next.strength > best.strength ? next : best), NONE);
}

/** The reason is written only when read: a report asks thousands of questions and reads few answers. */
function result(decision: AccessDecision, candidates: Candidate[], reason: () => string): AccessResult {
  let text: string | undefined;
  return {
    decision,
    statements: candidates.map(deciding),
    get reason() { return (text ??= reason()); },
  };
}

function deciding(candidate: Candidate): DecidingStatement {
  const { statement } = candidate;
  return {
    sid: statement.sid,
    index: statement.index,
    effect: statement.effect ?? 'Unknown',
    conditional: statement.conditional,
    source: candidate.source,
    policyIndex: candidate.policyIndex,
    constraints: candidate.constraints,
  };
}

/** "key policy statement 1 (Sid Admin)" or "identity policy 0 statement 2". */
export function describeStatement(statement: DecidingStatement): string {
  if (statement.source === PolicySource.GRANT) {
    return `grant ${statement.sid}${statement.constraints ? ` (${statement.constraints})` : ''}`;
  }
  const where = statement.source === PolicySource.KEY_POLICY ? 'key policy' : `identity policy ${statement.policyIndex}`;
  return `${where} statement ${statement.index}${statement.sid ? ` (Sid ${statement.sid})` : ''}`;
}

function describeAll(candidates: Candidate[]): string {
  return candidates.map((candidate) => describeStatement(deciding(candidate))).join(', ');
}
