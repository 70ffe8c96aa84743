import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail, received } from '../errors';

/** A service principal name: lowercase DNS labels, e.g. `logs.eu-west-1.amazonaws.com`. */
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;
/** An IAM role name (IAM API reference, CreateRole RoleName). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * A service-linked role: the role an AWS service creates in your account and acts through,
 * at `role/aws-service-role/<service principal>/<role name>`. Its policies belong to the
 * service, so the key policy is the only place to give it use of a key.
 */
export class ServiceLinkedRole {
  /**
   * EC2 Auto Scaling's role, `AWSServiceRoleForAutoScaling` (or `AWSServiceRoleForAutoScaling_<suffix>`
   * for a role with a custom suffix). It launches instances whose EBS volumes are encrypted with
   * the key; without use of the key and CreateGrant for AWS resources, launches fail.
   *
   * @param suffix the custom suffix the role was created with
   */
  public static autoScaling(suffix?: string): ServiceLinkedRole {
    return new ServiceLinkedRole('autoscaling.amazonaws.com', suffix ? `AWSServiceRoleForAutoScaling_${suffix}` : 'AWSServiceRoleForAutoScaling');
  }

  /**
   * Any service-linked role, by the service principal it belongs to and its name, e.g.
   * `ServiceLinkedRole.of('elasticmapreduce.amazonaws.com', 'AWSServiceRoleForEMRCleanup')`.
   */
  public static of(servicePrincipal: string, roleName: string): ServiceLinkedRole {
    return new ServiceLinkedRole(servicePrincipal, roleName);
  }

  /** The service principal the role belongs to, e.g. `autoscaling.amazonaws.com`. */
  public readonly servicePrincipal: string;
  /** The role's name, e.g. `AWSServiceRoleForAutoScaling`. */
  public readonly roleName: string;

  private constructor(servicePrincipal: string, roleName: string) {
    this.servicePrincipal = servicePrincipal;
    this.roleName = roleName;
  }

  /**
   * The role's ARN in the account of `scope`'s stack, after checking both names.
   * @internal
   */
  public _arnIn(scope: IConstruct): string {
    validateServicePrincipal(scope, 'servicePrincipal', this.servicePrincipal);
    if (!Token.isUnresolved(this.roleName) && !ROLE_NAME.test(this.roleName)) {
      fail(scope, `'roleName' value ${received(this.roleName)} is not an IAM role name. Allowed: 1 to 64 letters, digits and +=,.@_-`);
    }
    return Stack.of(scope).formatArn({
      service: 'iam', region: '', resource: 'role', resourceName: `aws-service-role/${this.servicePrincipal}/${this.roleName}`,
    });
  }
}

/** Checks that `name` looks like a service principal (`<service>.amazonaws.com` and the like). */
export function validateServicePrincipal(scope: IConstruct, prop: string, name: string): void {
  if (Token.isUnresolved(name)) { return; }
  if (!SERVICE_PRINCIPAL.test(name)) {
    fail(scope, `'${prop}' value ${received(name)} is not an AWS service principal. Allowed: the service's principal name in lowercase, e.g. "logs.amazonaws.com" or "autoscaling.amazonaws.com"`);
  }
}

/** How an AWS service principal may use a key. */
export interface ServicePrincipalUseOptions {
  /**
   * The usage actions the service gets. They must be usage actions of the key's type; an
   * administrative action is an error.
   *
   * @default - every usage action of the key's type
   */
  readonly actions?: string[];

  /**
   * The resources the service may act for (`aws:SourceArn`, compared with ArnLike, so `*`
   * wildcards work), besides the key's account (`aws:SourceAccount`, always required).
   *
   * @default - any resource of the key's account
   */
  readonly sourceArns?: string[];

  /**
   * Whether the service may create grants on the key for AWS resources it manages (kms:CreateGrant,
   * only with `kms:GrantIsForAWSResource`), as services that attach encrypted resources do.
   *
   * @default false
   */
  readonly allowResourceGrants?: boolean;
}
