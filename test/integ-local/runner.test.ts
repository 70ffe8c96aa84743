/**
 * The integ runner's deploy path (integ/runner: toolkit-lib deploy -> wait -> destroy, the
 * retained-resource cleanup, a failed deploy, an interrupt, --keep) run against the local
 * emulator, with the same code `npm run integ:aws` runs against AWS.
 *
 * What differs from a real run, and why:
 * - The apps are synthesized with LegacyStackSynthesizer (context
 *   `@aws-cdk/core:newStyleStackSynthesis: false`): moto cannot host the CDK bootstrap stack
 *   that DefaultStackSynthesizer's deploys need (its version parameter, deploy role and asset
 *   bucket). The legacy synthesizer needs none for stacks without assets: toolkit-lib sends the
 *   template inline and assumes no role.
 * - The templates go through the harness's emulator adapter (key policies as strings, and the
 *   other moto quirks in emulator-adapter.ts) before toolkit-lib reads the assembly.
 * - Only the test-case stacks are deployed: the IntegTest assertion stack runs its assertions in
 *   Lambda-backed custom resources, which moto cannot run.
 * - moto's CloudFormation fails CreateStack at once for a resource it cannot create and writes no
 *   stack events, so the failed-deploy test shows toolkit-lib's error, not CloudFormation's
 *   events (how the runner picks the events is unit-tested in test/integ/runner/progress.test.ts).
 * - moto deletes a key when its stack is deleted; AWS schedules the deletion (7 days for the
 *   integ keys). Retained keys are scheduled by the runner itself, which moto shows.
 */
import { BaseCredentials, Toolkit } from '@aws-cdk/toolkit-lib';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_TEST_TIMEOUT_MS, describeWithEmulator } from '.';
import { adaptTemplateForMoto } from './emulator-adapter';
import { appAt } from '../../integ/runner/apps';
import { Interrupt, Ledger } from '../../integ/runner/ledger';
import { PlannedStack } from '../../integ/runner/plan';
import { ProgressHost } from '../../integ/runner/progress';
import { AppOutcome, RunSettings, runApp } from '../../integ/runner/run-app';
import { SynthesizedApp, synthesize } from '../../integ/runner/synthesize';

jest.setTimeout(LOCAL_TEST_TIMEOUT_MS);

/** The synthesizer that needs no bootstrap stack, for every stack of the app. */
const LEGACY_SYNTHESIS = { '@aws-cdk/core:newStyleStackSynthesis': false };
const REGION = 'us-east-1';

