import type { CdkCustomResourceEvent } from 'aws-lambda';
import { setSleep } from '../../src/custom-key-store/handler/retry';

/** A CloudFormation custom resource event for the handlers. */
export function cfnEvent(requestType: 'Create' | 'Update' | 'Delete', props: Record<string, any>, extra: Record<string, any> = {}): any {
  return {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider',
    ResponseURL: 'https://example.invalid',
    StackId: 'arn:aws:cloudformation:eu-west-1:111111111111:stack/S/1',
    RequestId: 'request-1',
    LogicalResourceId: 'Resource',
    ResourceType: 'Custom::Test',
    ResourceProperties: { ServiceToken: 'token', ...props },
    ...extra,
  } as CdkCustomResourceEvent;
}

type SetSleep = (fn: (ms: number) => Promise<void>) => (ms: number) => Promise<void>;

/** Everything the handlers print, with sleeps recorded instead of waited for (through `replaceSleep`). */
export function captureOutput(replaceSleep: SetSleep = setSleep): { lines: string[]; delays: number[]; restore: () => void } {
  const lines: string[] = [];
  const delays: number[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => { lines.push(args.map(String).join(' ')); }));
  const previous = replaceSleep(async (ms) => { delays.push(ms); });
  return { lines, delays, restore: () => { spies.forEach((spy) => spy.mockRestore()); replaceSleep(previous); } };
}

/** An AWS SDK v3 style error. */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}
