/**
 * One request of an access matrix: who asks, for what, on which key or bucket, and how AWS must answer.
 *
 * This file is part of the checker function's code (it runs in Lambda), so it imports nothing.
 * The matrices (integ/support/matrices/) are data of these types; the checker runs them on AWS
 * and the local suite judges them with iam-simulate on the policies deployed to the emulator.
 */

/** How a request must end on AWS. */
export type Outcome =
  /** The request succeeds (and a decrypted plaintext is the one encrypted). */
  | 'allowed'
  /** KMS refuses it (AccessDeniedException), or S3 does (AccessDenied). */
  | 'AccessDenied'
  /** Authorized, but KMS rejects the ciphertext (a wrong encryption context). */
  | 'InvalidCiphertext';

/** The KMS operations a case can make. Administrative ones are undone if they get through. */
export type KmsOperation =
  | 'kms:Encrypt' | 'kms:Decrypt' | 'kms:GenerateDataKey' | 'kms:DescribeKey'
  | 'kms:ScheduleKeyDeletion' | 'kms:DisableKey' | 'kms:PutKeyPolicy' | 'kms:CreateGrant';

/**
 * The S3 object operations a case can make, through a bucket, as its principal. A GetObject
 * case gets an object the matrix's `encryptor` puts first (with the bucket's default encryption);
 * every object a case leaves is deleted by the encryptor.
 */
export type ObjectOperation = 's3:PutObject' | 's3:GetObject';

/** How a PutObject case asks S3 to encrypt the object. */
export interface ObjectEncryption {
  /** `aws:kms` (SSE-KMS) or `AES256` (SSE-S3). */
  readonly algorithm: 'aws:kms' | 'AES256';
  /** SSE-KMS only: the key the request names, by the app's name for it. @default no key id header */
  readonly key?: string;
}

/** How the ciphertext a Decrypt case decrypts was made (by the matrix's `encryptor`). */
export interface CiphertextSource {
  /** Encrypt, or GenerateDataKey (the case then also checks the data key comes back). */
  readonly by: 'kms:Encrypt' | 'kms:GenerateDataKey';
  /** The key it was made under. @default the case's key */
  readonly key?: string;
  /** The encryption context it was made with. @default the case's encryption context */
  readonly encryptionContext?: Record<string, string>;
}

export interface AccessCase {
  /** What the case shows; the check report and the local tests name it so. */
  readonly title: string;
  /** Who asks: a principal the app names (e.g. 'user', 'admin'); its role is assumed. */
  readonly as: string;
  readonly action: KmsOperation | ObjectOperation;
  /** The key the request names, by the app's name for it. @default 'key' */
  readonly key?: string;
  /** Object operations only: the bucket, by the app's name for it. @default 'bucket' */
  readonly bucket?: string;
  /** PutObject only: the encryption the request asks for. @default no encryption headers (the bucket's default) */
  readonly objectEncryption?: ObjectEncryption;
  /** @default none */
  readonly encryptionContext?: Record<string, string>;
  /** Decrypt only: how the ciphertext was made. */
  readonly ciphertext?: CiphertextSource;
  /**
   * The AWS service the request comes through (`kms:ViaService`), e.g. `s3.eu-west-1.amazonaws.com`.
   * Only that service can make such a request, so the checker skips the case on AWS, saying why.
   * @default a direct call
   */
  readonly viaService?: string;
  /**
   * CreateGrant only: `kms:GrantIsForAWSResource`. Only an AWS service integrated with KMS sets
   * it true, so the checker skips a `true` case on AWS, saying why; a direct call has false.
   * @default false
   */
  readonly grantIsForAwsResource?: boolean;
  /**
   * Allowed on AWS by a KMS grant, not by a policy. iam-simulate does not see grants, so the
   * local judgement requires the policies alone to refuse it: the grant is the only way in.
   * @default false
   */
  readonly throughGrant?: boolean;
  readonly expected: Outcome;
}

export interface AccessMatrix {
  /** The principal that makes the ciphertext of Decrypt cases (a key user). */
  readonly encryptor: string;
  /** The principal that undoes an administrative action a case got through by mistake (the key administrator). */
  readonly restorer: string;
  readonly cases: AccessCase[];
}

/** Where a matrix runs: role ARNs by principal name, keys by name. */
export interface AccessTargets {
  readonly roles: Record<string, string>;
  /** Each key's ARN (a key id works too) and Region. */
  readonly keys: Record<string, { readonly arn: string; readonly region: string }>;
  /** Each bucket's name and Region, for object operations. @default none */
  readonly buckets?: Record<string, { readonly name: string; readonly region: string }>;
}

/** Whether `check` is an S3 object operation (else a KMS one). */
export function isObjectCase(check: AccessCase): boolean {
  return check.action === 's3:PutObject' || check.action === 's3:GetObject';
}

/** What the checker function reports: case titles by result; a failed title says what happened instead. */
export interface CheckReport {
  readonly passed: string[];
  readonly failed: string[];
  readonly skipped: string[];
}

/** Why the checker cannot make the request of `check` itself, or undefined when it can. */
export function onlyAServiceCan(check: AccessCase): string | undefined {
  if (check.viaService) { return `${check.title} (skipped: only ${check.viaService} can call KMS through itself)`; }
  if (check.grantIsForAwsResource) { return `${check.title} (skipped: only an AWS service sets kms:GrantIsForAWSResource)`; }
  return undefined;
}

/** The report of a matrix whose every case ended as expected. */
export function expectedReport(matrix: AccessMatrix): CheckReport {
  const skipped = matrix.cases.map(onlyAServiceCan).filter((why): why is string => why !== undefined);
  return { passed: matrix.cases.filter((c) => !onlyAServiceCan(c)).map((c) => c.title), failed: [], skipped };
}
