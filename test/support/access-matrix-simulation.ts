/**
 * Judges the cases of an access matrix (integ/support/matrices/) with @cloud-copilot/iam-simulate
 * (AGPL-3.0: test-only) on a key policy and a role's identity policies: the same requests the
 * checker function makes on AWS, with the request context each needs.
 */
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { AccessCase, isObjectCase } from '../../integ/support/access-checker/access-case';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** A key and a principal, as the policies that decide a request stand. */
export interface JudgedParties {
  readonly key: { readonly arn: string; readonly policy: any };
  readonly role: { readonly arn: string; readonly policies: any[] };
}

export interface Judgement {
  /** The decision: the checked engine's, or the unchecked engine's when the checked one ignored context keys. */
  readonly decision: Decision;
  /** Context keys iam-simulate's checked mode dropped as not applicable (it does not know `kms:EncryptionContext:<key>`). */
  readonly ignoredContextKeys: string[];
  /** What the checked engine said without them. */
  readonly checkedDecision: Decision;
}

/**
 * How iam-simulate must decide a case: a refusal on AWS is a denial, and so is a case a grant
 * allows (the policies alone must refuse it); anything else needs Allowed.
 */
export function allowedByPolicy(check: AccessCase): boolean {
  return check.expected !== 'AccessDenied' && !check.throughGrant;
}

/** The request context of a case as KMS would give it. */
export function requestContextOf(check: AccessCase, principalArn: string): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {
    'aws:PrincipalArn': principalArn,
    'kms:CallerAccount': principalArn.split(':')[4],
  };
  const encryptionContext = check.encryptionContext ?? {};
  if (Object.keys(encryptionContext).length > 0) {
    context['kms:EncryptionContextKeys'] = Object.keys(encryptionContext);
    Object.entries(encryptionContext).forEach(([key, value]) => { context[`kms:EncryptionContext:${key}`] = value; });
  }
  if (check.viaService) { context['kms:ViaService'] = check.viaService; }
  if (check.action === 'kms:CreateGrant') { context['kms:GrantIsForAWSResource'] = String(check.grantIsForAwsResource ?? false); }
  return context;
}

/**
 * iam-simulate's decision on `check` between `parties`. Its checked mode (`runSimulation`)
 * validates the request and drops context keys it does not know for the action, among them
 * `kms:EncryptionContext:<key>`; when it drops any, `runUnsafeSimulation` (the same engine,
 * unvalidated) decides with the full context, and the judgement says which keys were dropped.
 */
export async function judge(check: AccessCase, parties: JudgedParties): Promise<Judgement> {
  const simulation = {
    request: {
      principal: parties.role.arn,
      action: check.action,
      resource: { resource: parties.key.arn, accountId: parties.key.arn.split(':')[4] },
      contextVariables: requestContextOf(check, parties.role.arn),
    },
    identityPolicies: parties.role.policies.map((policy, index) => ({ name: `identity${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: parties.key.policy,
  };
  const checked = await runSimulation(simulation, {});
  if (checked.resultType === 'error') { throw new Error(`iam-simulate rejected the request of '${check.title}': ${JSON.stringify(checked.errors)}`); }
  const ignoredContextKeys = checked.resultType === 'single' ? checked.result.ignoredContextKeys ?? [] : [];
  if (ignoredContextKeys.length === 0) {
    return { decision: checked.overallResult, ignoredContextKeys, checkedDecision: checked.overallResult };
  }
  // runUnsafeSimulation loads the resource policy without a name and then fails reading it;
  // a pre-validated policy carries one (the shape @cloud-copilot/iam-policy's loadPolicy accepts).
  const namedKeyPolicy = { __validated: true, policyDocument: parties.key.policy, metadata: { name: 'key policy' }, errors: [] };
  const decision = runUnsafeSimulation({ ...simulation, resourcePolicy: namedKeyPolicy as any }, {});
  return { decision, ignoredContextKeys, checkedDecision: checked.overallResult };
}

/** A bucket, a principal, and the bucket's key, as the policies that decide an object request stand. */
export interface ObjectParties {
  readonly bucket: { readonly arn: string; readonly region: string; readonly policy: any };
  readonly role: { readonly arn: string; readonly policies: any[] };
  /** The bucket's default key: the one S3 calls for a get, or for a put that names it or no key. */
  readonly key: { readonly arn: string; readonly policy: any };
}

/**
 * iam-simulate's decision on an object case (S3 PutObject or GetObject): first S3's own
 * authorization (identity policies and bucket policy, with the encryption headers as condition
 * keys), then, if that allows it, the KMS request S3 makes with the caller's credentials on the
 * bucket's key (GenerateDataKey for a put, Decrypt for a get; through S3, the bucket ARN as
 * encryption context). A put with SSE-S3 or naming another key makes no request to this key:
 * S3's decision alone stands for it.
 */
export async function judgeObjectCase(check: AccessCase, parties: ObjectParties): Promise<Judgement> {
  if (!isObjectCase(check)) { throw new Error(`'${check.title}' is not an object case`); }
  const encryption = check.objectEncryption;
  const contextVariables: Record<string, string> = { 'aws:PrincipalArn': parties.role.arn, 'aws:SecureTransport': 'true' };
  if (encryption) { contextVariables['s3:x-amz-server-side-encryption'] = encryption.algorithm; }
  // Another key stands as an ARN of the bucket key's account and Region that no key has.
  const namesBucketKey = encryption?.key === (check.key ?? 'key');
  if (encryption?.key !== undefined) {
    contextVariables['s3:x-amz-server-side-encryption-aws-kms-key-id'] = namesBucketKey ? parties.key.arn : parties.key.arn.replace(/key\/.*$/, `key/${encryption.key}`);
  }
  const s3 = await runSimulation({
    request: {
      principal: parties.role.arn,
      action: check.action,
      resource: { resource: `${parties.bucket.arn}/access-check/0`, accountId: parties.role.arn.split(':')[4] },
      contextVariables,
    },
    identityPolicies: parties.role.policies.map((policy, index) => ({ name: `identity${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: parties.bucket.policy,
  }, {});
  if (s3.resultType === 'error') { throw new Error(`iam-simulate rejected the S3 request of '${check.title}': ${JSON.stringify(s3.errors)}`); }
  // Nothing is judged without its headers: the encryption condition keys must all be known to S3's actions.
  const ignored = s3.resultType === 'single' ? s3.result.ignoredContextKeys ?? [] : [];
  if (ignored.length > 0) { throw new Error(`iam-simulate ignored ${ignored.join(', ')} in the S3 request of '${check.title}'`); }
  // SSE-KMS without a key id means the AWS managed key aws/s3, not the bucket's.
  const usesBucketKey = check.action === 's3:GetObject' || encryption === undefined || (encryption.algorithm === 'aws:kms' && namesBucketKey);
  if (s3.overallResult !== 'Allowed' || !usesBucketKey) {
    return { decision: s3.overallResult, ignoredContextKeys: [], checkedDecision: s3.overallResult };
  }
  const kmsRequest: AccessCase = {
    title: `${check.title} (S3's request to KMS)`,
    as: check.as,
    action: check.action === 's3:PutObject' ? 'kms:GenerateDataKey' : 'kms:Decrypt',
    viaService: `s3.${parties.bucket.region}.amazonaws.com`,
    encryptionContext: { 'aws:s3:arn': parties.bucket.arn },
    expected: check.expected,
  };
  return judge(kmsRequest, { key: parties.key, role: parties.role });
}
