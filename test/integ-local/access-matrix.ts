import { GetKeyPolicyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { DeployedPolicies, DeployedTargets, readDeployedPolicies } from './deployed-policies';
import { clientConfig } from './emulator';
import { CheckerEvent, handler as accessChecker } from '../../integ/support/access-checker';
import { AccessMatrix, CheckReport, isObjectCase } from '../../integ/support/access-checker/access-case';
import { Judgement, allowedByPolicy, judge, judgeObjectCase } from '../support/access-matrix-simulation';

/** The principal names a matrix uses. */
export function principalsOf(matrix: AccessMatrix): string[] {
  return [...new Set([matrix.encryptor, matrix.restorer, ...matrix.cases.map((c) => c.as)])];
}

/** A case and whether iam-simulate's judgement agrees with what AWS must answer. */
export interface JudgedCase {
  readonly title: string;
  readonly holds: boolean;
  readonly judgement: Judgement;
}

/** Each case of `matrix`, judged by iam-simulate on `deployed`. */
export async function judgeMatrix(matrix: AccessMatrix, deployed: DeployedPolicies): Promise<JudgedCase[]> {
  const judged: JudgedCase[] = [];
  for (const check of matrix.cases) {
    const key = deployed.keys[check.key ?? 'key'];
    const role = deployed.roles[check.as];
    if (!key || !role) { throw new Error(`'${check.title}': nothing deployed for key ${check.key ?? 'key'} or principal ${check.as}`); }
    const bucket = deployed.buckets?.[check.bucket ?? 'bucket'];
    if (isObjectCase(check) && !bucket) { throw new Error(`'${check.title}': no bucket ${check.bucket ?? 'bucket'} to judge it on`); }
    const judgement = isObjectCase(check) ? await judgeObjectCase(check, { bucket: bucket!, key, role }) : await judge(check, { key, role });
    judged.push({ title: check.title, holds: (judgement.decision === 'Allowed') === allowedByPolicy(check), judgement });
  }
  return judged;
}

/** The titles of the cases that do not hold on `deployed`. */
export async function brokenCases(matrix: AccessMatrix, deployed: DeployedPolicies): Promise<string[]> {
  return (await judgeMatrix(matrix, deployed)).filter((judged) => !judged.holds).map((judged) => judged.title);
}

/** One test per case of `matrix`: iam-simulate's judgement on `deployed()` agrees with what AWS must answer. */
export function testEachCaseHolds(matrix: AccessMatrix, deployed: () => DeployedPolicies): void {
  test.each(matrix.cases.map((check) => [check.title, check.expected, check] as const))('%s (on AWS: %s)', async (_title, _expected, check) => {
    const [judged] = await judgeMatrix({ ...matrix, cases: [check] }, deployed());
    expect(judged).toMatchObject({ holds: true });
  });
}

/**
 * The titles of the cases of `matrix` that do not hold while the key `keyName` of `targets`
 * has `weakened` as its policy in the emulator: a deliberate weakening, deployed (PutKeyPolicy)
 * and read back as KMS stores it. The policy the key had is put back afterwards.
 */
export async function brokenCasesOnceDeployed(
  endpoint: string, targets: DeployedTargets, keyName: string, weakened: any, matrix: AccessMatrix,
): Promise<string[]> {
  const KeyId = targets.keys[keyName];
  const kms = new KMSClient(clientConfig(endpoint, KeyId.split(':')[3]));
  const { Policy: original } = await kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: 'default' }));
  try {
    await kms.send(new PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy: JSON.stringify(weakened) }));
    return await brokenCases(matrix, await readDeployedPolicies(endpoint, targets));
  } finally {
    await kms.send(new PutKeyPolicyCommand({ KeyId, PolicyName: 'default', Policy: original }));
    kms.destroy();
  }
}

/**
 * `policy` with `principalArn` added to the principals of the statement `sid`: a deliberate
 * weakening, to show that the judgement notices one.
 */
export function withPrincipalAdded(policy: any, sid: string, principalArn: string): any {
  const copy = JSON.parse(JSON.stringify(policy));
  const statement = copy.Statement.find((s: any) => s.Sid === sid);
  if (!statement) { throw new Error(`no statement ${sid} in the key policy`); }
  statement.Principal.AWS = [statement.Principal.AWS, principalArn].flat();
  return copy;
}

