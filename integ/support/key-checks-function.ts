import { Duration, Stack, aws_iam as iam, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';

/**
 * Inline code of the function that runs the cryptographic checks on real AWS, as a key user.
 *
 * integ-tests' awsApiCall passes binary fields (CiphertextBlob, Plaintext) through JSON as UTF-8
 * text, which corrupts them, so GenerateDataKey -> Decrypt cannot be chained with awsApiCall.
 * The function does the round trips itself and returns what it saw.
 */
const CHECKS_SOURCE = `
const { KMSClient, GenerateDataKeyCommand, DecryptCommand, EncryptCommand } = require('@aws-sdk/client-kms');
const crypto = require('node:crypto');
exports.handler = async (event) => {
  const kms = new KMSClient({});
  const context = { purpose: 'cdk-kms-patterns-integ', record: 'r-1' };
  const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId: event.keyId, KeySpec: 'AES_256', EncryptionContext: context }));
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', dataKey.Plaintext, iv);
  const sealed = Buffer.concat([cipher.update('envelope plaintext'), cipher.final()]);
  const tag = cipher.getAuthTag();
  const stored = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }));
  const decipher = crypto.createDecipheriv('aes-256-gcm', stored.Plaintext, iv);
  decipher.setAuthTag(tag);
  const envelope = Buffer.concat([decipher.update(sealed), decipher.final()]).toString() === 'envelope plaintext';
  const encrypted = await kms.send(new EncryptCommand({ KeyId: event.keyId, Plaintext: Buffer.from('direct'), EncryptionContext: context }));
  const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }));
  const direct = Buffer.from(decrypted.Plaintext).toString() === 'direct';
  let wrongContext = 'accepted';
  try {
    await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { purpose: 'other' } }));
  } catch (err) {
    wrongContext = err.name;
  }
  return { envelope, direct, wrongContext };
};
`;

/** What the checks function returns when the key works as it should. */
export const EXPECTED_CHECKS_RESULT = { envelope: true, direct: true, wrongContext: 'InvalidCiphertextException' };

/**
 * A function in `scope` (the assertion stack) that runs the envelope, Encrypt/Decrypt and
 * wrong-context checks with `role`, which the key under test names as a user. The role lives in
 * the test-case stack so that the key policy can name it without a dependency cycle.
 */
export function keyChecksFunction(scope: Stack, id: string, role: iam.IRole): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(CHECKS_SOURCE),
    role,
    timeout: Duration.seconds(30),
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_DAY }),
  });
}

/** A role Lambda can assume, with logging only: the key policy gives it its KMS rights. */
export function keyUserFunctionRole(scope: Stack, id: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
  });
}