describeWithEmulator(__filename, 'the integ runner on the local emulator', (emulator) => {
  const lines: string[] = [];
  let toolkit: Toolkit;
  let host: ProgressHost;
  const clients = { cfn: undefined as any as CloudFormationClient, kms: undefined as any as KMSClient };

  beforeAll(() => {
    // What a user's shell would hold; every SDK client of the runner and of toolkit-lib reads it.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: emulator.endpoint, AWS_REGION: REGION, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing',
    });
    host = new ProgressHost((line) => lines.push(line));
    const baseCredentials = BaseCredentials.awsCliCompatible({ defaultRegion: REGION });
    toolkit = new Toolkit({ ioHost: host, emojis: false, color: false, sdkConfig: { baseCredentials } });
    clients.cfn = new CloudFormationClient({ maxAttempts: 1 });
    clients.kms = new KMSClient({ maxAttempts: 1 });
  });
  afterAll(() => {
    clients.cfn?.destroy();
    clients.kms?.destroy();
  });

  const localSynthesis = (file: string) => synthesize(toolkit, appAt(file), {
    context: LEGACY_SYNTHESIS, resolveEnvironment: true, adaptTemplate: adaptTemplateForMoto,
  });
  const settings = (overrides: Partial<RunSettings> = {}): RunSettings => ({
    toolkit,
    host,
    defaultRegion: REGION,
    keep: false,
    interrupt: new Interrupt(),
    ledger: new Ledger(),
    log: (line) => lines.push(line),
    deploys: (stack: PlannedStack) => stack.role === 'test case',
    pollIntervalMs: 100,
    ...overrides,
  });
  const stackStatus = async (stackName: string) => {
    try {
      return (await clients.cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0]?.StackStatus;
    } catch (err: any) {
      return err.name === 'ValidationError' ? 'gone' : `error ${err.name}`;
    }
  };

  describe('integ.key', () => {
    let synthesized: SynthesizedApp;
    beforeAll(async () => { synthesized = await localSynthesis('integ/integ.key.ts'); });
    afterAll(async () => { await synthesized?.dispose(); });

    test('the plan: the test-case stack by the legacy synthesizer (no bootstrap role), and the assertion stack', () => {
      expect(synthesized.plan.stacks.map((s) => [s.id, s.role])).toEqual([['KmsPatternsKeyInteg', 'test case'], ['KmsPatternsKeyIntegAssertions', 'assertions']]);
      const artifact = synthesized.assembly.cloudAssembly.getStackArtifact('KmsPatternsKeyInteg');
      expect(artifact.assumeRoleArn).toBeUndefined();
      expect(artifact.template.Parameters?.BootstrapVersion).toBeUndefined();
    });

    test('toolkit-lib deploys the test-case stack, waits, reads its outputs, destroys it; the assertion stack is left out (Lambda)', async () => {
      lines.length = 0;
      const outcome = await runApp(synthesized, settings());
      expect(outcome.problems).toEqual([]);
      expect(outcome.passed).toBe(true);
      // The assertion stack was not deployed (Lambda), so there are no assertion results here.
      expect(Object.keys(outcome.outputs)).toEqual(['KmsPatternsKeyInteg']);
      expect(outcome.assertions).toEqual([]);
      const keyArn = outcome.outputs.KmsPatternsKeyInteg.KeyArn;
      expect(keyArn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
      expect(outcome.outputs.KmsPatternsKeyInteg.AliasName).toBe('alias/cdk-kms-patterns/integ/key');
      expect(lines).toEqual(expect.arrayContaining([
        `deploying KmsPatternsKeyInteg (test case) to aws://<account of your credentials>/${REGION}`,
        expect.stringMatching(/^deployed KmsPatternsKeyInteg in \d+s$/),
        'destroying KmsPatternsKeyInteg',
      ]));
      expect(await stackStatus('KmsPatternsKeyInteg')).toBe('gone');
      // moto removes the key with its stack at once; AWS would schedule it (PendingWindowInDays 7).
      await expect(clients.kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).rejects.toMatchObject({ name: 'NotFoundException' });
      expect(outcome.remaining).toEqual([]);
    });
  });

  describe('an app whose second stack fails, with resources its first stack retains', () => {
    let synthesized: SynthesizedApp;
    let kept: AppOutcome;
    beforeAll(async () => { synthesized = await localSynthesis('test/integ-local/fixtures/runner-fixture-app.ts'); });
    afterAll(async () => { await synthesized?.dispose(); });

    /** The retained resources of an outcome exist no more (the key is pending deletion); the bucket held `objects` versions. */
    async function expectRetainedRemoved(outcome: AppOutcome, objects: number): Promise<void> {
      const outputs = outcome.outputs.RunnerFixtureRetaining;
      const key = await clients.kms.send(new DescribeKeyCommand({ KeyId: outputs.KeyId }));
      expect(key.KeyMetadata?.KeyState).toBe('PendingDeletion');
      const logs = new CloudWatchLogsClient({ maxAttempts: 1 });
      const s3 = new S3Client({ maxAttempts: 1, forcePathStyle: true });
      expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: outputs.LogGroupName }))).logGroups).toEqual([]);
      await expect(s3.send(new HeadBucketCommand({ Bucket: outputs.BucketName }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      logs.destroy();
      s3.destroy();
      expect(outcome.removed).toEqual([
        expect.stringMatching(/^RunnerFixtureRetaining\/Logs\w+ \(AWS::Logs::LogGroup\) .*: deleted$/),
        expect.stringMatching(new RegExp(`^RunnerFixtureRetaining/Bucket\\w+ \\(AWS::S3::Bucket\\) .*: emptied \\(${objects} object versions\\) and deleted$`)),
        expect.stringMatching(/^RunnerFixtureRetaining\/Key\w+ \(AWS::KMS::Key\) .*: scheduled for deletion on /),
      ]);
    }

    test('--keep leaves the stacks deployed and prints the commands that delete them', async () => {
      const onlyFirst = (stack: PlannedStack) => stack.id === 'RunnerFixtureRetaining';
      kept = await runApp(synthesized, settings({ keep: true, deploys: onlyFirst }));
      expect(kept.problems).toEqual([]);
      expect(await stackStatus('RunnerFixtureRetaining')).toBe('CREATE_COMPLETE');
      expect(kept.remaining).toEqual([
        `stack RunnerFixtureRetaining (kept): aws cloudformation delete-stack --stack-name RunnerFixtureRetaining --region ${REGION}`,
      ]);
    });

    test('a failed deploy: the error that explains it, then every stack destroyed and what they retained removed', async () => {
      // The kept bucket gets an object: the runner must empty it before deleting it.
      const s3 = new S3Client({ maxAttempts: 1, forcePathStyle: true });
      await s3.send(new PutObjectCommand({ Bucket: kept.outputs.RunnerFixtureRetaining.BucketName, Key: 'left.txt', Body: 'left behind' }));
      s3.destroy();
      const ledger = new Ledger();
      const outcome = await runApp(synthesized, settings({ ledger }));
      expect(outcome.passed).toBe(false);
      expect(outcome.problems).toEqual([
        expect.stringMatching(/^deploy of RunnerFixtureFailing failed after \d+s: .*cdk-kms-patterns-runner-fixture-no-such-role/),
      ]);
      expect(lines).toEqual(expect.arrayContaining(['destroying RunnerFixtureFailing', 'destroying RunnerFixtureRetaining']));
      expect(await stackStatus('RunnerFixtureFailing')).toBe('gone');
      expect(await stackStatus('RunnerFixtureRetaining')).toBe('gone');
      await expectRetainedRemoved(outcome, 1);
      expect(outcome.remaining).toEqual([]);
      expect(ledger.remaining()).toEqual([]);
    });

    test('Ctrl-C after the first stack: the second is not deployed; the first is destroyed and what it retained removed', async () => {
      const interrupt = new Interrupt();
      const ledger = new Ledger();
      const outcome = await runApp(synthesized, settings({
        interrupt,
        ledger,
        log: (line) => {
          lines.push(line);
          if (line.startsWith('deployed RunnerFixtureRetaining')) { interrupt.request(); }
        },
      }));
      expect(outcome.problems).toEqual(['interrupted: RunnerFixtureFailing was not deployed']);
      expect(outcome.passed).toBe(false);
      expect(await stackStatus('RunnerFixtureRetaining')).toBe('gone');
      await expectRetainedRemoved(outcome, 0);
      expect(ledger.remaining()).toEqual([]);
    });
  });
});
