/**
 * Judges a synthesized key policy with @cloud-copilot/iam-simulate (AGPL-3.0: test-only, never
 * imported from src/), an engine independent of the project's own evaluator.
 */
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

export const ACCOUNT = '111111111111';
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** The concrete ARN a template's role `logicalId` stands for in simulations. */
export function roleArn(logicalId: string): string {
  return `arn:aws:iam::${ACCOUNT}:role/${logicalId}`;
}

/**
 * The template value with its intrinsics replaced by concrete values: pseudo parameters, joins,
 * and `Fn::GetAtt [Role, Arn]` as `roleArn(Role)`. Anything else is an error, not a guess.
 */
export function concrete(value: any, region = 'us-east-1'): any {
  if (Array.isArray(value)) { return value.map((entry) => concrete(entry, region)); }
  if (value === null || typeof value !== 'object') { return value; }
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref') {
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT, 'AWS::Region': region, 'AWS::URLSuffix': 'amazonaws.com' };
    if (value.Ref in pseudo) { return pseudo[value.Ref]; }
    throw new Error(`no concrete value for Ref ${value.Ref}`);
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [separator, parts] = value['Fn::Join'];
    return concrete(parts, region).join(separator);
  }
  if (keys.length === 1 && keys[0] === 'Fn::Sub' && typeof value['Fn::Sub'] === 'string') {
    return value['Fn::Sub'].replace(/\$\{([^}]+)\}/g, (_match: string, name: string) => concrete({ Ref: name }, region));
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && value['Fn::GetAtt'][1] === 'Arn') {
    return roleArn(value['Fn::GetAtt'][0]);
  }
  if (keys.some((key) => key.startsWith('Fn::'))) { throw new Error(`no concrete value for ${JSON.stringify(value)}`); }
  return Object.fromEntries(keys.map((key) => [key, concrete(value[key], region)]));
}

/** A request against the key: principal ARN (or a service principal name), action, context. */
export interface SimulatedRequest {
  readonly principal: string;
  readonly action: string;
  readonly context?: Record<string, string | string[]>;
  /** Identity policies of the principal. @default none */
  readonly identityPolicies?: any[];
  /** The key the request is on. @default KEY_ARN */
  readonly keyArn?: string;
}

/** iam-simulate's overall result: Allowed, ImplicitlyDenied or ExplicitlyDenied. */
export async function simulate(keyPolicy: any, request: SimulatedRequest): Promise<string> {
  const response = await runSimulation(simulation(keyPolicy, request), {});
  if (response.resultType === 'error') { throw new Error(`iam-simulate rejected the request: ${JSON.stringify(response.errors)}`); }
  return response.overallResult;
}

/**
 * iam-simulate without its context-key check. The checked mode drops context keys it does not
 * know for the action, among them `kms:EncryptionContext:aws:s3:arn` (S3's key with a colon
 * inside), so a condition on it would be judged against a missing value. Use this mode only
 * for such keys; the request is otherwise the same.
 */
export function simulateUnchecked(keyPolicy: any, request: SimulatedRequest): string {
  // The unchecked mode loads the key policy without a name, which its result analysis needs;
  // a policy marked as validated carries its own.
  const named = keyPolicy && { __validated: true, policyDocument: keyPolicy, metadata: { name: 'keyPolicy' } };
  return runUnsafeSimulation({ ...simulation(keyPolicy, request), resourcePolicy: named }, {});
}

function simulation(keyPolicy: any, request: SimulatedRequest) {
  const keyArn = request.keyArn ?? KEY_ARN;
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: keyArn, accountId: keyArn.split(':')[4] },
      contextVariables: request.context ?? {},
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({ name: `policy${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: keyPolicy,
  };
}
