/**
 * The access checker: a Lambda handler that runs an access matrix on AWS. For each case it
 * assumes the case's role and makes the request, to KMS or through S3 (object-cases.ts); it
 * reports each title as passed, or as failed with what happened instead. An administrative
 * action that gets through by mistake is undone at once by the matrix's restorer (the key
 * administrator).
 *
 * Imports only its own folder and the AWS SDK the Lambda runtime provides.
 */
import {
  CancelKeyDeletionCommand, CreateGrantCommand, DecryptCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, EncryptCommand,
  GenerateDataKeyCommand, GetKeyPolicyCommand, PutKeyPolicyCommand, RevokeGrantCommand, ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { AccessCase, AccessMatrix, AccessTargets, CheckReport, isObjectCase, onlyAServiceCan } from './access-case';
import { runObjectCase } from './object-cases';
import { outcomeOf, undoIfAllowed } from './outcomes';
import { Sessions } from './sessions';

export interface CheckerEvent {
  readonly matrix: AccessMatrix;
  readonly targets: AccessTargets;
}

/** The report, JSON-encoded, so integ-tests hands it to the assertion and the output as one string. */
export async function handler(event: CheckerEvent): Promise<{ report: string }> {
  const session = new Sessions(event.targets);
  const report: CheckReport = { passed: [], failed: [], skipped: [] };
  for (const [index, check] of event.matrix.cases.entries()) {
    const skipped = onlyAServiceCan(check);
    if (skipped) {
      report.skipped.push(skipped);
      continue;
    }
    const outcome = isObjectCase(check) ? await runObjectCase(session, event.matrix, check, index) : await runCase(session, event.matrix, check);
    if (outcome === check.expected) {
      report.passed.push(check.title);
    } else {
      report.failed.push(`${check.title}: expected ${check.expected}, got ${outcome}`);
    }
  }
  return { report: JSON.stringify(report) };
}

const PLAINTEXT = 'cdk-kms-patterns access check';

async function runCase(session: Sessions, matrix: AccessMatrix, check: AccessCase): Promise<string> {
  const keyName = check.key ?? 'key';
  const kms = await session.kms(check.as, keyName);
  const KeyId = session.keyArn(keyName);
  const EncryptionContext = check.encryptionContext;
  switch (check.action) {
    case 'kms:Encrypt':
      return outcomeOf(kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from(PLAINTEXT), EncryptionContext })));
    case 'kms:GenerateDataKey':
      return outcomeOf(kms.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256', EncryptionContext })));
    case 'kms:DescribeKey':
      return outcomeOf(kms.send(new DescribeKeyCommand({ KeyId })));
    case 'kms:Decrypt': {
      const made = await makeCiphertext(session, matrix, check);
      if (typeof made === 'string') { return made; }
      return outcomeOf(kms.send(new DecryptCommand({ KeyId, CiphertextBlob: made.ciphertext, EncryptionContext })), (result) =>
        (Buffer.from(result.Plaintext!).equals(made.plaintext) ? 'allowed' : 'allowed, with another plaintext'));
    }
    case 'kms:ScheduleKeyDeletion':
      return undoIfAllowed(await outcomeOf(kms.send(new ScheduleKeyDeletionCommand({ KeyId, PendingWindowInDays: 7 }))), async () => {
        const restorer = await session.kms(matrix.restorer, keyName);
        await restorer.send(new CancelKeyDeletionCommand({ KeyId }));
        await restorer.send(new EnableKeyCommand({ KeyId }));
      });
    case 'kms:DisableKey':
      return undoIfAllowed(await outcomeOf(kms.send(new DisableKeyCommand({ KeyId }))), async () => {
        await (await session.kms(matrix.restorer, keyName)).send(new EnableKeyCommand({ KeyId }));
      });
    case 'kms:PutKeyPolicy': {
      // The policy the key has: if the call gets through, nothing changes.
      const restorer = await session.kms(matrix.restorer, keyName);
      const { Policy } = await restorer.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }));
      return outcomeOf(kms.send(new PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy })));
    }
    case 'kms:CreateGrant': {
      // A grant to the caller itself, made directly: kms:GrantIsForAWSResource is false.
      let grantId: string | undefined;
      const outcome = await outcomeOf(kms.send(new CreateGrantCommand({ KeyId, GranteePrincipal: session.roleArn(check.as), Operations: ['Decrypt'] })),
        (result) => { grantId = result.GrantId; return 'allowed'; });
      return undoIfAllowed(outcome, async () => {
        await (await session.kms(matrix.restorer, keyName)).send(new RevokeGrantCommand({ KeyId, GrantId: grantId }));
      });
    }
    default:
      return `an action the checker does not know: ${check.action}`;
  }
}

/** Ciphertext, and the plaintext it holds. */
interface Sealed {
  readonly ciphertext: Uint8Array;
  readonly plaintext: Buffer;
}

/** Ciphertext made by the matrix's encryptor, or why it could not be made. */
async function makeCiphertext(session: Sessions, matrix: AccessMatrix, check: AccessCase): Promise<Sealed | string> {
  const source = check.ciphertext ?? { by: 'kms:Encrypt' };
  const keyName = source.key ?? check.key ?? 'key';
  const kms = await session.kms(matrix.encryptor, keyName);
  const KeyId = session.keyArn(keyName);
  const EncryptionContext = source.encryptionContext ?? check.encryptionContext;
  try {
    if (source.by === 'kms:GenerateDataKey') {
      const dataKey = await kms.send(new GenerateDataKeyCommand({ KeyId, KeySpec: 'AES_256', EncryptionContext }));
      return { ciphertext: dataKey.CiphertextBlob!, plaintext: Buffer.from(dataKey.Plaintext!) };
    }
    const encrypted = await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from(PLAINTEXT), EncryptionContext }));
    return { ciphertext: encrypted.CiphertextBlob!, plaintext: Buffer.from(PLAINTEXT) };
  } catch (err: any) {
    return `no ciphertext to decrypt: ${matrix.encryptor}'s ${source.by} failed with ${err.name}`;
  }
}
