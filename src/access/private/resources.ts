import { actionPatternMatcher } from '../kms-actions';
import { Applies } from './statements';

/** The key a Resource element is compared with. */
export interface KeyResource {
  /** Canonical account of the key. */
  readonly account: string;
  /** Canonical ARN of the key (`${Logical.Arn}` for a key of the template), when known. */
  readonly arn?: string;
}

/**
 * Whether one Resource value names the key. In a key policy `*` means "this key". A value that
 * names another resource of the template, or another service, does not; a literal KMS ARN that
 * cannot be compared with a key whose ARN is only known at deploy time may or may not.
 */
export function resourceApplies(value: string, key: KeyResource): Applies {
  if (value === '*' || value === key.arn) { return Applies.YES; }
  // `${Param}` may be any ARN, or `*`; `${Other.Arn}` (below) is another resource of the template.
  if (/^\$\{(?!AWS::)[^}.]+\}$/.test(value)) { return Applies.UNKNOWN; }
  if (key.arn && !key.arn.includes('${')) {
    return actionPatternMatcher(value).test(key.arn) ? Applies.YES : Applies.NO;
  }
  if (value.startsWith('${')) { return key.arn ? Applies.NO : Applies.UNKNOWN; }
  const [prefix, , service, region, account, resource] = arnParts(value);
  if (prefix !== 'arn' || resource === undefined || !actionPatternMatcher(service).test('kms') || resource.startsWith('alias/')) {
    return Applies.NO;
  }
  // A key made by the template gets a new id, so a literal key id is always another key.
  if (!/[*?]/.test(resource)) { return Applies.NO; }
  const sameAccount = account === '*' || account === key.account;
  if (!sameAccount && /^\d{12}$/.test(account) && /^\d{12}$/.test(key.account)) { return Applies.NO; }
  const everyKey = (region === '*' || region === '${AWS::Region}') && sameAccount && (resource === '*' || resource === 'key/*');
  return everyKey ? Applies.YES : Applies.UNKNOWN;
}

/** Splits an ARN on the colons that are not inside a `${...}` token such as `${AWS::AccountId}`. */
function arnParts(arn: string): string[] {
  const tokens: string[] = [];
  const masked = arn.replace(/\$\{[^}]*\}/g, (token) => `\u0000${tokens.push(token) - 1}\u0000`);
  return masked.split(':').map((part) => part.replace(/\u0000(\d+)\u0000/g, (_match, position: string) => tokens[Number(position)]));
}
