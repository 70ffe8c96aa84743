import { Duration, RemovalPolicy, Stack, Token, aws_kms as kms, aws_route53 as route53 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CustomerManagedKey } from './customer-managed-key';
import { KeyOrigin } from './key-origin';
import { KeyRolesProps } from './key-roles';
import { fail, received } from '../errors';

/** The only Region whose keys Route 53 signs DNSSEC zones with. */
export const DNSSEC_KEY_REGION = 'us-east-1';
/** The service principal Route 53 DNSSEC uses with the key. */
export const DNSSEC_SERVICE_PRINCIPAL = 'dnssec-route53.amazonaws.com';

/** Properties of a {@link DnssecSigningKey}. */
export interface DnssecSigningKeyProps extends KeyRolesProps {
  /**
   * The hosted zones whose key-signing keys may use this key (`aws:SourceArn`).
   *
   * @default - any hosted zone of the key's account
   */
  readonly hostedZones?: route53.IHostedZone[];

  /**
   * A description of the key.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * How long KMS waits before deleting the key once deletion is scheduled, 7 to 30 days.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the key, and its aliases, when it leaves the stack. Deleting a key that still
   * signs a zone breaks DNS resolution for validating resolvers.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Alias names for the key. The `alias/` prefix is added when missing.
   *
   * @default - no aliases
   */
  readonly aliases?: string[];
}

/** CustomerManagedKey props a DNSSEC key fixes; a JavaScript caller may still pass them. */
const FIXED: Record<string, unknown> = {
  keySpec: kms.KeySpec.ECC_NIST_P256,
  keyUsage: kms.KeyUsage.SIGN_VERIFY,
  origin: KeyOrigin.AWS_KMS,
  multiRegion: false,
  enableKeyRotation: false,
  rotationPeriod: undefined,
};

/**
 * The KMS key behind a Route 53 DNSSEC key-signing key: ECC_NIST_P256, SIGN_VERIFY, in
 * us-east-1, with the key policy statements Route 53 needs and the library's role model.
 *
 * `dnssec-route53.amazonaws.com` gets kms:DescribeKey, kms:GetPublicKey and kms:Sign only for
 * hosted zones of the key's account (`aws:SourceAccount`, and `aws:SourceArn` of the given zones
 * or of any hosted zone), and kms:CreateGrant only for AWS resources. Pass `keyArn` to
 * `route53.CfnKeySigningKey`'s `keyManagementServiceArn`.
 *
 * The stack must have an explicit Region, us-east-1: any other Region, or an environment-agnostic
 * stack, fails at synth, since Route 53 refuses keys in other Regions at deploy time.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-cmk-requirements.html
 */
export class DnssecSigningKey extends CustomerManagedKey {
  constructor(scope: Construct, id: string, props: DnssecSigningKeyProps = {}) {
    super(scope, id, { ...props, ...FIXED } as any);
    rejectFixedProps(this, props);
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region)) {
      fail(this, `the stack ${Stack.of(this).node.path} has no explicit Region (Received: an environment-agnostic stack, Region resolved at deploy time). Allowed: env.region ${DNSSEC_KEY_REGION}; Route 53 signs DNSSEC zones only with keys in ${DNSSEC_KEY_REGION}`);
    }
    if (region !== DNSSEC_KEY_REGION) {
      fail(this, `the key's Region ${received(region)} is not possible for a DNSSEC signing key. Allowed: ${DNSSEC_KEY_REGION}; Route 53 signs DNSSEC zones only with keys in ${DNSSEC_KEY_REGION}`);
    }
    const zones = props.hostedZones;
    if (zones !== undefined && zones.length === 0) {
      fail(this, "'hostedZones' is empty. Allowed: one or more hosted zones, or leave it unset for any hosted zone of the key's account");
    }
    this.allowServicePrincipal(DNSSEC_SERVICE_PRINCIPAL, {
      actions: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
      sourceArns: zones?.map((zone) => zone.hostedZoneArn)
        ?? [Stack.of(this).formatArn({ service: 'route53', region: '', account: '', resource: 'hostedzone', resourceName: '*' })],
      allowResourceGrants: true,
    });
  }
}

function rejectFixedProps(scope: DnssecSigningKey, props: object): void {
  for (const [prop, fixed] of Object.entries(FIXED)) {
    const value = (props as Record<string, unknown>)[prop];
    if (value !== undefined && value !== fixed) {
      const allowed = fixed === undefined ? 'leave it unset (DNSSEC keys are asymmetric and do not rotate)' : `${String(fixed)} or unset`;
      fail(scope, `'${prop}' value ${received(value instanceof Duration ? `${value.toDays()} days` : value)} is not possible for a DNSSEC signing key. Allowed: ${allowed}; Route 53 needs an ECC_NIST_P256 SIGN_VERIFY key with AWS_KMS origin in one Region`);
    }
  }
}
