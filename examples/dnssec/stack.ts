import { App, CfnOutput, Stack, Validations, aws_route53 as route53 } from 'aws-cdk-lib';
import { DnssecSigningKey } from '../../src';

/**
 * DNSSEC signing for a public hosted zone: the KMS key (us-east-1, ECC_NIST_P256, SIGN_VERIFY,
 * with Route 53's key policy statements scoped to this zone), the key-signing key made from it,
 * and DNSSEC signing turned on once the key-signing key exists.
 */
export function buildDnssecExample(app: App, zoneName: string): Stack {
  const stack = new Stack(app, 'DnssecExample', { env: { account: '111111111111', region: 'us-east-1' } });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName });
  const key = new DnssecSigningKey(stack, 'SigningKey', {
    hostedZones: [zone],
    description: `DNSSEC key-signing key material for ${zoneName}`,
    aliases: ['dnssec/ksk'],
  });
  const ksk = new route53.CfnKeySigningKey(stack, 'KeySigningKey', {
    hostedZoneId: zone.hostedZoneId,
    keyManagementServiceArn: key.keyArn,
    name: 'ksk1',
    status: 'ACTIVE',
  });
  const signing = new route53.CfnDNSSEC(stack, 'Dnssec', { hostedZoneId: zone.hostedZoneId });
  signing.addDependency(ksk);
  // One deletion monitor per account and Region is the platform's (see the golden pattern).
  Validations.of(stack).acknowledge({
    id: 'KmsChecks-KeyDeletionMonitored',
    reason: 'The platform stack of this account and Region runs the KeyDeletionMonitor',
  });
  new CfnOutput(stack, 'SigningKeyArn', { value: key.keyArn });
  new CfnOutput(stack, 'HostedZoneId', { value: zone.hostedZoneId });
  return stack;
}
