import { aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';

/**
 * Lets a handler role read one secret at run time: GetSecretValue on that secret only (with the
 * six-character suffix Secrets Manager appends when only the name is known), and decrypt with its
 * customer managed key if it has one.
 */
export function grantSecretRead(role: iam.Role, secret: secretsmanager.ISecret): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['secretsmanager:GetSecretValue'],
    resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
  }));
  secret.encryptionKey?.grantDecrypt(role);
}
