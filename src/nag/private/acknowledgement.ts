import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Whether `ruleId` is acknowledged on `node` or any of its scopes. cdk-nag matches a rule with
 * findings only by `Rule[finding]`; reading the bare id as well lets one acknowledgement cover
 * every finding of a rule, which is what people expect from `acknowledge({ id: 'KmsChecks-X' })`.
 * Both spellings count: `KmsChecks-X` and the `KmsChecks::KmsChecks-X` the CDK report suggests.
 */
export function isAcknowledged(node: IConstruct, namespace: string, ruleId: string): boolean {
  const prefix = new RegExp(`^(annotation|${namespace})::`, 'i');
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) { continue; }
      // aws-cdk-lib records a bare id with an 'Annotation::' prefix (lower case before 2.262.1).
      if (Object.keys(entry.data).some((key) => key.replace(prefix, '') === ruleId)) { return true; }
    }
  }
  return false;
}
