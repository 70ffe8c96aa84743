import { Duration, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** What the round-trip function returns when decryption in the replica Region gives back the plaintext. */
export const EXPECTED_ROUND_TRIP = { encryptedIn: 'primary', decryptedIn: 'replica', plaintextMatches: true };

/** Where the function encrypts and decrypts, and as whom. */
export interface RoundTripTargets {
  readonly primaryKeyArn: string;
  readonly primaryRegion: string;
  readonly replicaKeyArn: string;
  readonly replicaRegion: string;
  /** The key user role both keys name in their key policies (the replica inherits it). */
  readonly userRole: iam.IRole;
}

// Runs in Lambda (Node.js 22 ships the AWS SDK v3). Raw KMS Encrypt in the primary Region, then
// Decrypt of the same ciphertext in the replica Region, both as the key user role. The
// ciphertext never leaves the function: integ assertions pass strings, not binary blobs.
const HANDLER = `
const { STSClient, AssumeRoleCommand } = require('@aws-sdk/client-sts');
const { KMSClient, EncryptCommand, DecryptCommand } = require('@aws-sdk/client-kms');
exports.handler = async () => {
  const env = process.env;
  const { Credentials: c } = await new STSClient({}).send(new AssumeRoleCommand({ RoleArn: env.USER_ROLE_ARN, RoleSessionName: 'multi-region-integ' }));
  const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  const context = { purpose: 'cdk-kms-patterns multi-Region integration test' };
  const plaintext = 'encrypted in ' + env.PRIMARY_REGION + ', decrypted in ' + env.REPLICA_REGION;
  const encrypted = await new KMSClient({ region: env.PRIMARY_REGION, credentials }).send(
    new EncryptCommand({ KeyId: env.PRIMARY_KEY_ARN, Plaintext: Buffer.from(plaintext), EncryptionContext: context }));
  const decrypted = await new KMSClient({ region: env.REPLICA_REGION, credentials }).send(
    new DecryptCommand({ KeyId: env.REPLICA_KEY_ARN, CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }));
  return { encryptedIn: 'primary', decryptedIn: 'replica', plaintextMatches: Buffer.from(decrypted.Plaintext).toString() === plaintext };
};
`;

/** A function that proves ciphertext from the primary decrypts under the replica. */
export function roundTripFunction(scope: Construct, id: string, targets: RoundTripTargets): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(HANDLER),
    timeout: Duration.seconds(30),
    environment: {
      PRIMARY_KEY_ARN: targets.primaryKeyArn,
      PRIMARY_REGION: targets.primaryRegion,
      REPLICA_KEY_ARN: targets.replicaKeyArn,
      REPLICA_REGION: targets.replicaRegion,
      USER_ROLE_ARN: targets.userRole.roleArn,
    },
  });
  // The user role trusts the account, so an identity policy is enough to assume it.
  targets.userRole.grantAssumeRole(fn.grantPrincipal);
  return fn;
}
