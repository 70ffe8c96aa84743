/**
 * Canonical strings for CloudFormation template values, so that policies of keys from any
 * source (this library, kms.Key, CfnKey, CfnInclude) compare the same way.
 *
 * The partition is read as `aws`: a principal written as `arn:${AWS::Partition}:iam::...` and one
 * written as `arn:aws:iam::...` are the same principal for the evaluator.
 */

const PARTITION = 'aws';

/**
 * Canonical string for a template value: literals as-is; `{ Ref: X }` -> `${X}`;
 * `{ 'Fn::GetAtt': [X, 'Arn'] }` -> `${X.Arn}`; `Fn::Join` and `Fn::Sub` of canonical parts;
 * `{ Ref: 'AWS::Partition' }` -> `aws`; other pseudo parameters -> `${AWS::AccountId}` etc.
 * Anything else (Fn::If, Fn::ImportValue, Fn::Select of unknowns...) -> undefined, which callers
 * report as "cannot evaluate".
 */
export function canonicalValue(value: unknown): string | undefined {
  if (typeof value === 'string') { return value; }
  if (typeof value === 'number' || typeof value === 'boolean') { return String(value); }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) { return undefined; }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 1) { return undefined; }
  const [intrinsic, argument] = entries[0];
  switch (intrinsic) {
    case 'Ref': return typeof argument === 'string' ? reference(argument) : undefined;
    case 'Fn::GetAtt': return getAtt(argument);
    case 'Fn::Join': return join(argument);
    case 'Fn::Sub': return sub(argument);
    default: return undefined;
  }
}

function reference(name: string): string {
  return name === 'AWS::Partition' ? PARTITION : `\${${name}}`;
}

function getAtt(argument: unknown): string | undefined {
  const parts = typeof argument === 'string' ? argument.split('.') : argument;
  if (!Array.isArray(parts) || parts.length < 2 || !parts.every((part) => typeof part === 'string')) { return undefined; }
  return `\${${parts.join('.')}}`;
}

function join(argument: unknown): string | undefined {
  if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string' || !Array.isArray(argument[1])) {
    return undefined;
  }
  const parts = argument[1].map(canonicalValue);
  return parts.every((part): part is string => part !== undefined) ? parts.join(argument[0]) : undefined;
}

function sub(argument: unknown): string | undefined {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof text !== 'string' || typeof variables !== 'object' || variables === null) { return undefined; }
  let unresolved = false;
  const result = text.replace(/\$\{(!?)([^}]*)\}/g, (_match, literal: string, name: string) => {
    if (literal) { return `\${${name}}`; }
    if (name in variables) {
      const resolved = canonicalValue((variables as Record<string, unknown>)[name]);
      if (resolved === undefined) { unresolved = true; }
      return resolved ?? '';
    }
    return reference(name);
  });
  return unresolved ? undefined : result;
}

/** Whether a template value is a CloudFormation intrinsic function (`{ Ref }`, `{ 'Fn::If' }`...). */
export function isIntrinsic(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::'));
}
