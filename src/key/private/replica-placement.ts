import { Arn, ArnFormat, Stack, Token, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail, received } from '../../errors';

/** Where a primary key lives, as far as synth can tell. Unknown parts are undefined. */
export interface PrimaryLocation {
  /** Identifies the primary within the app, to find two replicas of it in one Region. */
  readonly identity: string;
  readonly region?: string;
  readonly account?: string;
  /** False only when the primary is known not to be a multi-Region key. */
  readonly multiRegion: boolean;
  /** How the error messages name the primary. */
  readonly label: string;
  /** The primary's stack when it is in this app and its Region is unresolved. */
  readonly agnosticStack?: string;
}

/** Reads what synth can know from a primary key ARN. A token ARN leaves everything unknown. */
export function locateArnPrimary(scope: IConstruct, arn: string): PrimaryLocation {
  const label = `'primaryKeyArn' ${received(arn)}`;
  if (Token.isUnresolved(arn)) {
    return { identity: `arn:${Stack.of(scope).resolve(arn)}`, multiRegion: true, label: "'primaryKeyArn'" };
  }
  const parts = /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):key\/(\S+)$/.exec(arn);
  if (!parts) {
    fail(scope, `${label} is not a KMS key ARN. Allowed: arn:<partition>:kms:<region>:<account>:key/mrk-<id>`);
  }
  const { region, account, resourceName } = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  return { identity: `arn:${arn}`, region, account, multiRegion: (resourceName ?? '').startsWith('mrk-'), label };
}

/** A primary defined in this app: its stack says where it is. */
export function locateConstructPrimary(primary: IConstruct & { readonly multiRegion: boolean }): PrimaryLocation {
  const stack = Stack.of(primary);
  return {
    identity: `construct:${primary.node.path}`,
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    multiRegion: primary.multiRegion,
    label: `'primaryKey' ${primary.node.path}`,
    agnosticStack: Token.isUnresolved(stack.region) ? stack.node.path : undefined,
  };
}

/** Replicas registered per app, so a second replica of one primary in one Region fails at synth. */
const REPLICAS_BY_APP = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Checks that a replica created in `scope`'s stack can exist next to `primary`, and records it.
 * Returns the replica's Region.
 */
export function placeReplica(scope: IConstruct, primary: PrimaryLocation): string {
  if (!primary.multiRegion) {
    fail(scope, `${primary.label} is not a multi-Region key, and only a multi-Region primary can be replicated. Allowed: a CustomerManagedKey with multiRegion: true, or a key ARN whose key ID starts with "mrk-"`);
  }
  if (primary.agnosticStack) {
    // Without this check aws-cdk-lib fails later, naming a generated role of the primary.
    fail(scope, `${primary.label} is in stack ${primary.agnosticStack}, which has no explicit Region (environment-agnostic). A replica refers to its primary and the primary's roles from another Region, which needs that Region known at synth. Allowed: set env.region on stack ${primary.agnosticStack}`);
  }
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region)) {
    fail(scope, `the replica's stack ${stack.node.path} has no explicit Region (Received: an environment-agnostic stack, Region resolved at deploy time). A replica must know its Region at synth: set env.region on the stack`);
  }
  const region = stack.region;
  if (primary.region === region) {
    fail(scope, `the replica's Region ${received(region)} is the Region of its primary (${primary.label}). Allowed: any other Region; a replica must be in a different Region from its primary`);
  }
  if (primary.account && !Token.isUnresolved(stack.account) && primary.account !== stack.account) {
    fail(scope, `the replica's account ${received(stack.account)} differs from its primary's account ${received(primary.account)}. Allowed: the primary's account; KMS creates replicas in the primary's account only`);
  }
  const root = scope.node.root;
  const placed = REPLICAS_BY_APP.get(root) ?? new Map<string, string>();
  REPLICAS_BY_APP.set(root, placed);
  const slot = `${primary.identity}@${region}`;
  const existing = placed.get(slot);
  if (existing) {
    fail(scope, `${primary.label} already has a replica in ${region} (${existing}). Allowed: one replica per primary and Region`);
  }
  placed.set(slot, scope.node.path);
  return region;
}

/** A principal of the replica's role model, with the prop it came from. */
export interface NamedPrincipal {
  readonly prop: string;
  readonly principal?: iam.IPrincipal;
  readonly inherited: boolean;
}

/**
 * A replica's key policy names the roles it inherits by ARN. A role defined in the primary's
 * stack without a name has no ARN known at synth in another Region; aws-cdk-lib would fail with
 * CannotUseCrossEnvironment, naming neither the prop nor the fix.
 */
export function requireNameableRoles(scope: IConstruct, principals: readonly NamedPrincipal[]): void {
  const consumer = Stack.of(scope);
  for (const { prop, principal, inherited } of principals) {
    if (!(principal instanceof iam.Role)) { continue; }
    const home = Stack.of(principal);
    const sameEnvironment = home.account === consumer.account && home.region === consumer.region;
    // aws-cdk-lib's own test: a literal name or PhysicalName.GENERATE_IF_NEEDED allows it. The
    // flag is not public API; if it ever disappears, aws-cdk-lib's error still stops the synth.
    const named = (principal as unknown as { _allowCrossEnvironment?: boolean })._allowCrossEnvironment !== false;
    if (sameEnvironment || named) { continue; }
    fail(scope, `'${prop}' ${principal.node.path} (${inherited ? 'inherited from the primary' : 'given to the replica'}) is a role of stack ${home.node.path} in ${home.region} without a name, so the replica in ${consumer.region} cannot name it in its key policy. `
      + `Allowed: set roleName on ${principal.node.path} (or roleName: PhysicalName.GENERATE_IF_NEEDED), or give the replica its own '${prop}'`);
  }
}

/** Rotation is a shared property of a multi-Region key: it is set on the primary only. */
export function rejectRotationProps(scope: IConstruct, props: object): void {
  // The props type has no rotation fields, but a JavaScript caller or a spread of a primary's
  // props can still carry them; ignoring them would suggest the replica rotates on its own.
  for (const prop of ['enableKeyRotation', 'rotationPeriod']) {
    const value = (props as Record<string, unknown>)[prop];
    if (value !== undefined) {
      fail(scope, `'${prop}' is set on a replica (Received: ${received(describe(value))}). Allowed: leave it unset; rotation is shared by a multi-Region key and set on its primary`);
    }
  }
}

function describe(value: unknown): unknown {
  return value && typeof value === 'object' && 'toDays' in value ? `${(value as { toDays(): number }).toDays()} days` : value;
}
