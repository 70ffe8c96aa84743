import { DeployedPolicies } from './deployed-policies';
import { ACCOUNT, concrete } from '../support/policy-simulation';

/** Output names of a template: each key's ARN output and each role's ARN output, by the matrix's names. */
export interface TemplateTargets {
  readonly keys: Record<string, string>;
  readonly roles: Record<string, string>;
}

/**
 * What a matrix is judged on, read from a synthesized template: for the apps the emulator cannot
 * deploy. Intrinsics are made concrete as test/support/policy-simulation.ts does (its account;
 * a role's ARN named after its logical id); a key's ARN is named after its logical id too. A
 * role's identity policies are its inline policies and the AWS::IAM::Policy resources that name
 * it; a managed policy is an error, since the template does not hold its document.
 */
export function templatePolicies(template: any, targets: TemplateTargets): DeployedPolicies {
  const resources: Record<string, any> = template.Resources;
  const logicalIdOf = (output: string): string => {
    const [logicalId, attribute] = template.Outputs?.[output]?.Value?.['Fn::GetAtt'] ?? [];
    if (!logicalId || attribute !== 'Arn') { throw new Error(`output ${output} is not the Arn of a resource of the template`); }
    return logicalId;
  };
  const keys = Object.fromEntries(Object.entries(targets.keys).map(([name, output]) => {
    const logicalId = logicalIdOf(output);
    return [name, { arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${logicalId}`, policy: concrete(resources[logicalId].Properties.KeyPolicy) }];
  }));
  const roles = Object.fromEntries(Object.entries(targets.roles).map(([name, output]) => {
    const logicalId = logicalIdOf(output);
    const role = resources[logicalId].Properties;
    if (role.ManagedPolicyArns?.length) { throw new Error(`role ${logicalId} has managed policies, whose documents the template does not hold`); }
    const inline = (role.Policies ?? []).map((policy: any) => policy.PolicyDocument);
    const attached = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles?.some((ref: any) => ref.Ref === logicalId))
      .map((resource) => resource.Properties.PolicyDocument);
    return [name, { arn: concrete({ 'Fn::GetAtt': [logicalId, 'Arn'] }), policies: concrete([...inline, ...attached]) }];
  }));
  return { keys, roles };
}
