import { Annotations, IAspect, Stack, Token, aws_s3 as s3 } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

const SSE_KMS = 'aws:kms';
const DSSE_KMS = 'aws:kms:dsse';

/**
 * Turns on `BucketKeyEnabled` for every SSE-KMS bucket it visits, `s3.Bucket` and `CfnBucket`
 * alike, so S3 asks KMS for a bucket-level key instead of one data key per object.
 *
 * Opt in for a whole app: `Aspects.of(app).add(new BucketKeyAspect(), { priority: AspectPriority.MUTATING })`.
 * Each changed bucket gets an info annotation, and `changedBuckets` lists them.
 *
 * Left alone, with an info annotation: DSSE-KMS buckets (`aws:kms:dsse`), for which S3 does not
 * support bucket keys. Buckets whose encryption cannot be read at synth (tokens) get a warning.
 * SSE-S3 and unencrypted buckets are not touched.
 *
 * Note: with a bucket key, KMS sees the bucket ARN as encryption context instead of the object
 * ARN. Key policies or IAM policies that condition on object ARNs in
 * `kms:EncryptionContext:aws:s3:arn` must be changed to the bucket ARN.
 */
export class BucketKeyAspect implements IAspect {
  private readonly changed: string[] = [];

  /** Construct paths of the `CfnBucket`s this aspect turned bucket keys on for. */
  public get changedBuckets(): string[] {
    return [...this.changed];
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof s3.CfnBucket) || node.bucketEncryption === undefined) { return; }
    const rules = readRules(node);
    if (!rules) {
      Annotations.of(node).addWarningV2('cdk-kms-patterns:BucketKeyAspect.unreadable',
        'BucketKeyAspect could not read this bucket\'s encryption at synth time (it is a token); BucketKeyEnabled left as is');
      return;
    }
    const turnedOn = rules.filter((rule) => rule.algorithm === SSE_KMS && rule.bucketKeyEnabled !== true);
    turnedOn.forEach((rule) => node.addPropertyOverride(`BucketEncryption.ServerSideEncryptionConfiguration.${rule.index}.BucketKeyEnabled`, true));
    if (turnedOn.length > 0 && !this.changed.includes(node.node.path)) {
      this.changed.push(node.node.path);
      Annotations.of(node).addInfo('BucketKeyAspect turned on BucketKeyEnabled for SSE-KMS: KMS now sees the bucket ARN, not the object ARN, as encryption context');
    }
    if (rules.some((rule) => rule.algorithm === DSSE_KMS)) {
      Annotations.of(node).addInfo('BucketKeyAspect left this DSSE-KMS (aws:kms:dsse) bucket as is: S3 Bucket Keys are not supported for DSSE-KMS');
    }
  }
}

interface EncryptionRule {
  readonly index: number;
  readonly algorithm?: string;
  readonly bucketKeyEnabled?: unknown;
}

/** The bucket's encryption rules, or undefined when a token hides them. */
function readRules(bucket: s3.CfnBucket): EncryptionRule[] | undefined {
  const encryption = Stack.of(bucket).resolve(bucket.bucketEncryption);
  const configuration = encryption?.serverSideEncryptionConfiguration;
  if (!Array.isArray(configuration)) { return undefined; }
  const rules = configuration.map((rule: any, index: number) => ({
    index,
    algorithm: rule?.serverSideEncryptionByDefault?.sseAlgorithm,
    bucketKeyEnabled: rule?.bucketKeyEnabled,
  }));
  const unreadable = rules.some((rule: EncryptionRule) => rule.algorithm !== undefined && (typeof rule.algorithm !== 'string' || Token.isUnresolved(rule.algorithm)));
  return unreadable ? undefined : rules;
}
