import * as path from 'node:path';
import { ExpectedResult, IApiCall, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { CfnOutput, Duration, Stack, aws_iam as iam, aws_lambda as lambda, aws_logs as logs } from 'aws-cdk-lib';
import { handlerCode } from '../../src/shared/handler-code';
import { CHECK_REPORT_OUTPUT_PREFIX } from '../runner/assertions';
import { AccessMatrix, expectedReport } from './access-checker/access-case';

/** The principals and keys of an app, by the names its matrix uses. */
export interface AccessCheckTargets {
  readonly roles: Record<string, iam.IRole>;
  readonly keys: Record<string, { readonly arn: string; readonly region: string }>;
  /** The buckets of object cases, by name. @default none */
  readonly buckets?: Record<string, { readonly name: string; readonly region: string }>;
}

/**
 * Runs `matrix` on AWS: a checker function in the assertion stack assumes each case's role and
 * makes the request (integ/support/access-checker/). The assertion expects every case to pass;
 * the report is also the stack's `CheckReport<id>` output, which the runner prints case by case.
 * The roles must trust the account (the function assumes them with an identity policy).
 * Returns the invocation, so that a matrix whose grants take time to reach KMS can retry it.
 */
export function expectAccessMatrix(integ: IntegTest, assertionStack: Stack, id: string, matrix: AccessMatrix, targets: AccessCheckTargets): IApiCall {
  const checker = new lambda.Function(assertionStack, `${id}Checker`, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: handlerCode(path.join(__dirname, 'access-checker'), 'index'),
    timeout: Duration.minutes(2),
    logGroup: new logs.LogGroup(assertionStack, `${id}CheckerLogs`, { retention: logs.RetentionDays.ONE_DAY }),
  });
  Object.values(targets.roles).forEach((role) => role.grantAssumeRole(checker.grantPrincipal));
  const payload = {
    matrix,
    targets: {
      roles: Object.fromEntries(Object.entries(targets.roles).map(([name, role]) => [name, role.roleArn])),
      keys: targets.keys,
      buckets: targets.buckets,
    },
  };
  const run = integ.assertions.invokeFunction({ functionName: checker.functionName, payload: assertionStack.toJsonString(payload) });
  run.assertAtPath('Payload.report', ExpectedResult.exact(JSON.stringify(expectedReport(matrix))));
  new CfnOutput(assertionStack, `${CHECK_REPORT_OUTPUT_PREFIX}${id}`, { value: run.getAttString('Payload.report') });
  return run;
}
