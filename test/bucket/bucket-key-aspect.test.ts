import { App, AspectPriority, Aspects, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from './support';
import { BucketKeyAspect, CustomerManagedKey } from '../../src';

function rules(template: Template, logicalIdPrefix: string): any[] {
  const [bucket] = Object.entries(template.findResources('AWS::S3::Bucket')).filter(([id]) => id.startsWith(logicalIdPrefix)).map(([, r]) => r);
  return (bucket as any).Properties?.BucketEncryption?.ServerSideEncryptionConfiguration;
}

describe('BucketKeyAspect on an app with three buckets', () => {
  const app = new App();
  const stack = new Stack(app, 'Legacy', { env: ENV });
  const key = new CustomerManagedKey(stack, 'Key');
  new s3.Bucket(stack, 'KmsNoBucketKey', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  new s3.Bucket(stack, 'SseS3', { encryption: s3.BucketEncryption.S3_MANAGED });
  new s3.Bucket(stack, 'AlreadyKeyed', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true });
  const aspect = new BucketKeyAspect();
  Aspects.of(app).add(aspect, { priority: AspectPriority.MUTATING });
  const template = Template.fromStack(stack);

  test('turns on the bucket key of the SSE-KMS bucket and keeps its key', () => {
    expect(rules(template, 'KmsNoBucketKey')).toEqual([{
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } },
    }]);
  });

  test('leaves the SSE-S3 bucket alone', () => {
    expect(rules(template, 'SseS3')).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
  });

  test('leaves the bucket that already has a bucket key alone', () => {
    expect(rules(template, 'AlreadyKeyed')).toEqual([expect.objectContaining({ BucketKeyEnabled: true })]);
  });

  test('lists exactly what it changed', () => {
    expect(aspect.changedBuckets).toEqual(['Legacy/KmsNoBucketKey/Resource']);
  });

  test('reports the change as an info annotation on that bucket only', () => {
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('BucketKeyAspect turned on BucketKeyEnabled'));
    expect(infos.map((info) => info.id)).toEqual(['/Legacy/KmsNoBucketKey/Resource']);
  });
});

describe('BucketKeyAspect edge cases', () => {
  function visit(configure: (stack: Stack) => void): { aspect: BucketKeyAspect; stack: Stack; template: Template } {
    const app = new App();
    const stack = new Stack(app, 'Legacy', { env: ENV });
    configure(stack);
    const aspect = new BucketKeyAspect();
    Aspects.of(app).add(aspect, { priority: AspectPriority.MUTATING });
    return { aspect, stack, template: Template.fromStack(stack) };
  }

  test('an L1 CfnBucket with SSE-KMS and the AWS managed key', () => {
    const { aspect, template } = visit((stack) => new s3.CfnBucket(stack, 'Raw', {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] },
    }));
    expect(rules(template, 'Raw')).toEqual([{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }]);
    expect(aspect.changedBuckets).toEqual(['Legacy/Raw']);
  });

  test('DSSE-KMS is left as is, with an info saying why', () => {
    const { aspect, stack, template } = visit((scope) => new s3.Bucket(scope, 'Dsse', { encryption: s3.BucketEncryption.DSSE_MANAGED }));
    expect(rules(template, 'Dsse')).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse' } }]);
    expect(aspect.changedBuckets).toEqual([]);
    expect(Annotations.fromStack(stack).findInfo('/Legacy/Dsse/Resource', Match.stringLikeRegexp('not supported for DSSE-KMS'))).toHaveLength(1);
  });

  test('an encryption hidden behind a token gets a warning and no change', () => {
    const { aspect, stack } = visit((scope) => new s3.CfnBucket(scope, 'Opaque', {
      bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: new s3.CfnBucket(scope, 'Other').ref } }] },
    }));
    expect(aspect.changedBuckets).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('/Legacy/Opaque', Match.stringLikeRegexp('could not read'))).toHaveLength(1);
  });

  test('unencrypted L1 buckets are not touched', () => {
    const { aspect, template } = visit((stack) => new s3.CfnBucket(stack, 'Plain'));
    expect(rules(template, 'Plain')).toBeUndefined();
    expect(aspect.changedBuckets).toEqual([]);
  });
});
