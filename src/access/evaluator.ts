import { describeConstraints, grantPolicy } from './grant-policy';
import { ConditionState, clauseState, describeClause } from './private/principal-conditions';
import { PrincipalEntry, RequestIdentity, entryPrincipal, inKeyAccount, matchPrincipal, requestIdentity } from './private/principals';
import { KeyResource, resourceApplies } from './private/resources';
import { Applies, ConditionOutcome, ElementValues, ParsedPolicy, ParsedStatement, parsePolicy } from './private/statements';
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
  /**
   * The principal's identity policies are not in the evaluated template: a consumer in another
   * stack or account, admitted by a condition (see `conditionalPrincipals`). Its identity side
   * then counts as CONDITIONAL, never as absent.
   *
   * @default false
   */
  readonly identityPoliciesElsewhere?: boolean;
}

/** A statement that decided a request. */
export interface DecidingStatement {
  /** The statement's Sid. @default - the statement has no Sid */
  readonly sid?: string;
  /** Position of the statement in its policy's Statement list. */
  readonly index: number;
  /** `Allow` or `Deny` (`Unknown` when the Effect cannot be read). */
  readonly effect: string;
  /**
   * The statement has a Condition block that synth cannot decide for this request. Conditions on
   * `aws:PrincipalArn` are decided when the principal and the values are known; the others
   * (tags, encryption context, source...) never are.
   */
  readonly conditional: boolean;
  /**
   * The conditions left open, e.g. `StringEquals aws:PrincipalTag/team orders`.
   * @default - none: the statement applies without conditions
   */
  readonly conditions?: string[];
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
  /** The conditions that remain open for this request. */
  readonly condition: ConditionOutcome;
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
  /**
   * Answers per request, as principal then action, one table per value of
   * `identityPoliciesElsewhere`: several rules, and both sides of the separation-of-duties
   * check, ask the same questions.
   */
  private readonly answersByRequest = [new Map<string, Map<string, AccessResult>>(), new Map<string, Map<string, AccessResult>>()];
  /** The key policy's and the grants' part of an action's signature: the same for every principal. */
  private readonly sharedSignatures = new Map<string, string>();

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
    // Every field of the request is part of the question: a cache keyed on less answers a stale one.
    const elsewhere = request.identityPoliciesElsewhere ? 1 : 0;
    const byPrincipal = this.answersByRequest[elsewhere];
    let byAction = byPrincipal.get(request.principal);
    if (!byAction) {
      byAction = new Map();
      byPrincipal.set(request.principal, byAction);
    }
    const known = byAction.get(request.action);
    if (known) { return known; }
    const memo = `${request.principal}\u0000${elsewhere}\u0000${this.signature(request.principal, request.action)}`;
    let answer = this.answers.get(memo);
    if (!answer) {
      answer = this.answer(request);
      this.answers.set(memo, answer);
    }
    byAction.set(request.action, answer);
    return answer;
  }

  /**
   * How every statement that could decide for `principal` treats `action` (the key policy's, the
   * grants', then the principal's identity policies'): two actions of one signature get one answer.
   */
  private signature(principal: string, action: string): string {
    let shared = this.sharedSignatures.get(action);
    if (shared === undefined) {
      shared = `${policySignature(this.keyPolicy, action)}/${policySignature(this.grants, action)}`;
      this.sharedSignatures.set(action, shared);
    }
    const identityPolicies = this.identity[principal] ?? [];
    return identityPolicies.length === 0 ? shared : `${shared}/${identityPolicies.map((policy) => policySignature(policy, action)).join('/')}`;
  }

  private answer(request: AccessRequest): AccessResult {
    const who = requestIdentity(request.principal, this.key.account);
    const answer = this.answerFor(who, request);
    if (who.kind !== 'iam' || who.account !== undefined) { return answer; }
    // A principal whose account synth cannot read (a value known at deploy time only): in the
    // key's account a statement naming it is enough, in another account it is not.
    const inKeyAccountAnswer = this.answerFor({ ...who, account: this.key.account }, request);
    if (inKeyAccountAnswer.decision === answer.decision) { return answer; }
    return result(AccessDecision.CANNOT_EVALUATE, [], () => `Cannot evaluate: the account of ${request.principal} cannot be read at synth.`);
  }

  private answerFor(who: RequestIdentity, request: AccessRequest): AccessResult {
    const candidates = this.candidates(who, request);
    const unresolved = candidates.filter((candidate) => candidate.applies === Applies.UNKNOWN || candidate.statement.effect === undefined);
    const known = candidates.filter((candidate) => candidate.statement.effect !== undefined);
    const elsewhere = request.identityPoliciesElsewhere ?? false;
    const definite = this.decide(who, known, false, elsewhere);
    if (unresolved.length === 0) { return definite; }
    const optimistic = this.decide(who, known, true, elsewhere);
    const unreadable = unresolved.some((candidate) => candidate.statement.effect === undefined);
    if (definite.decision !== optimistic.decision || (unreadable && definite.decision !== AccessDecision.EXPLICIT_DENY)) {
      return result(AccessDecision.CANNOT_EVALUATE, unresolved, () =>
        `Cannot evaluate: ${describeAll(unresolved)} hold${unresolved.length === 1 ? 's' : ''} a value that cannot be resolved at synth.`);
    }
    return definite;
  }

  /**
   * Principals that key policy statements admit by a condition rather than by name: the values of
   * positive `aws:PrincipalArn` conditions (e.g. `arn:aws:iam::111111111111:role/app/orders/*`),
   * and `arn:aws:iam::<account>:*` for statements that name an account and narrow it some other
   * way (e.g. `aws:PrincipalTag`). Their identity policies are usually in another stack: ask
   * about them with `identityPoliciesElsewhere`.
   */
  public conditionalPrincipals(): string[] {
    const named = new Set(this.principals());
    const found = new Set<string>();
    for (const statement of this.keyPolicy.statements) {
      if (statement.effect !== 'Allow' || statement.principals?.negated || statement.conditions.length === 0) { continue; }
      const accounts = (statement.principals?.values ?? []).flatMap((entry) => (entry.kind === 'account' ? [inKeyAccount(entry.account, this.key.account)] : []));
      if (accounts.length === 0) { continue; }
      const patterns = principalArnPatterns(statement).map((pattern) => inKeyAccount(pattern, this.key.account));
      (patterns.length > 0 ? patterns : accounts.map((account) => `arn:aws:iam::${account}:*`)).forEach((principal) => found.add(principal));
    }
    return [...found].filter((principal) => !named.has(principal));
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
      const condition = applies === Applies.NO ? undefined : this.conditionFor(statement, who);
      if (condition) { found.push({ statement, condition, source: PolicySource.KEY_POLICY, applies, via: principal.via }); }
    }
    for (const statement of this.grants.statements) {
      const principal = principalApplies(statement.principals!, who, this.key.account);
      // Resource is `*` (this key), or a key reference the template knows only at deploy time.
      const applies = Math.min(principal.applies, this.actionAndResource(statement, request.action));
      const condition = applies === Applies.NO ? undefined : this.conditionFor(statement, who);
      if (condition) {
        // A grant to a principal allows on its own; a grant to an account delegates to IAM like the key policy.
        const via = principal.via === 'direct' ? 'grant' : 'account';
        found.push({ statement, condition, source: PolicySource.GRANT, applies, via, constraints: this.grantConstraints[statement.index] });
      }
    }
    if (who.kind !== 'iam') { return found; }
    (this.identity[request.principal] ?? []).forEach((policy, policyIndex) => {
      for (const statement of policy.statements) {
        const applies = this.actionAndResource(statement, request.action);
        const condition = applies === Applies.NO ? undefined : this.conditionFor(statement, who);
        if (condition) { found.push({ statement, condition, source: PolicySource.IDENTITY_POLICY, policyIndex, applies, via: 'identity' }); }
      }
    });
    return found;
  }

  /** What the statement's conditions say about `who`; undefined when one of them surely fails. */
  private conditionFor(statement: ParsedStatement, who: RequestIdentity): ConditionOutcome | undefined {
    const memo = `${this.key.account}\u0000${who.id}`;
    let outcome = statement.conditionCache.get(memo);
    if (!outcome) {
      const normalize = (value: string) => inKeyAccount(value, this.key.account);
      const states = statement.conditions.map((clause) => ({ clause, state: clauseState(clause, who, normalize) }));
      outcome = {
        state: states.reduce((worst, { state }) => Math.min(worst, state), ConditionState.TRUE),
        open: states.filter(({ state }) => state === ConditionState.UNKNOWN).map(({ clause }) => clause),
      };
      statement.conditionCache.set(memo, outcome);
    }
    return outcome.state === ConditionState.FALSE ? undefined : outcome;
  }

  private actionAndResource(statement: ParsedStatement, action: string): Applies {
    const applies = actionApplies(statement, action);
    if (applies === Applies.NO) { return Applies.NO; }
    return Math.min(applies, element(statement.resources, (value) => resourceApplies(value, this.key)));
  }

  private decide(who: RequestIdentity, candidates: Candidate[], assumeUnknownApplies: boolean, elsewhere: boolean): AccessResult {
    const active = candidates.filter((candidate) => candidate.applies === Applies.YES || assumeUnknownApplies);
    const denies = active.filter((candidate) => candidate.statement.effect === 'Deny');
    const hardDenies = denies.filter((candidate) => !conditional(candidate));
    if (hardDenies.length > 0) {
      return result(AccessDecision.EXPLICIT_DENY, hardDenies, () => `Explicitly denied by ${describeAll(hardDenies)}.`);
    }
    const allows = active.filter((candidate) => candidate.statement.effect === 'Allow');
    const path = this.bestPath(who, allows, elsewhere);
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
      const outside = elsewhere && !path.candidates.some((candidate) => candidate.source === PolicySource.IDENTITY_POLICY)
        && who.kind === 'iam' && path.candidates.some((candidate) => candidate.via === 'account')
        ? ', and if an identity policy of the principal outside this template allows it' : '';
      return result(AccessDecision.CONDITIONAL, path.candidates, () => `Allowed by ${describeAll(path.candidates)} when their conditions hold${outside}.`);
    }
    return result(AccessDecision.ALLOWED, path.candidates, () => `Allowed by ${describeAll(path.candidates)}.`);
  }

  /** The strongest way the allows combine, following who the principal is. */
  private bestPath(who: RequestIdentity, allows: Candidate[], elsewhere: boolean): Side {
    const grant = side(allows.filter((candidate) => candidate.via === 'grant'));
    return strongest([this.policyPath(who, allows, elsewhere), grant]);
  }

  /** The strongest way the key policy and identity policies combine. */
  private policyPath(who: RequestIdentity, allows: Candidate[], elsewhere: boolean): Side {
    const direct = side(allows.filter((candidate) => candidate.via === 'direct'));
    if (who.kind === 'service' || who.kind === 'anonymous') { return direct; }
    const account = side(allows.filter((candidate) => candidate.via === 'account'));
    // The root user has every permission of its own account: its identity side always allows.
    const identity = who.kind === 'root' ? { strength: 2, candidates: [] } : strongest([
      side(allows.filter((candidate) => candidate.via === 'identity')),
      // Not in this template, so it may allow: conditional, never absent.
      elsewhere ? { strength: 1, candidates: [] } : NONE,
    ]);
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

/** How each statement of `policy` treats `action`, one digit per statement. */
function policySignature(policy: ParsedPolicy, action: string): string {
  let signature = '';
  for (const statement of policy.statements) { signature += actionApplies(statement, action); }
  return signature;
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

/** The values of a statement's positive aws:PrincipalArn conditions. */
function principalArnPatterns(statement: ParsedStatement): string[] {
  return statement.conditions
    .filter((clause) => clause.key.toLowerCase() === 'aws:principalarn' && /^(arn|string)(equals|like)$/i.test(clause.operator))
    .flatMap((clause) => clause.values.filter((value): value is string => value !== undefined));
}

/** Whether the statement's conditions are left open for this request (see DecidingStatement.conditional). */
function conditional(candidate: Candidate): boolean {
  return candidate.condition.state === ConditionState.UNKNOWN;
}

/** 2 when an unconditional statement applies, 1 when only conditional ones do, 0 when none. */
function side(candidates: Candidate[]): Side {
  if (candidates.length === 0) { return NONE; }
  const unconditional = candidates.filter((candidate) => !conditional(candidate));
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
    conditional: conditional(candidate),
    conditions: conditional(candidate) ? candidate.condition.open.map(describeClause) : undefined,
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
