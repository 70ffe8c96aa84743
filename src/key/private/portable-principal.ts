import { Names, Stack, Token, TokenComparison, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../../errors';

/**
 * aws-cdk-lib's own switch for a resource used in another environment: it makes a
 * `PhysicalName.GENERATE_IF_NEEDED` name concrete. aws-cdk-lib flips it whenever a stack without
 * `crossRegionReferences` refers to the resource; a stack with them reads an export instead.
 */
interface CrossEnvironmentResource {
  readonly _allowCrossEnvironment?: boolean;
  _enableCrossEnvironment?(): void;
}

/**
 * The principal as a key policy in `scope`'s stack should name it.
 *
 * A role or user of a stack in another Region is named by an ARN built from its name and path,
 * whatever the stack's `crossRegionReferences`: with them aws-cdk-lib would pass the ARN through
 * a deploy-time export reader, a value neither KMS's reviewers nor the access report can read at
 * synth. Principals of the same Region, and principals that are not constructs, are kept as given.
 */
export function portablePrincipal(scope: IConstruct, principal: iam.IPrincipal): iam.IPrincipal {
  const kind = principal instanceof iam.Role ? 'role' : principal instanceof iam.User ? 'user' : undefined;
  if (!kind) { return principal; }
  const resource = principal as iam.Role | iam.User;
  const home = Stack.of(resource);
  const here = Stack.of(scope);
  if (home === here || Token.compareStrings(home.region, here.region) !== TokenComparison.DIFFERENT) { return principal; }

  const name = concreteName(resource);
  const path = (resource.node.defaultChild as iam.CfnRole | iam.CfnUser).path ?? '/';
  if (name === undefined || Token.isUnresolved(path)) {
    fail(scope, `the key policy would name ${kind} ${resource.node.path} of Region ${home.region} through a cross-Region reference, a value known at deploy time only. Allowed: a ${kind} with a name known at synth (${kind}Name, or PhysicalName.GENERATE_IF_NEEDED) and a literal path, or a ${kind} of this Region`);
  }
  return new iam.ArnPrincipal(here.formatArn({
    service: 'iam',
    region: '',
    account: home.account,
    resource: kind,
    resourceName: `${path.replace(/^\//, '')}${name}`,
  }));
}

/** Roles the key constructs created themselves: the library may name them. */
const LIBRARY_ROLES = new WeakSet<iam.Role>();

/** Marks a role a key construct created, so a replica in another Region may give it a name. */
export function markLibraryRole(role: iam.Role): iam.Role {
  LIBRARY_ROLES.add(role);
  return role;
}

/**
 * The role's or user's name at synth: as given, else made concrete as aws-cdk-lib does for
 * cross-environment use (which needs a known account). A role the library created in a stack
 * whose account is known at deploy time only gets a name of the library's: its path, a hash, and
 * its Region, since IAM names are per account and the app may be deployed in several Regions.
 * Undefined when the name is known at deploy time only.
 */
function concreteName(resource: iam.Role | iam.User): string | undefined {
  const home = Stack.of(resource);
  const crossEnvironment = resource as unknown as CrossEnvironmentResource;
  if (!Token.isUnresolved(home.account) && crossEnvironment._allowCrossEnvironment === true
    && typeof crossEnvironment._enableCrossEnvironment === 'function') {
    crossEnvironment._enableCrossEnvironment();
  }
  // The L1 holds the physical name: given, generated, or a token of nothing (deploy time).
  const cfn = resource.node.defaultChild as iam.CfnRole | iam.CfnUser;
  const name = home.resolve(cfn instanceof iam.CfnRole ? cfn.roleName : cfn.userName);
  if (typeof name === 'string' && !Token.isUnresolved(name)) { return name; }
  if (cfn instanceof iam.CfnRole && LIBRARY_ROLES.has(resource as iam.Role) && !Token.isUnresolved(home.region)) {
    const libraryName = `${Names.uniqueResourceName(resource, { maxLength: 63 - home.region.length, separator: '-' })}-${home.region}`;
    cfn.roleName = libraryName;
    return libraryName;
  }
  return undefined;
}
