import { Stack, Token, aws_kms as kms } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Apps that already carry the check, so it is registered once however many keys have aliases. */
const CHECKED_APPS = new WeakSet<IConstruct>();

/**
 * Refuses, at synth, two aliases of one name in one account and Region of the app: CloudFormation
 * would accept the template and fail at deploy time on the second alias.
 *
 * Registered once on the app root, so the check walks the tree once. Every AWS::KMS::Alias counts,
 * including aws-cdk-lib's own. A stack whose account or Region is unresolved is its own
 * namespace: two environment-agnostic stacks may well deploy to different environments, so only
 * duplicates inside one such stack are certain.
 */
export function checkAliasNamesAcrossApp(scope: IConstruct): void {
  const root = scope.node.root;
  if (CHECKED_APPS.has(root)) { return; }
  CHECKED_APPS.add(root);
  root.node.addValidation({ validate: () => duplicateAliases(root) });
}

function duplicateAliases(root: IConstruct): string[] {
  const firstByName = new Map<string, string>();
  const errors: string[] = [];
  for (const alias of root.node.findAll().filter((node): node is kms.CfnAlias => node instanceof kms.CfnAlias)) {
    if (Token.isUnresolved(alias.aliasName)) { continue; }
    const where = environmentOf(Stack.of(alias));
    const slot = `${where.key}\u0000${alias.aliasName}`;
    const first = firstByName.get(slot);
    const path = alias.node.scope?.node.path ?? alias.node.path;
    if (first === undefined) {
      firstByName.set(slot, path);
      continue;
    }
    errors.push(`${path}: alias name ${JSON.stringify(alias.aliasName)} is also used by ${first} ${where.label}. `
      + 'KMS refuses the second alias at deploy time. Allowed: one alias of a name per account and Region; rename one of them');
  }
  return errors;
}

function environmentOf(stack: Stack): { key: string; label: string } {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    return { key: `stack:${stack.node.path}`, label: `in the environment of stack ${stack.node.path}` };
  }
  return { key: `${stack.account}/${stack.region}`, label: `in account ${stack.account} and Region ${stack.region}` };
}
