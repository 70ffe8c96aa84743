import { IConstruct } from 'constructs';

/**
 * A synth-time validation failure.
 *
 * The message names the prop, the value received and what is allowed, and is prefixed with
 * the construct path so the user can find the offending line in a large app.
 */
export class KmsPatternsValidationError extends Error {
  /** Path of the construct whose input was rejected. */
  public readonly constructPath: string;

  constructor(message: string, scope: IConstruct) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'KmsPatternsValidationError';
    this.constructPath = scope.node.path;
  }
}

/**
 * Throws a {@link KmsPatternsValidationError}. A function so call sites read as one line.
 * @internal
 */
export function fail(scope: IConstruct, message: string): never {
  throw new KmsPatternsValidationError(message, scope);
}

/**
 * Renders a received value for an error message without leaking unresolved token noise.
 * @internal
 */
export function received(value: unknown): string {
  if (typeof value === 'string') { return JSON.stringify(value); }
  return String(value);
}
