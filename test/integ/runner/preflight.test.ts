import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { PreflightError, callerAccount, checkBootstrapped, explainStsFailure, targetRegion } from '../../../integ/runner/preflight';

const savedEnv = { ...process.env };
beforeEach(() => {
  for (const name of Object.keys(process.env).filter((n) => n.startsWith('AWS_'))) { delete process.env[name]; }
  // No profile, no instance metadata: the SDK's credential chain finds nothing, quickly.
  Object.assign(process.env, { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' });
});
afterAll(() => { process.env = savedEnv; });

describe('the Region', () => {
  test('comes from --region, then AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    process.env.AWS_DEFAULT_REGION = 'eu-central-1';
    expect(await targetRegion()).toBe('eu-central-1');
    process.env.AWS_REGION = 'eu-west-1';
    expect(await targetRegion()).toBe('eu-west-1');
    expect(await targetRegion('us-east-2')).toBe('us-east-2');
  });

  test('none at all, or not a Region name, stops the run before anything is deployed', async () => {
    await expect(targetRegion()).rejects.toThrow(new PreflightError('No AWS Region: set AWS_REGION, give --region, or set a region in your AWS profile.'));
    await expect(targetRegion('eu_west_1')).rejects.toThrow("'eu_west_1' is not an AWS Region name (for example eu-west-1, us-east-1).\nNothing was deployed.");
  });
});

describe('the credentials', () => {
  test('none in the environment: says how to provide them (the real SDK credential chain, no mock)', async () => {
    await expect(callerAccount('eu-west-1')).rejects.toThrow(/^No AWS credentials found\. Set AWS_PROFILE .*\nNothing was deployed\.$/s);
  });

  test('the account of the credentials, from STS in the Region', async () => {
    const sts = mockClient(STSClient).on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
    try {
      expect(await callerAccount('eu-west-1')).toBe('123456789012');
      expect(await sts.call(0).thisValue.config.region()).toBe('eu-west-1');
    } finally {
      sts.restore();
    }
  });

  test.each([
    [{ name: 'Error', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND sts.eu-wst-1.amazonaws.com' }, /^Cannot reach STS in 'eu-wst-1': the Region does not exist/],
    [{ name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' }, /'eu-wst-1' is an opt-in Region not enabled for this account/],
    [{ name: 'ExpiredToken', message: 'The security token included in the request is expired' }, /^The AWS credentials have expired/],
    [{ name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' }, /^No AWS credentials found/],
    [{ name: 'Throttling', message: 'Rate exceeded' }, /^Cannot check the credentials with STS in 'eu-wst-1': Throttling: Rate exceeded$/],
  ])('an STS failure (%j) is explained', (err, explanation) => {
    expect(explainStsFailure(err, 'eu-wst-1')).toMatch(explanation);
  });
});

describe('the bootstrap stack', () => {
  const ssm = mockClient(SSMClient);
  afterEach(() => ssm.reset());
  afterAll(() => ssm.restore());

  test('missing: the command that bootstraps the environment', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('Parameter not found'), { name: 'ParameterNotFound' }));
    await expect(checkBootstrapped('123456789012', 'eu-west-1')).rejects.toThrow(
      'aws://123456789012/eu-west-1 is not bootstrapped for the CDK. Run once:\n  npx cdk bootstrap aws://123456789012/eu-west-1\nNothing was deployed.');
  });

  test('present, or not readable with these permissions (toolkit-lib checks it again with the deploy role): no objection', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '27' } });
    await expect(checkBootstrapped('123456789012', 'eu-west-1')).resolves.toBeUndefined();
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    await expect(checkBootstrapped('123456789012', 'eu-west-1')).resolves.toBeUndefined();
    expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({ Name: '/cdk-bootstrap/hnb659fds/version' });
  });
});
