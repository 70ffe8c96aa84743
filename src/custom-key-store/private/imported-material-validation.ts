import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail, received } from '../../errors';
import { IMPORTABLE_KEY_SPECS, VALID_TO_MAX_DAYS } from '../handler/key-material';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The key specs whose material the handler can wrap with RSAES_OAEP_SHA_256 under an RSA_4096
 * wrapping key. RSA private keys need an RSA_AES_KEY_WRAP algorithm, which the handler does not
 * implement; SM2 exists only in China Regions.
 */
export function validateImportableKeySpec(scope: IConstruct, keySpec: string | undefined): void {
  const spec = keySpec ?? 'SYMMETRIC_DEFAULT';
  if (Token.isUnresolved(spec)) { return; }
  if (!IMPORTABLE_KEY_SPECS.includes(spec)) {
    fail(scope, `'key' has keySpec ${JSON.stringify(spec)}, whose material this construct cannot import (it wraps with RSAES_OAEP_SHA_256, which KMS refuses for RSA private keys). Allowed: ${IMPORTABLE_KEY_SPECS.join(', ')}`);
  }
}

/** A real date, after now and at most 365 days ahead: KMS refuses anything else at import. */
export function validateValidTo(scope: IConstruct, validTo: Date, now: number = Date.now()): Date {
  const time = validTo instanceof Date ? validTo.getTime() : NaN;
  if (Number.isNaN(time)) {
    fail(scope, `'validTo' is not a valid Date. Received: ${received(String(validTo))}. Allowed: a Date after now and at most ${VALID_TO_MAX_DAYS} days ahead`);
  }
  if (time <= now) {
    fail(scope, `'validTo' value ${validTo.toISOString()} is in the past: the material would expire on import. Allowed: a date after now (${new Date(now).toISOString()}) and at most ${VALID_TO_MAX_DAYS} days ahead`);
  }
  if (time > now + VALID_TO_MAX_DAYS * DAY_MS) {
    fail(scope, `'validTo' value ${validTo.toISOString()} is more than ${VALID_TO_MAX_DAYS} days ahead; KMS refuses it. Allowed: at most ${new Date(now + VALID_TO_MAX_DAYS * DAY_MS).toISOString()}, or no validTo for material that does not expire`);
  }
  return validTo;
}

/** A whole number of days between 1 and 364, so the alarm can fire before the material expires. */
export function validateExpiryWarning(scope: IConstruct, warning: Duration): Duration {
  const days = warning.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1 || days >= VALID_TO_MAX_DAYS) {
    fail(scope, `'expiryWarning' value must be a whole number of days between 1 and ${VALID_TO_MAX_DAYS - 1}. Received: ${days} days`);
  }
  return warning;
}
