/**
 * How the checker names what happened to a request: the Outcome it matches, or the error as AWS
 * gave it. Part of the checker function's code: imports nothing.
 */

/** KMS's and S3's refusals, by the error names the SDK gives them. */
const OUTCOMES: Record<string, string> = {
  AccessDeniedException: 'AccessDenied',
  AccessDenied: 'AccessDenied',
  InvalidCiphertextException: 'InvalidCiphertext',
};

export async function outcomeOf<T>(request: Promise<T>, judge: (result: T) => string | Promise<string> = () => 'allowed'): Promise<string> {
  try {
    return await judge(await request);
  } catch (err: any) {
    return OUTCOMES[err.name] ?? `${err.name}: ${err.message}`;
  }
}

/** Runs `undo` when a request that changes something got through, and returns its outcome. */
export async function undoIfAllowed(outcome: string, undo: () => Promise<void>): Promise<string> {
  if (outcome === 'allowed') { await undo(); }
  return outcome;
}
