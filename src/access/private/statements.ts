import { actionPatternMatcher } from '../kms-actions';
import { canonicalValue, isIntrinsic } from '../template-values';
import { ConditionClause, ConditionState, readConditions } from './principal-conditions';
import { PrincipalEntry, awsPrincipalEntry } from './principals';

/** Whether a statement element applies: NO, UNKNOWN (an unresolvable token), or YES. */
export enum Applies { NO = 0, UNKNOWN = 1, YES = 2 }

/** A list element (Principal, Action, Resource) with its negation and unreadable values. */
export interface ElementValues<T> {
  readonly negated: boolean;
  readonly values: T[];
  /** Some values could not be read: they may or may not apply. */
  readonly unknown: boolean;
}

/** One statement, read once and evaluated many times. */
export interface ParsedStatement {
  readonly index: number;
  readonly sid?: string;
  /** undefined when the Effect itself cannot be read. */
  readonly effect?: 'Allow' | 'Deny';
  /** undefined in identity policies, which have no Principal element. */
  readonly principals?: ElementValues<PrincipalEntry>;
  readonly actions: ElementValues<RegExp>;
  readonly resources: ElementValues<string>;
  /** The statement has a Condition block: its outcome is reported, never guessed. */
  readonly conditional: boolean;
  /** The Condition block, clause by clause; the evaluator decides the clauses it can (aws:PrincipalArn). */
  readonly conditions: ConditionClause[];
  /** Whether the (Not)Action element applies, per action asked about: reports ask the same actions of every principal. */
  readonly actionCache: Map<string, Applies>;
  /** What the Condition block says, per key account and principal asked about. */
  readonly conditionCache: Map<string, ConditionOutcome>;
}

/** What a statement's Condition block says about one principal: the clauses left open. */
export interface ConditionOutcome {
  readonly state: ConditionState;
  readonly open: ConditionClause[];
}

/** The statements of a policy document, and what could not be read. */
export interface ParsedPolicy {
  readonly statements: ParsedStatement[];
  readonly problems: string[];
}

/** Per reading: the same document may be read as a key policy (with principals) and as an identity policy. */
const caches = { withPrincipals: new WeakMap<object, ParsedPolicy>(), withoutPrincipals: new WeakMap<object, ParsedPolicy>() };

/**
 * Reads a policy document in template form. Documents are cached by identity: a template's
 * identity policy is read once however many keys it is evaluated against.
 */
export function parsePolicy(document: unknown, withPrincipals: boolean): ParsedPolicy {
  const cache = withPrincipals ? caches.withPrincipals : caches.withoutPrincipals;
  if (typeof document === 'object' && document !== null) {
    const cached = cache.get(document);
    if (cached) { return cached; }
  }
  const problems: string[] = [];
  const readable = typeof document === 'object' && document !== null && !isIntrinsic(document);
  const raw = readable ? (document as Record<string, unknown>).Statement : undefined;
  if (raw === undefined || typeof raw !== 'object' || raw === null || isIntrinsic(raw)) {
    problems.push(`policy: the Statement list cannot be read (${describe(raw ?? document)})`);
  }
  const list = Array.isArray(raw) ? raw : raw && !isIntrinsic(raw) ? [raw] : [];
  const statements = list.map((statement, index) => parseStatement(statement, index, withPrincipals, problems));
  if (problems.length > 0 && statements.length === 0) {
    statements.push(unreadableStatement(0, withPrincipals));
  }
  const parsed = { statements, problems };
  if (typeof document === 'object' && document !== null) { cache.set(document, parsed); }
  return parsed;
}

function parseStatement(raw: unknown, index: number, withPrincipals: boolean, problems: string[]): ParsedStatement {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('Effect' in raw)) {
    problems.push(`statement ${index}: cannot be read (${describe(raw)})`);
    return unreadableStatement(index, withPrincipals);
  }
  const statement = raw as Record<string, unknown>;
  const sid = canonicalValue(statement.Sid);
  const where = `statement ${index}${sid ? ` (Sid ${sid})` : ''}`;
  const effectText = canonicalValue(statement.Effect);
  const effect = effectText === 'Allow' || effectText === 'Deny' ? effectText : undefined;
  if (!effect) { problems.push(`${where}: Effect cannot be read (${describe(statement.Effect)})`); }
  const condition = statement.Condition;
  const actions = readActions(statement, where, problems);
  return {
    index,
    sid,
    effect,
    principals: withPrincipals ? readPrincipals(statement, where, problems) : undefined,
    actions: actions.element,
    resources: readElement(statement, 'Resource', where, problems, (value) => value),
    conditional: typeof condition === 'object' && condition !== null && Object.keys(condition).length > 0,
    conditions: readConditions(condition),
    actionCache: actions.cache,
    conditionCache: new Map(),
  };
}

