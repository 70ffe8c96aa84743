/** Reading template values: literals, or `UNREADABLE` for what is only known at deploy time. */

/** A template value that is a CloudFormation intrinsic or otherwise not a plain literal. */
export const UNREADABLE = Symbol('unreadable');
export type Unreadable = typeof UNREADABLE;

/** A string, number or boolean value; `UNREADABLE` for intrinsics (Ref to a parameter, Fn::If...). */
export function literal(value: unknown): string | number | boolean | undefined | Unreadable {
  if (value === undefined || value === null) { return undefined; }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') { return value; }
  return UNREADABLE;
}

/** A boolean property; CloudFormation also accepts the strings "true" and "false". */
export function booleanValue(value: unknown): boolean | undefined | Unreadable {
  const read = literal(value);
  if (typeof read === 'string') {
    if (read.toLowerCase() === 'true') { return true; }
    if (read.toLowerCase() === 'false') { return false; }
    return UNREADABLE;
  }
  return typeof read === 'number' ? UNREADABLE : read;
}

/** A number property; CloudFormation also accepts numeric strings. */
export function numberValue(value: unknown): number | undefined | Unreadable {
  const read = literal(value);
  if (typeof read === 'string') { return /^\d+$/.test(read) ? Number(read) : UNREADABLE; }
  return typeof read === 'boolean' ? UNREADABLE : read;
}
