import { Duration, Stack, Validations, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, aws_stepfunctions as sfn, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { handlerCode } from './handler-code';

/** What a provider runs: a module of a handler folder with an `onEvent` and maybe an `isComplete`. */
export interface HandlerProviderOptions {
  /** Construct id of the singleton, unique in the stack. */
  readonly id: string;
  /** The handler folder (see `handlerCode`). */
  readonly handlerDir: string;
  /** Module in the handler folder (without extension). */
  readonly module: string;
  /** Whether the module exports `isComplete` (asynchronous resources). */
  readonly asynchronous: boolean;
  /** What the provider is for, in role descriptions. */
  readonly purpose: string;
  /** Total time the provider waits for isComplete. */
  readonly totalTimeout?: Duration;
  /** Time between isComplete calls. */
  readonly queryInterval?: Duration;
  /**
   * Why the handler role's statements on Resource `*` cannot name resources, for the
   * AwsSolutions-IAM5 acknowledgement. Without it, nothing on `*` is acknowledged.
   */
  readonly wildcardResourceReason?: string;
}

/**
 * One custom resource provider per stack and purpose, shared by every resource of that kind.
 *
 * Every role here is ours, with inline policies only (no AWSLambdaBasicExecutionRole), and every
 * function, including the provider framework's, logs to one log group with a retention.
 */
export class HandlerProvider extends Construct {
  /** The provider of `options.id` in the stack of `scope`, created on first use. */
  public static of(scope: Construct, options: HandlerProviderOptions): HandlerProvider {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(options.id) as HandlerProvider | undefined) ?? new HandlerProvider(stack, options);
  }

  /** The role of the handler functions; resources add the permissions they need to it. */
  public readonly handlerRole: iam.Role;
  public readonly serviceToken: string;

  private constructor(scope: Stack, options: HandlerProviderOptions) {
    super(scope, options.id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR });
    const lambdaRole = (id: string, description: string) => {
      const role = new iam.Role(this, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
      logGroup.grantWrite(role);
      return role;
    };
    this.handlerRole = lambdaRole('HandlerRole', `Runs the ${options.purpose} handler`);

    const code = handlerCode(options.handlerDir, options.module);
    const handler = (id: string, name: string, timeout: Duration) => new lambda.Function(this, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      code,
      handler: `${options.module}.${name}`,
      timeout,
      role: this.handlerRole,
      logGroup,
      description: `${options.purpose}: ${name}`,
    });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: handler('OnEvent', 'onEvent', Duration.minutes(14)),
      isCompleteHandler: options.asynchronous ? handler('IsComplete', 'isComplete', Duration.minutes(2)) : undefined,
      totalTimeout: options.totalTimeout,
      queryInterval: options.queryInterval,
      logGroup,
      frameworkOnEventRole: lambdaRole('FrameworkOnEventRole', `Runs the provider framework for the ${options.purpose} handler`),
      frameworkCompleteAndTimeoutRole: options.asynchronous
        ? lambdaRole('FrameworkWaiterRole', `Runs the provider framework waiter for the ${options.purpose} handler`)
        : undefined,
      waiterStateMachineLogOptions: options.asynchronous ? { destination: logGroup, level: sfn.LogLevel.ALL } : undefined,
      disableWaiterStateMachineLogging: options.asynchronous ? false : undefined,
    });
    this.serviceToken = provider.serviceToken;
    acknowledgeUnfixableFindings(this, options.wildcardResourceReason);
  }
}

/**
 * What cdk-nag's AwsSolutions pack reports on these providers and cannot be fixed. Everything
 * fixable is fixed above: own roles with inline policies (no IAM4), the latest Node.js runtime
 * for our handlers (no L1), waiter logging at level ALL.
 */
function acknowledgeUnfixableFindings(scope: Construct, wildcardResourceReason: string | undefined): void {
  const stack = Stack.of(scope);
  if (wildcardResourceReason) {
    Validations.of(scope).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: wildcardResourceReason });
  }
  for (const fn of scope.node.findAll().filter((child): child is lambda.CfnFunction => child instanceof lambda.CfnFunction)) {
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn)}.Arn>:*]`,
      reason: 'The provider framework invokes the function by ARN and by any version or alias of that one function (<arn>:*), nothing else.',
    });
  }
  if (scope.node.findAll().some((child) => child instanceof sfn.CfnStateMachine)) {
    Validations.of(scope).acknowledge({
      id: 'AwsSolutions-SF2',
      reason: 'The provider framework waiter state machine has no X-Ray option; it only calls the isComplete handler in a loop, and logs every event (level ALL).',
    });
  }
}
