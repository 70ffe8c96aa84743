import { Duration, RemovalPolicy, aws_kms as kms } from 'aws-cdk-lib';
import { KeyRolesProps } from '../key/key-roles';

/**
 * What a key in a custom key store (CloudHSM or external) takes besides its store: the role
 * model, and the settings KMS allows there.
 */
export interface CustomKeyStoreKeyOptions extends KeyRolesProps {
  /**
   * A description of the key, shown in the console and returned by DescribeKey.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * How long KMS waits before deleting the key once deletion is scheduled, 7 to 30 days.
   *
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;

  /**
   * What happens to the key, and its aliases, when it leaves the stack. With DESTROY the key is
   * scheduled for deletion with `pendingWindow`; the key material in the backing store (the
   * cluster or the external key manager) is not deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Alias names for the key. The `alias/` prefix is added when missing.
   *
   * @default - no aliases
   */
  readonly aliases?: string[];

  /**
   * Must be false or unset: KMS does not rotate keys in a custom key store. The prop exists so
   * that settings copied from a CustomerManagedKey fail at synth instead of being ignored.
   *
   * @default false
   */
  readonly enableKeyRotation?: boolean;

  /**
   * Must be false or unset: keys in a custom key store cannot be multi-Region keys.
   *
   * @default false
   */
  readonly multiRegion?: boolean;

  /**
   * Must be SYMMETRIC_DEFAULT or unset: a custom key store holds symmetric encryption keys only.
   *
   * @default kms.KeySpec.SYMMETRIC_DEFAULT
   */
  readonly keySpec?: kms.KeySpec;
}
