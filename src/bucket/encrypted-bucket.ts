import { Names, PhysicalName, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { CustomerManagedKey } from '../key/customer-managed-key';
import { ManagedKeyBase } from '../key/managed-key-base';
import { BucketAccess, READ_ACCESS, WRITE_ACCESS } from './private/access-actions';
import { createAccessLogsBucket } from './private/access-logs-bucket';
import { encryptionDenyStatements } from './private/encryption-policy';
import { requireBucketKey } from './private/key-checks';
import { NamedBucket } from './private/named-bucket';
import { grantIdentityHalf } from '../shared/identity-half';

/** Properties of an {@link EncryptedBucket}. */
export interface EncryptedBucketProps {
  /**
   * The key that encrypts the bucket's objects. It must be a symmetric encryption key in the
   * bucket's Region. For a key of this library (in the bucket's account), grants of this bucket
   * add statements to its key policy. For any other key (imported by ARN, possibly of another
   * account, or an aws-cdk-lib `kms.Key`) they write the identity half only (kms:ViaService S3
   * and this bucket's ARN as encryption context) and warn with the key-policy statement the
   * key's owner must add.
   *
   * @default - a new `CustomerManagedKey` with this library's defaults (symmetric, rotation
   * every 365 days, 30-day pending window, RETAIN), exposed as `encryptionKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The bucket's name.
   *
   * @default - none while nothing needs one: CloudFormation names the bucket. A grant (its KMS
   * statement conditions on the bucket ARN, which must be known at synth: a reference to the
   * bucket from the key policy would make bucket and key depend on each other) or a reference
   * from another account or Region fixes it to `<construct path>-<hash>-<account>-<region>`, at
   * most 63 characters.
   */
  readonly bucketName?: string;

  /**
   * Whether S3 keeps every version of every object.
   *
   * @default true
   */
  readonly versioned?: boolean;

  /**
   * What happens to the bucket when it leaves the stack. S3 refuses to delete a bucket that
   * still holds objects, so DESTROY needs an empty bucket.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Where S3 delivers the bucket's server access logs (AwsSolutions-S1). If you pass a bucket,
   * make sure it accepts deliveries from `logging.s3.amazonaws.com` and uses SSE-S3.
   *
   * @default - a new bucket, SSE-S3, TLS only, public access blocked, RETAIN, with deliveries
   * allowed by its bucket policy
   */
  readonly serverAccessLogsBucket?: s3.IBucket;

  /**
   * The prefix of the access log objects in `serverAccessLogsBucket`.
   *
   * @default - no prefix
   */
  readonly serverAccessLogsPrefix?: string;
}

/**
 * An S3 bucket encrypted with SSE-KMS under a customer managed key, with an S3 Bucket Key, that
 * grants both halves of access (S3 and KMS) in one call.
 *
 * Defaults: `BucketKeyEnabled: true` (KMS requests cut by up to 99 percent), TLS only, public
 * access blocked, ACLs disabled, versioning on, RETAIN, server access logs to a log bucket. The
 * bucket policy denies uploads that name another encryption type, another KMS key, the AWS
 * managed key or a customer-provided key; uploads without encryption headers get the default.
 *
 * With a bucket key, S3 calls KMS with the BUCKET ARN as encryption context
 * (`kms:EncryptionContext:aws:s3:arn`), not the object ARN. The grants condition on exactly that.
 */
export class EncryptedBucket extends Construct {
  /** The bucket. Prefer this construct's grant methods over the bucket's own. */
  public readonly bucket: s3.Bucket;
  private readonly namedBucket: NamedBucket;
  /** The key that encrypts the objects. */
  public readonly encryptionKey: kms.IKey;
  /** Where S3 delivers the server access logs. */
  public readonly serverAccessLogsBucket: s3.IBucket;
  /** The name of the bucket. */
  public readonly bucketName: string;
  /** The ARN of the bucket. */
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps = {}) {
    super(scope, id);
    // Our log bucket takes deliveries through its bucket policy rather than an ACL, whatever
    // the app's flag; context set here applies to this subtree only.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.encryptionKey = props.encryptionKey ?? new CustomerManagedKey(this, 'Key', {
      description: `Encrypts the objects of the S3 bucket ${this.node.path}`,
      createRoles: false,
    });
    requireBucketKey(this, this.encryptionKey);
    this.serverAccessLogsBucket = props.serverAccessLogsBucket ?? createAccessLogsBucket(this, 'AccessLogs');

    this.namedBucket = new NamedBucket(this, 'Resource', {
      bucketName: props.bucketName ?? PhysicalName.GENERATE_IF_NEEDED,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: props.versioned ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsPrefix,
    });
    this.bucket = this.namedBucket;
    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.bucketArn;
    for (const statement of encryptionDenyStatements(this.bucket.arnForObjects('*'), this.encryptionKey.keyArn)) {
      this.bucket.addToResourcePolicy(statement);
    }
  }

  /**
   * Grants reading objects: s3:GetObject, s3:GetObjectVersion, s3:ListBucket,
   * s3:GetBucketLocation, and kms:Decrypt through S3 for this bucket only.
   *
   * @param grantee who reads
   * @param objectsKeyPattern which objects, e.g. `reports/*`
   */
  public grantRead(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantAccess(grantee, READ_ACCESS, objectsKeyPattern);
  }

  /**
   * Grants writing objects, multipart uploads included: s3:PutObject,
   * s3:AbortMultipartUpload, s3:ListMultipartUploadParts, s3:ListBucketMultipartUploads, and
   * kms:GenerateDataKey and kms:Decrypt through S3 for this bucket only. No deletion.
   *
   * @param grantee who writes
   * @param objectsKeyPattern which objects, e.g. `incoming/*`
   */
  public grantWrite(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantAccess(grantee, WRITE_ACCESS, objectsKeyPattern);
  }

  /**
   * Grants both `grantRead` and `grantWrite`.
   *
   * @param grantee who reads and writes
   * @param objectsKeyPattern which objects
   */
  public grantReadWrite(grantee: iam.IGrantable, objectsKeyPattern: string = '*'): iam.Grant {
    return this.grantRead(grantee, objectsKeyPattern).combine(this.grantWrite(grantee, objectsKeyPattern));
  }

  /** The ARN of the objects that match `keyPattern`, e.g. `home/*`. */
  public arnForObjects(keyPattern: string): string {
    return this.bucket.arnForObjects(keyPattern);
  }

  /** The `https://` URL of an object, or of the bucket without a key. */
  public urlForObject(key?: string): string {
    return this.bucket.urlForObject(key);
  }

  /** The `s3://` URL of an object, or of the bucket without a key. */
  public s3UrlForObject(key?: string): string {
    return this.bucket.s3UrlForObject(key);
  }

  /** Adds a statement to the bucket policy. */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    return this.bucket.addToResourcePolicy(statement);
  }

  /**
   * S3 on the principal (or on the bucket policy for another account) and KMS in the key policy
   * under one Sid per bucket and access level, conditioned on S3 in this Region and this bucket.
   */
  private grantAccess(grantee: iam.IGrantable, access: BucketAccess, objectsKeyPattern: string): iam.Grant {
    const onBucket = iam.Grant.addToPrincipalOrResource({
      grantee, actions: [...access.bucketActions], resourceArns: [this.bucket.bucketArn], resource: this.bucket,
    });
    const onObjects = iam.Grant.addToPrincipalOrResource({
      grantee, actions: [...access.objectActions], resourceArns: [this.bucket.arnForObjects(objectsKeyPattern)], resource: this.bucket,
    });
    const sid = `${access.purpose}${Names.uniqueId(this)}`;
    const conditions = {
      StringEquals: {
        'kms:ViaService': `s3.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
        'kms:EncryptionContext:aws:s3:arn': this.namedBucket.arnKnownAtSynth(),
      },
    };
    const key = this.encryptionKey;
    // A key of this library takes the statement in its key policy; any other key's policy is its
    // owner's, so the grantee gets the identity half and the owner a warning with the other half.
    const onKey = key instanceof ManagedKeyBase
      ? key._grantUnderConditions(grantee, sid, access.keyActions, conditions)
      : grantIdentityHalf(this, { grantee, sid, actions: access.keyActions, resourceArns: [key.keyArn], conditions, keyLabel: `key ${key.node.path}` });
    return onBucket.combine(onObjects).combine(onKey);
  }
}
