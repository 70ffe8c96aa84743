import { Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CustomerManagedKey } from '../../src';

/** An app team's stack: one function role that decrypts with the platform's data key. */
export interface AppStackProps {
  readonly env: { readonly account: string; readonly region: string };
  readonly dataKey: CustomerManagedKey;
  /** IAM path of the function role, e.g. `/app/orders/`: a declared consumer rule may match it. */
  readonly rolePath: string;
}

/**
 * A plain `grantDecrypt`: the key picks the side. A role a declared rule covers (its path) gets
 * only the identity statement; any other role of the key's account also gets the library's
 * consumer tag, which the key policy admits. Nothing is written back into the security stack.
 */
export class AppStack extends Stack {
  public readonly functionRole: iam.Role;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, { env: props.env });
    this.functionRole = new iam.Role(this, 'FunctionRole', {
      path: props.rolePath,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Decrypts the application data with the platform data key',
    });
    props.dataKey.grantDecrypt(this.functionRole);
    if (props.env.account !== props.dataKey.stack.account) {
      // CloudFormation cannot pass the key's ARN across accounts.
      Validations.of(this.functionRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${props.dataKey.stack.region}:${props.dataKey.stack.account}:key/*]`,
        reason: "The key's ARN cannot cross accounts, so the identity statement names the security account's keys; the data key's policy admits only this account's roles under the declared path",
      });
    }
  }
}
