import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

export const ENV = { account: '111111111111', region: 'eu-west-1' };

export function newStack(id = 'Stack', env = ENV): Stack {
  return new Stack(new App(), id, { env });
}

/** The statements of the one KMS key in the template. */
export function keyStatements(template: Template): any[] {
  const [key] = Object.values(template.findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy.Statement;
}

/** The statements of the bucket policy that belongs to the bucket with this logical id prefix. */
export function bucketPolicyStatements(template: Template, bucketLogicalId: string): any[] {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'))
    .filter((policy: any) => policy.Properties.Bucket.Ref === bucketLogicalId);
  if (policies.length !== 1) { throw new Error(`expected one bucket policy for ${bucketLogicalId}, found ${policies.length}`); }
  return (policies[0] as any).Properties.PolicyDocument.Statement;
}

export function bySid(statements: any[], sid: string): any {
  const found = statements.find((statement) => statement.Sid === sid);
  if (!found) { throw new Error(`no statement ${sid} in ${statements.map((s) => s.Sid).join(', ')}`); }
  return found;
}
