/**
 * The workload: encrypts and decrypts with the AWS Encryption SDK under the key's ALIAS, with the
 * permissions the stack grants (GenerateDataKey + Decrypt).
 *
 * Run against real AWS (credentials of the workload role):
 *   npx ts-node examples/envelope-encryption/workload.ts "some secret text"
 * Set AWS_ENDPOINT_URL to use a local KMS endpoint instead. Set KEY_ARN to the stack's KeyArn output
 * when the alias is in another account or Region.
 */
import { KMS } from '@aws-sdk/client-kms';
import { CommitmentPolicy, KmsKeyringNode, buildClient, getClient } from '@aws-crypto/client-node';
import { WORKLOAD_ALIAS } from './stack';

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

export interface EnvelopeOptions {
  /** Key id, ARN or alias ARN that generates data keys. Decryption needs a key ARN (see below). */
  readonly generatorKeyId: string;
  /** The key ARN, so the keyring may decrypt what it encrypted (KMS reports ARNs in messages). */
  readonly keyArn: string;
  /** Extra client settings, e.g. { endpoint, region } for a local endpoint. */
  readonly clientConfig?: ConstructorParameters<typeof KMS>[0];
}

/** Encrypts `plaintext` with an encryption context that names its purpose, then decrypts it. */
export async function roundTrip(plaintext: string, options: EnvelopeOptions): Promise<{ ciphertextBytes: number; plaintext: string }> {
  const clientProvider = getClient(KMS, options.clientConfig ?? {});
  const keyring = new KmsKeyringNode({ generatorKeyId: options.generatorKeyId, keyIds: [options.keyArn], clientProvider });
  const context = { purpose: 'example', app: 'cdk-kms-patterns' };
  const { result } = await encrypt(keyring, plaintext, { encryptionContext: context });
  const decrypted = await decrypt(keyring, result);
  for (const [name, value] of Object.entries(context)) {
    // The SDK returns the context it authenticated; check it, as the SDK documentation advises.
    if (decrypted.messageHeader.encryptionContext[name] !== value) {
      throw new Error(`encryption context ${name} does not match`);
    }
  }
  return { ciphertextBytes: result.length, plaintext: decrypted.plaintext.toString('utf8') };
}

if (require.main === module) {
  const keyArn = process.env.KEY_ARN ?? WORKLOAD_ALIAS;
  roundTrip(process.argv[2] ?? 'hello from the workload', {
    generatorKeyId: process.env.KEY_ARN ?? WORKLOAD_ALIAS,
    keyArn,
    clientConfig: process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {},
  }).then(
    (out) => console.log(`encrypted to ${out.ciphertextBytes} bytes and back: ${out.plaintext.length} characters`),
    (err) => { console.error(err.name, err.message); process.exitCode = 1; },
  );
}
