/** Helpers for AWS SDK v3 errors, which carry their type in `name`. */

/** Whether `error` is the AWS exception called `name`. */
export function isError(error: unknown, ...names: string[]): boolean {
  return typeof error === 'object' && error !== null && names.includes((error as { name?: string }).name ?? '');
}

/** Rethrows `error` with a sentence in front that says what it means for the deployment. */
export function explained(error: unknown, sentence: string): Error {
  const e = error as Error;
  return new Error(`${sentence} (${e.name}: ${e.message})`);
}
