/**
 * Exponential backoff with full jitter for throttled or transient AWS calls.
 *
 * The SDK client retries too, but a deploy that hits KMS's shared request quota (custom key
 * store operations are rate-limited per account) needs more patience than its default three
 * attempts. `sleep` is injectable so tests run without waiting.
 */

/** Error names KMS and Secrets Manager use for throttling and transient faults. */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KMSInternalException',
  'DependencyTimeoutException',
  'InternalServiceError',
  'ServiceUnavailableException',
]);

export interface BackoffOptions {
  /** Total attempts, including the first. */
  readonly attempts?: number;
  /** First delay in milliseconds; doubles each attempt. */
  readonly baseDelayMs?: number;
  /** Longest single delay in milliseconds. */
  readonly maxDelayMs?: number;
  /** Extra error names to retry for this call only (e.g. IAM propagation faults). */
  readonly alsoRetry?: string[];
}

export type Sleep = (ms: number) => Promise<void>;

let sleeper: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Replaces the sleep function; tests use it to record delays instead of waiting. */
export function setSleep(fn: Sleep): Sleep {
  const previous = sleeper;
  sleeper = fn;
  return previous;
}

/** Waits, through the replaceable sleep function. */
export function sleep(ms: number): Promise<void> {
  return sleeper(ms);
}

/** Whether an error is worth retrying. */
export function isRetryable(error: unknown, alsoRetry: string[] = []): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e?.$retryable) { return true; }
  if (e?.name && (RETRYABLE_NAMES.has(e.name) || alsoRetry.includes(e.name))) { return true; }
  const status = e?.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

/** Calls `fn` until it succeeds, an error is not retryable, or the attempts run out. */
export async function withBackoff<T>(label: string, fn: () => Promise<T>, options: BackoffOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 20_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error, options.alsoRetry)) { throw error; }
      const delay = Math.round(Math.random() * Math.min(max, base * 2 ** (attempt - 1)));
      console.log(`${label}: ${(error as Error).name} on attempt ${attempt} of ${attempts}, retrying in ${delay} ms`);
      await sleep(delay);
    }
  }
}
