import {
  GetPolicyCommand, GetPolicyVersionCommand, GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { clientConfig } from './emulator';

/** What an app's matrix is judged on: its keys' policies and its roles' identity policies, as deployed. */
export interface DeployedPolicies {
  /** Key ARN and key policy, by the matrix's name for the key. */
  readonly keys: Record<string, { readonly arn: string; readonly policy: any }>;
  /** Role ARN and identity policies (inline and attached), by the matrix's name for the principal. */
  readonly roles: Record<string, { readonly arn: string; readonly policies: any[] }>;
  /** Bucket ARN, Region and bucket policy, by the matrix's name for the bucket, for object cases. @default none */
  readonly buckets?: Record<string, { readonly arn: string; readonly region: string; readonly policy: any }>;
}

/** Key ARNs and role ARNs of a deployed app, by the names its matrix uses. */
export interface DeployedTargets {
  readonly keys: Record<string, string>;
  readonly roles: Record<string, string>;
}

/**
 * Reads back from the emulator what KMS and IAM store: each key's policy (GetKeyPolicy, in the
 * key's Region) and each role's inline and attached identity policies.
 */
export async function readDeployedPolicies(endpoint: string, targets: DeployedTargets): Promise<DeployedPolicies> {
  const keys: Record<string, { arn: string; policy: any }> = {};
  for (const [name, arn] of Object.entries(targets.keys)) {
    const kms = new KMSClient(clientConfig(endpoint, arn.split(':')[3]));
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }));
    kms.destroy();
    keys[name] = { arn, policy: JSON.parse(Policy!) };
  }
  const iam = new IAMClient(clientConfig(endpoint));
  const roles: Record<string, { arn: string; policies: any[] }> = {};
  for (const [name, arn] of Object.entries(targets.roles)) {
    roles[name] = { arn, policies: await identityPoliciesOf(iam, arn.split('/').pop()!) };
  }
  iam.destroy();
  return { keys, roles };
}

async function identityPoliciesOf(iam: IAMClient, RoleName: string): Promise<any[]> {
  const policies: any[] = [];
  for (const PolicyName of (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? []) {
    policies.push(document((await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))).PolicyDocument!));
  }
  for (const attached of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies ?? []) {
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: attached.PolicyArn }));
    const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: attached.PolicyArn, VersionId: Policy!.DefaultVersionId }));
    policies.push(document(PolicyVersion!.Document!));
  }
  return policies;
}

/** IAM returns policy documents URL-encoded. */
function document(text: string): any {
  return JSON.parse(text.trimStart().startsWith('{') ? text : decodeURIComponent(text));
}