/** A (Not)Action element, and whether it applies per action asked about. */
interface ActionElement {
  readonly element: ElementValues<RegExp>;
  readonly cache: Map<string, Applies>;
}

/**
 * (Not)Action elements of plain action names, by their text: the keys of an app repeat the same
 * action lists, and each key's policy is read afresh. Whether an action applies depends on the
 * element alone, so statements with the same element share the element and its answers. The key
 * is the whole element: Action or NotAction, and every name in order.
 */
const actionElements = new Map<string, ActionElement>();
/** An action name or pattern that is read as written (no token, no separator of the key above). */
const PLAIN_ACTION = /^[\w:*?-]+$/;

function readActions(statement: Record<string, unknown>, where: string, problems: string[]): ActionElement {
  const read = () => readElement(statement, 'Action', where, problems, actionPatternMatcher, (text) => !text.includes('${'));
  const negated = !('Action' in statement) && 'NotAction' in statement;
  const raw = statement[negated ? 'NotAction' : 'Action'];
  const names = Array.isArray(raw) ? raw : [raw];
  // Anything else (a token, an unreadable value) is read, and its problems reported, every time.
  if (!names.every((name) => typeof name === 'string' && PLAIN_ACTION.test(name))) { return { element: read(), cache: new Map() }; }
  const text = `${negated ? 'NotAction' : 'Action'} ${names.join(' ')}`;
  let known = actionElements.get(text);
  if (!known) {
    known = { element: read(), cache: new Map() };
    actionElements.set(text, known);
  }
  return known;
}

function unreadableStatement(index: number, withPrincipals: boolean): ParsedStatement {
  const unknown = { negated: false, values: [], unknown: true };
  const principals = withPrincipals ? unknown : undefined;
  return {
    index, principals, actions: unknown, resources: unknown, conditional: false, conditions: [], actionCache: new Map(), conditionCache: new Map(),
  };
}

/**
 * Reads a (Not)Action or (Not)Resource element. `readable` rejects canonical values that still
 * stand for something unknown (an action from a parameter, `${ActionParameter}`).
 */
function readElement<T>(statement: Record<string, unknown>, name: string, where: string, problems: string[],
  convert: (value: string) => T, readable: (text: string) => boolean = () => true): ElementValues<T> {
  const negated = !(name in statement) && `Not${name}` in statement;
  const raw = statement[negated ? `Not${name}` : name];
  const values: T[] = [];
  let unknown = false;
  for (const item of Array.isArray(raw) ? raw : [raw]) {
    const text = canonicalValue(item);
    if (text === undefined || !readable(text)) {
      unknown = true;
      problems.push(`${where}: ${negated ? 'Not' : ''}${name} value cannot be evaluated (${describe(item)})`);
    } else {
      values.push(convert(text));
    }
  }
  return { negated, values, unknown };
}

function readPrincipals(statement: Record<string, unknown>, where: string, problems: string[]): ElementValues<PrincipalEntry> {
  const negated = !('Principal' in statement) && 'NotPrincipal' in statement;
  const name = negated ? 'NotPrincipal' : 'Principal';
  const raw = statement[name];
  const values: PrincipalEntry[] = [];
  let unknown = false;
  const unreadable = (item: unknown) => {
    unknown = true;
    problems.push(`${where}: ${name} value cannot be evaluated (${describe(item)})`);
  };
  if (raw === '*') {
    values.push({ kind: 'any' });
  } else if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !isIntrinsic(raw)) {
    for (const [type, list] of Object.entries(raw as Record<string, unknown>)) {
      for (const item of Array.isArray(list) ? list : [list]) {
        const text = canonicalValue(item);
        if (text === undefined) { unreadable(item); continue; }
        const entry = principalEntry(type, text);
        if (entry.kind === 'unknown') { unreadable(item); }
        values.push(entry);
      }
    }
  } else {
    unreadable(raw);
  }
  return { negated, values, unknown };
}

function principalEntry(type: string, value: string): PrincipalEntry {
  if (type === 'AWS') { return awsPrincipalEntry(value); }
  if (type === 'Service') { return { kind: 'exact', id: `service:${value}` }; }
  return { kind: 'exact', id: `${type.toLowerCase()}:${value}` };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
