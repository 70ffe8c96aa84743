import { App, CfnOutput, Stack, StackProps, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CustomerManagedKey } from '../../src';

/** The alias the workload encrypts under. Code refers to the alias, never to a key id. */
export const WORKLOAD_ALIAS = 'alias/workload/envelope';

/**
 * A key for envelope encryption and the role a workload runs as. The role gets exactly what the
 * AWS Encryption SDK needs: GenerateDataKey to encrypt, Decrypt to decrypt, through the key
 * policy (no identity-policy wildcard on "*").
 */
export class EnvelopeEncryptionStack extends Stack {
  public readonly key: CustomerManagedKey;
  public readonly workloadRole: iam.Role;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.key = new CustomerManagedKey(this, 'EnvelopeKey', {
      description: 'Envelope encryption for the workload',
      aliases: [WORKLOAD_ALIAS],
    });
    this.workloadRole = new iam.Role(this, 'WorkloadRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the envelope-encryption workload',
    });
    this.key.grantGenerateDataKey(this.workloadRole);
    this.key.grantDecrypt(this.workloadRole);
    // One deletion monitor per account and Region is the platform's (see the golden pattern).
    Validations.of(this).acknowledge({
      id: 'KmsChecks-KeyDeletionMonitored',
      reason: 'The platform stack of this account and Region runs the KeyDeletionMonitor',
    });
    new CfnOutput(this, 'KeyArn', { value: this.key.keyArn });
    new CfnOutput(this, 'AliasName', { value: WORKLOAD_ALIAS });
    new CfnOutput(this, 'WorkloadRoleArn', { value: this.workloadRole.roleArn });
  }
}

/** Builds the example into `app`; the tests call this too. */
export function buildEnvelopeExample(app: App): EnvelopeEncryptionStack {
  return new EnvelopeEncryptionStack(app, 'EnvelopeEncryptionExample', { env: { account: '111111111111', region: 'eu-west-1' } });
}
