import { DeployedPolicies } from './deployed-policies';
import { AccessMatrix } from '../../integ/support/access-checker/access-case';
import { Judgement, allowedByPolicy, judge } from '../support/access-matrix-simulation';

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
    const judgement = await judge(check, { key, role });
    judged.push({ title: check.title, holds: (judgement.decision === 'Allowed') === allowedByPolicy(check), judgement });
  }
  return judged;
}

/** The titles of the cases that do not hold on `deployed`. */
export async function brokenCases(matrix: AccessMatrix, deployed: DeployedPolicies): Promise<string[]> {
  return (await judgeMatrix(matrix, deployed)).filter((judged) => !judged.holds).map((judged) => judged.title);
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
