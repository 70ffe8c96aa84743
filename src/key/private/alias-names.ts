import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from '../../errors';

/** The longest alias name KMS accepts, "alias/" included (AWS::KMS::Alias reference). */
export const ALIAS_MAX_LENGTH = 256;

/**
 * Adds the `alias/` prefix when missing and rejects names KMS would refuse at deploy time.
 */
export function normalizeAliasNames(scope: IConstruct, names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw) => {
    const name = normalizeAliasName(scope, raw);
    if (seen.has(name)) {
      fail(scope, `'aliases' contains ${JSON.stringify(name)} twice. Each alias name must be unique.`);
    }
    seen.add(name);
    return name;
  });
}

function normalizeAliasName(scope: IConstruct, raw: string): string {
  if (Token.isUnresolved(raw)) { return raw; }
  const name = raw.startsWith('alias/') ? raw : `alias/${raw}`;
  if (name === 'alias/') {
    fail(scope, `'aliases' entry must not be empty. Received: ${JSON.stringify(raw)}`);
  }
  if (name.startsWith('alias/aws/')) {
    fail(scope, `'aliases' entry ${JSON.stringify(raw)} starts with alias/aws/, which AWS reserves for AWS managed keys. Allowed: any other name`);
  }
  if (name.length > ALIAS_MAX_LENGTH) {
    fail(scope, `'aliases' entry must be at most ${ALIAS_MAX_LENGTH} characters including "alias/". Received: ${name.length} characters (${JSON.stringify(raw.slice(0, 40))}...)`);
  }
  if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(name)) {
    fail(scope, `'aliases' entry ${JSON.stringify(raw)} has characters KMS does not allow. Allowed: letters, digits, "/", "_" and "-"`);
  }
  return name;
}