/** Where a deployed stack is (moto's account, the stack's Region) and the names moto gave its roles. */
export interface DeployedEnvironment {
  readonly account: string;
  readonly region: string;
  /** Physical ids by logical id: for a role, its name. */
  readonly physicalIds: Record<string, string>;
  /** The ARNs of resources other than roles the policy names (Fn::GetAtt Arn), by logical id. @default none */
  readonly arns?: Record<string, string>;
}

/**
 * The KeyPolicy of the one resource of `type` in a deployed (adapted) template, wherever the
 * adapter put it (Resources, or Metadata for a key it created itself), with the pseudo
 * parameters of `env` and the ARNs of its roles put in. For keys whose policy moto does not store.
 */
export function templateKeyPolicy(template: any, type: 'AWS::KMS::Key' | 'AWS::KMS::ReplicaKey', env: DeployedEnvironment): any {
  const sections = [template.Resources, ...Object.values<any>(template.Metadata ?? {})];
  const [key, ...more] = sections.flatMap((section) => Object.values<any>(section ?? {})).filter((resource) => resource?.Type === type);
  if (!key || more.length > 0) { throw new Error(`expected one ${type} in the template, found ${more.length + (key ? 1 : 0)}`); }
  const policy = withPseudoParameters(key.Properties.KeyPolicy, env);
  return typeof policy === 'string' ? JSON.parse(policy) : policy;
}

/**
 * The bucket policy document of the bucket `bucketLogicalId` in a deployed template (moto's
 * CloudFormation skips AWS::S3::BucketPolicy), with the values of `env` put in.
 */
export function templateBucketPolicy(template: any, bucketLogicalId: string, env: DeployedEnvironment): any {
  const policies = Object.values<any>(template.Resources)
    .filter((resource) => resource.Type === 'AWS::S3::BucketPolicy' && resource.Properties.Bucket?.Ref === bucketLogicalId);
  if (policies.length !== 1) { throw new Error(`expected one bucket policy for ${bucketLogicalId}, found ${policies.length}`); }
  return withPseudoParameters(policies[0].Properties.PolicyDocument, env);
}

function withPseudoParameters(value: any, env: DeployedEnvironment): any {
  if (Array.isArray(value)) { return value.map((entry) => withPseudoParameters(entry, env)); }
  if (value === null || typeof value !== 'object') { return value; }
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': env.account, 'AWS::Region': env.region, 'AWS::URLSuffix': 'amazonaws.com' };
  if ('Ref' in value) {
    if (value.Ref in pseudo) { return pseudo[value.Ref]; }
    throw new Error(`no deployed value for Ref ${value.Ref}`);
  }
  // The account statement names the deployment role as Fn::Sub of pseudo parameters only.
  if (typeof value['Fn::Sub'] === 'string') {
    return value['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (whole: string, name: string) => {
      if (name in pseudo) { return pseudo[name]; }
      throw new Error(`no deployed value for ${whole} in ${JSON.stringify(value)}`);
    });
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'];
    return withPseudoParameters(parts, env).join(separator);
  }
  const [logicalId, attribute] = value['Fn::GetAtt'] ?? [];
  if (attribute === 'Arn' && env.arns?.[logicalId]) { return env.arns[logicalId]; }
  if (attribute === 'Arn' && env.physicalIds[logicalId]) { return `arn:aws:iam::${env.account}:role/${env.physicalIds[logicalId]}`; }
  if (Object.keys(value).some((key) => key.startsWith('Fn::'))) { throw new Error(`no deployed value for ${JSON.stringify(value)}`); }
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, withPseudoParameters(entry, env)]));
}

/**
 * The access checker's report on `event`, run in this process against the emulator: the checker
 * uses the default SDK settings, as in Lambda, so they point at the emulator while it runs.
 */
export async function runCheckerOnEmulator(endpoint: string, event: CheckerEvent): Promise<CheckReport> {
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
  try {
    return JSON.parse((await accessChecker(event)).report);
  } finally {
    process.env = saved;
  }
}
