/**
 * The checker's S3 cases: PutObject and GetObject through a bucket, as the case's role, with the
 * encryption headers the case asks for. S3 calls KMS with the caller's credentials, so a get is
 * refused when the caller's key policy half is missing, and a put is refused by the bucket policy
 * when it asks for another key or another kind of encryption.
 *
 * Part of the checker function's code: imports only its own folder and the AWS SDK.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, PutObjectCommandInput } from '@aws-sdk/client-s3';
import { AccessCase, AccessMatrix } from './access-case';
import { outcomeOf, undoIfAllowed } from './outcomes';
import { Sessions } from './sessions';

const BODY = 'cdk-kms-patterns access check object';

/** What happened to an object case: 'allowed', an Outcome, or what happened instead. */
export async function runObjectCase(session: Sessions, matrix: AccessMatrix, check: AccessCase, index: number): Promise<string> {
  const bucket = check.bucket ?? 'bucket';
  const Bucket = session.bucketName(bucket);
  const Key = `access-check/${index}`;
  const s3 = await session.s3(check.as, bucket);
  const owner = await session.s3(matrix.encryptor, bucket);
  // An object that cannot be removed fails the case with the reason, rather than the whole report.
  let leftBehind = '';
  const remove = async () => {
    try {
      await owner.send(new DeleteObjectCommand({ Bucket, Key }));
    } catch (err: any) {
      leftBehind = `, and ${Key} was left behind: ${matrix.encryptor}'s DeleteObject failed with ${err.name}`;
    }
  };
  if (check.action === 's3:PutObject') {
    const put = s3.send(new PutObjectCommand({ Bucket, Key, Body: BODY, ...encryptionHeaders(session, check) }));
    // A put that got through leaves an object, wanted or not: the encryptor removes it.
    return `${await undoIfAllowed(await outcomeOf(put), remove)}${leftBehind}`;
  }
  try {
    await owner.send(new PutObjectCommand({ Bucket, Key, Body: BODY }));
  } catch (err: any) {
    return `no object to get: ${matrix.encryptor}'s PutObject failed with ${err.name}`;
  }
  const outcome = await outcomeOf(s3.send(new GetObjectCommand({ Bucket, Key })), async (got) =>
    (await got.Body!.transformToString() === BODY ? 'allowed' : 'allowed, with another body'));
  await remove();
  return `${outcome}${leftBehind}`;
}

function encryptionHeaders(session: Sessions, check: AccessCase): Partial<PutObjectCommandInput> {
  const asked = check.objectEncryption;
  if (!asked) { return {}; }
  return {
    ServerSideEncryption: asked.algorithm,
    ...(asked.key ? { SSEKMSKeyId: session.keyArn(asked.key) } : {}),
  };
}
