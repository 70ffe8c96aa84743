/**
 * Principals as the evaluator compares them: who is asking (a request principal) and whom a
 * statement names (a principal entry). Both are canonical strings (see template-values.ts).
 */

/** Who makes a request. */
export interface RequestIdentity {
  /** Canonical id: an ARN or `${Logical.Arn}`, `service:<name>`, or `*` for anonymous. */
  readonly id: string;
  readonly kind: 'anonymous' | 'service' | 'root' | 'iam';
  /** Account the principal belongs to, when known. */
  readonly account?: string;
}

/** One value of a Principal or NotPrincipal element. */
export type PrincipalEntry =
  | { readonly kind: 'any' }
  | { readonly kind: 'account'; readonly account: string }
  | { readonly kind: 'exact'; readonly id: string }
  | { readonly kind: 'unknown'; readonly text: string };

/** How a principal entry applies to a request: named directly, through its account, or not at all. */
export type PrincipalMatch = 'direct' | 'account' | 'none' | 'unknown';

const CURRENT_ACCOUNT = '${AWS::AccountId}';
const ACCOUNT_ID = /^(\d{12}|\$\{AWS::AccountId\})$/;
// An account is digits or a token such as ${AWS::AccountId}, whose colons do not split the ARN.
const ACCOUNT_PART = '(\\$\\{[^}]+\\}|[^:]+)';
const ROOT_ARN = new RegExp(`^arn:[^:]+:iam::${ACCOUNT_PART}:root$`);
const IAM_ARN = new RegExp(`^arn:[^:]+:(?:iam|sts)::${ACCOUNT_PART}:`);
const TEMPLATE_ARN = /^\$\{[^}.]+\.Arn\}$/;
const PLAIN_REFERENCE = /^\$\{(?!AWS::)[^}.]+\}$/;
// Any other attribute of a resource: a custom resource's output (aws-cdk-lib's cross-Region
// export reader), a nested stack's output... Its value is known at deploy time only.
const OTHER_ATTRIBUTE = /^\$\{(?!AWS::)[^}.]+\.(?!Arn\})[^}]+\}$/;

/** The canonical root ARN of an account: what a bare account id in a Principal stands for. */
export function accountRootArn(account: string): string {
  return `arn:aws:iam::${account}:root`;
}

/**
 * Classifies a request principal. Principals named as `${Logical.Arn}` are resources of the same
 * template, so they live in the key's account.
 */
export function requestIdentity(requested: string, keyAccount: string): RequestIdentity {
  const principal = inKeyAccount(requested, keyAccount);
  if (principal === '*') { return { id: '*', kind: 'anonymous' }; }
  if (principal.startsWith('service:')) { return { id: principal, kind: 'service' }; }
  if (ACCOUNT_ID.test(principal)) { return { id: accountRootArn(principal), kind: 'root', account: principal }; }
  const root = ROOT_ARN.exec(principal);
  if (root) { return { id: accountRootArn(root[1]), kind: 'root', account: root[1] }; }
  const iam = IAM_ARN.exec(principal);
  if (iam) { return { id: principal, kind: 'iam', account: iam[1] }; }
  if (TEMPLATE_ARN.test(principal)) { return { id: principal, kind: 'iam', account: keyAccount }; }
  return { id: principal, kind: 'iam' };
}

/** Reads one canonical value of a Principal element's `AWS` list. */
export function awsPrincipalEntry(value: string): PrincipalEntry {
  if (value === '*') { return { kind: 'any' }; }
  if (ACCOUNT_ID.test(value)) { return { kind: 'account', account: value }; }
  const root = ROOT_ARN.exec(value);
  if (root) { return { kind: 'account', account: root[1] }; }
  // A reference to a parameter or a resource's default value could be an account, an ARN or '*'.
  if (PLAIN_REFERENCE.test(value) || OTHER_ATTRIBUTE.test(value)) { return { kind: 'unknown', text: value }; }
  return { kind: 'exact', id: value };
}

/**
 * `${AWS::AccountId}` is the account of the key's stack: replace it so that a template that names
 * its account both ways compares equal.
 */
export function inKeyAccount(value: string, keyAccount: string): string {
  return keyAccount !== CURRENT_ACCOUNT && value.includes(CURRENT_ACCOUNT) ? value.split(CURRENT_ACCOUNT).join(keyAccount) : value;
}

/** How `entry` applies to `request` (from {@link requestIdentity} with the same key account). */
export function matchPrincipal(entry: PrincipalEntry, request: RequestIdentity, keyAccount: string): PrincipalMatch {
  switch (entry.kind) {
    case 'any': return 'direct';
    case 'unknown': return 'unknown';
    case 'exact': return inKeyAccount(entry.id, keyAccount) === request.id ? 'direct' : 'none';
    case 'account':
      if (request.account !== inKeyAccount(entry.account, keyAccount) || (request.kind !== 'root' && request.kind !== 'iam')) { return 'none'; }
      return request.kind === 'root' ? 'direct' : 'account';
  }
}

/** The canonical principal a report lists for an entry. */
export function entryPrincipal(entry: PrincipalEntry): string {
  switch (entry.kind) {
    case 'any': return '*';
    case 'account': return accountRootArn(entry.account);
    case 'exact': return entry.id;
    case 'unknown': return entry.text;
  }
}
