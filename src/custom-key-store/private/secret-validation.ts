import { SecretValue, Stack, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../../errors';

/**
 * A secret the handlers read at run time must be a Secrets Manager secret. The types already say
 * so; this catches JavaScript callers and casts that pass the value itself. The message never
 * repeats what was passed: it may be the secret.
 *
 * @param prop the prop name, for the message
 * @param holds what the secret holds, for the message (e.g. "the kmsuser password")
 */
export function validateSecretProp(scope: IConstruct, prop: string, secret: unknown, holds: string): asserts secret is secretsmanager.ISecret {
  const kind = typeof secret === 'string' ? 'a string'
    : SecretValue.isSecretValue(secret) ? 'a SecretValue'
      : typeof (secret as secretsmanager.ISecret | undefined)?.secretArn !== 'string' ? `a value of type ${typeof secret} without secretArn`
        : undefined;
  if (kind) {
    fail(scope, `'${prop}' must be a secretsmanager.ISecret that holds ${holds}. Received: ${kind} (not shown). A value in the app would end up in the template; store it in Secrets Manager and pass the secret`);
  }
  refuseValueInTemplate(scope, prop, secret as secretsmanager.ISecret);
}

/**
 * A secret made in this app with `secretStringValue` or `secretObjectValue` carries its value in
 * the template, unless the value is a dynamic reference (`{{resolve:...}}`). That defeats reading
 * it at run time, so it is refused where it can be known: the secret's own CfnSecret.
 */
function refuseValueInTemplate(scope: IConstruct, prop: string, secret: secretsmanager.ISecret): void {
  const cfn = secret.node.defaultChild;
  if (!(cfn instanceof secretsmanager.CfnSecret) || cfn.secretString === undefined) { return; }
  // A dynamic reference ({{resolve:secretsmanager:...}} or ssm-secure) is resolved by
  // CloudFormation at deploy time and never stored in the template.
  if (!JSON.stringify(Stack.of(cfn).resolve(cfn.secretString)).includes('{{resolve:')) {
    fail(scope, `'${prop}' is a secret created in this app with its value given (secretStringValue or secretObjectValue), so the value is in the template. Received: secret ${secret.node.path} (value not shown). Allowed: a secret whose value is set outside the app (e.g. Secret.fromSecretNameV2) or given as a dynamic reference`);
  }
}

