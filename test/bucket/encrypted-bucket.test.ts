import { App, CfnElement, CfnOutput, RemovalPolicy, Stack, Validations, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV, bucketPolicyStatements, bySid, keyStatements, newStack } from './support';
import { CustomerManagedKey, EncryptedBucket } from '../../src';
import { ENCRYPTION_POLICY_SIDS } from '../../src/bucket/private/encryption-policy';

function logicalId(bucket: EncryptedBucket): string {
  return Stack.of(bucket).getLogicalId(bucket.bucket.node.defaultChild as CfnElement);
}

const KEY_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersKey'), 'Arn'] };

describe('EncryptedBucket defaults', () => {
  const stack = newStack();
  const orders = new EncryptedBucket(stack, 'Orders');
  const template = Template.fromStack(stack);
  const id = logicalId(orders);

  test('encrypts with SSE-KMS under the key ARN with a bucket key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
        }],
      },
    });
  });

  test('creates a retained symmetric CustomerManagedKey with rotation', () => {
    expect(orders.encryptionKey).toBeInstanceOf(CustomerManagedKey);
    template.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'SYMMETRIC_DEFAULT', EnableKeyRotation: true, Description: 'Encrypts the objects of the S3 bucket Stack/Orders' },
      DeletionPolicy: 'Retain',
    });
  });

  test('is versioned, retained, private, ACL-free and logs access to a retained SSE-S3 log bucket', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^OrdersAccessLogs') } },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        AccessControl: Match.absent(),
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the log bucket takes deliveries from S3 logging for this bucket only, by bucket policy', () => {
    const logBucketId = Stack.of(orders).getLogicalId((orders.serverAccessLogsBucket as s3.Bucket).node.defaultChild as CfnElement);
    expect(bucketPolicyStatements(template, logBucketId)).toContainEqual(expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [id, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
    }));
  });

  describe('bucket policy', () => {
    const statements = bucketPolicyStatements(template, id);
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] };
    const denyPut = { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Resource: objects };

    test('denies every request without TLS', () => {
      expect(statements).toContainEqual(expect.objectContaining({
        Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
    });

    const SSE = 's3:x-amz-server-side-encryption';
    const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
    test.each([
      ['another encryption type, only when the header is sent', 'DenyOtherEncryptionTypes',
        { Null: { [SSE]: 'false' }, StringNotEquals: { [SSE]: 'aws:kms' } }],
      ['another KMS key, only when the header is sent', 'DenyOtherKmsKeys',
        { Null: { [KEY_ID]: 'false' }, StringNotEquals: { [KEY_ID]: { 'Fn::GetAtt': [expect.stringMatching(/^OrdersKey/), 'Arn'] } } }],
      ['aws:kms without a key id, which S3 would encrypt under aws/s3', 'DenyKmsWithoutKeyId',
        { StringEquals: { [SSE]: 'aws:kms' }, Null: { [KEY_ID]: 'true' } }],
      ['customer-provided keys (SSE-C)', 'DenyCustomerProvidedKeys',
        { Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' } }],
    ])('denies uploads that name %s', (_what, sid, condition) => {
      expect(bySid(statements, sid)).toEqual({ ...denyPut, Sid: sid, Condition: condition });
    });

    test('has exactly the TLS statement and the four encryption statements', () => {
      expect(statements.map((s) => s.Sid)).toEqual([undefined, ...Object.values(ENCRYPTION_POLICY_SIDS)]);
    });
  });

  test('its default key creates no roles and adds no grant statement until something is granted', () => {
    expect(keyStatements(template).map((s) => s.Sid)).toEqual(['AccountAdministration']);
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  test('passes AwsSolutionsChecks with zero findings', () => {
    expect(new AwsSolutionsChecks().validateScope(stack.node.root)).toEqual({ success: true, violations: [] });
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('grants pair S3 with KMS pinned to S3 and the bucket ARN', () => {
  function granted(grant: (bucket: EncryptedBucket, role: iam.Role) => void) {
    const stack = newStack();
    const orders = new EncryptedBucket(stack, 'Orders');
    const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    grant(orders, role);
    return { stack, orders, role, template: Template.fromStack(stack) };
  }

  // The stack's URL suffix, not amazonaws.com: in aws-cn it is amazonaws.com.cn.
  const viaS3 = { 'Fn::Join': ['', ['s3.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] };
  const pinnedToBucket = {
    StringEquals: {
      'kms:ViaService': viaS3,
      // The BUCKET ARN: with a bucket key S3 uses it as encryption context, not the object ARN.
      'kms:EncryptionContext:aws:s3:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::stack-orders-ac8a4feb-111111111111-eu-west-1']] },
    },
  };
  const workload = { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^Workload/), 'Arn'] } };

  function identityStatements(template: Template): any[] {
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
    return (policy as any).Properties.PolicyDocument.Statement;
  }

  test('grantRead: GetObject on objects, ListBucket on the bucket, kms:Decrypt in the key policy', () => {
    const { orders, template } = granted((bucket, role) => bucket.grantRead(role));
    const id = logicalId(orders);
    expect(identityStatements(template)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket'], Resource: { 'Fn::GetAtt': [id, 'Arn'] } },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] } },
    ]);
    expect(bySid(keyStatements(template), 'S3ReadStackOrdersEEDB7941')).toEqual({
      Sid: 'S3ReadStackOrdersEEDB7941', Effect: 'Allow', Principal: workload, Action: 'kms:Decrypt', Resource: '*', Condition: pinnedToBucket,
    });
  });

  test('grantWrite: PutObject and multipart on objects, kms:GenerateDataKey and kms:Decrypt (multipart) in the key policy', () => {
    const { template } = granted((bucket, role) => bucket.grantWrite(role, 'incoming/*'));
    expect(identityStatements(template)).toEqual([
      expect.objectContaining({ Action: 's3:ListBucketMultipartUploads' }),
      expect.objectContaining({
        Action: ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/incoming/*']] },
      }),
    ]);
    expect(bySid(keyStatements(template), 'S3WriteStackOrdersEEDB7941')).toEqual({
      Sid: 'S3WriteStackOrdersEEDB7941',
      Effect: 'Allow',
      Principal: workload,
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: pinnedToBucket,
    });
  });

  test('grantReadWrite: both pairs, and no unconditioned KMS statement for the workload', () => {
    const { template } = granted((bucket, role) => bucket.grantReadWrite(role));
    const sids = keyStatements(template).map((s) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(['S3ReadStackOrdersEEDB7941', 'S3WriteStackOrdersEEDB7941']));
    const forWorkload = keyStatements(template).filter((s) => JSON.stringify(s.Principal).includes('Workload'));
    expect(forWorkload.map((s) => s.Condition?.StringEquals?.['kms:ViaService'])).toEqual(forWorkload.map(() => viaS3));
    expect(identityStatements(template).map((s) => s.Action).flat()).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject']));
  });

  test('each bucket gets its own Sid on a shared key', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key');
    const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new EncryptedBucket(stack, 'Orders', { encryptionKey: key }).grantRead(role);
    new EncryptedBucket(stack, 'Invoices', { encryptionKey: key }).grantRead(role);
    const reads = keyStatements(Template.fromStack(stack)).filter((s) => s.Sid.startsWith('S3Read'));
    expect(reads.map((s) => s.Sid)).toEqual(['S3ReadStackOrdersEEDB7941', 'S3ReadStackInvoices01885B2D']);
    expect(reads[0].Condition.StringEquals['kms:EncryptionContext:aws:s3:arn']).not.toEqual(reads[1].Condition.StringEquals['kms:EncryptionContext:aws:s3:arn']);
  });

  test('two grantees of one bucket share the statement', () => {
    const { template } = granted((bucket, role) => {
      bucket.grantRead(role);
      bucket.grantRead(new iam.Role(role.stack, 'Other', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
    });
    expect(bySid(keyStatements(template), 'S3ReadStackOrdersEEDB7941').Principal.AWS).toHaveLength(2);
  });

  test('the grant is the only finding, and it can be acknowledged on the workload role', () => {
    const { stack, orders, role } = granted((bucket, grantee) => bucket.grantRead(grantee));
    const finding = `AwsSolutions-IAM5[Resource::<${logicalId(orders)}.Arn>/*]`;
    expect(new AwsSolutionsChecks().validateScope(stack.node.root).violations.map((v) => v.ruleName)).toEqual([finding]);
    Validations.of(role).acknowledge({ id: finding, reason: 'reads every object of the bucket' });
    expect(new AwsSolutionsChecks().validateScope(stack.node.root).violations).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(granted((bucket, role) => bucket.grantReadWrite(role)).template.toJSON()).toMatchSnapshot();
  });
});

describe('EncryptedBucket options', () => {
  test('a given key, name, log bucket and prefix; versioning off; DESTROY', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'DataKey');
    const logs = new s3.Bucket(stack, 'SharedLogs');
    const orders = new EncryptedBucket(stack, 'Orders', {
      encryptionKey: key,
      bucketName: 'orders-data',
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'orders/',
      versioned: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = Template.fromStack(stack);
    expect(orders.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketName: 'orders-data',
        VersioningConfiguration: Match.absent(),
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^SharedLogs') }, LogFilePrefix: 'orders/' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } } })] },
      },
      DeletionPolicy: 'Delete',
    });
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('without grants or references from another environment, CloudFormation names the bucket', () => {
    const stack = newStack();
    const orders = new EncryptedBucket(stack, 'Orders');
    Template.fromStack(stack).hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({ BucketName: Match.absent() }) });
    expect(stack.resolve(orders.bucketName)).toEqual({ Ref: logicalId(orders) });
  });

  test('a grant fixes the name at synth, so the key policy names the bucket ARN without a reference (no cycle)', () => {
    const stack = newStack();
    const orders = new EncryptedBucket(stack, 'Orders');
    orders.grantRead(new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'stack-orders-ac8a4feb-111111111111-eu-west-1' });
    const read = keyStatements(template).find((statement: any) => /^S3Read/.test(statement.Sid));
    expect(read.Condition.StringEquals['kms:EncryptionContext:aws:s3:arn'])
      .toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::stack-orders-ac8a4feb-111111111111-eu-west-1']] });
  });

  test('a reference from another account fixes the name (PhysicalName.GENERATE_IF_NEEDED)', () => {
    const app = new App();
    const stack = new Stack(app, 'Data', { env: ENV });
    const orders = new EncryptedBucket(stack, 'Orders');
    const other = new Stack(app, 'Reader', { env: { account: '222222222222', region: 'eu-west-1' } });
    new CfnOutput(other, 'Name', { value: orders.bucketName });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { BucketName: 'data-orders-31d23092-111111111111-eu-west-1' });
    expect(Template.fromStack(other).toJSON().Outputs.Name.Value).toBe('data-orders-31d23092-111111111111-eu-west-1');
  });

  test('an environment-agnostic stack names a granted bucket with pseudo parameters', () => {
    const stack = new Stack();
    const orders = new EncryptedBucket(stack, 'Orders');
    orders.grantWrite(new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['default-orders-a928659a-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
    });
  });

  test('forwards the IBucket helpers', () => {
    const stack = newStack();
    const orders = new EncryptedBucket(stack, 'Orders');
    expect(stack.resolve(orders.bucketArn)).toEqual(stack.resolve(orders.bucket.bucketArn));
    expect(stack.resolve(orders.bucketName)).toEqual(stack.resolve(orders.bucket.bucketName));
    expect(stack.resolve(orders.arnForObjects('a/*'))).toEqual(stack.resolve(orders.bucket.arnForObjects('a/*')));
    expect(stack.resolve(orders.s3UrlForObject('k'))).toEqual(stack.resolve(orders.bucket.s3UrlForObject('k')));
    expect(stack.resolve(orders.urlForObject('k'))).toEqual(stack.resolve(orders.bucket.urlForObject('k')));
    expect(orders.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [orders.arnForObjects('*')], principals: [new iam.AccountPrincipal('222222222222')] })).statementAdded).toBe(true);
  });
});
