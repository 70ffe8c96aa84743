/**
 * Clients for the checker's requests, as the matrix's principals: each role is assumed once, and
 * KMS and S3 clients are made with its credentials in the Region of the key or bucket.
 *
 * Part of the checker function's code: imports only the AWS SDK the Lambda runtime provides.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AccessTargets } from './access-case';

export class Sessions {
  private readonly credentials = new Map<string, Promise<any>>();
  private readonly sts = new STSClient({});

  constructor(private readonly targets: AccessTargets) {}

  keyArn(key: string): string {
    const target = this.targets.keys[key];
    if (!target) { throw new Error(`no key named ${key} in the targets`); }
    return target.arn;
  }

  bucketName(bucket: string): string {
    const target = this.targets.buckets?.[bucket];
    if (!target) { throw new Error(`no bucket named ${bucket} in the targets`); }
    return target.name;
  }

  roleArn(principal: string): string {
    const roleArn = this.targets.roles[principal];
    if (!roleArn) { throw new Error(`no role for principal ${principal} in the targets`); }
    return roleArn;
  }

  async kms(principal: string, key: string): Promise<KMSClient> {
    return new KMSClient({ region: this.targets.keys[key].region, credentials: await this.assumed(principal), maxAttempts: 2 });
  }

  /** Path-style only with an endpoint of its own (the local emulator, addressed by IP). */
  async s3(principal: string, bucket: string): Promise<S3Client> {
    this.bucketName(bucket);
    const forcePathStyle = process.env.AWS_ENDPOINT_URL !== undefined;
    return new S3Client({ region: this.targets.buckets![bucket].region, credentials: await this.assumed(principal), maxAttempts: 2, forcePathStyle });
  }

  private assumed(principal: string): Promise<any> {
    const roleArn = this.roleArn(principal);
    if (!this.credentials.has(roleArn)) {
      this.credentials.set(roleArn, this.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: `access-check-${principal}` }))
        .then(({ Credentials: c }) => ({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! })));
    }
    return this.credentials.get(roleArn)!;
  }
}
