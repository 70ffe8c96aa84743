import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/** A problem found before anything was deployed, with what to do about it. */
export class PreflightError extends Error {
  constructor(message: string) {
    super(`${message}\nNothing was deployed.`);
    this.name = 'PreflightError';
  }
}

/** The SSM parameter `cdk bootstrap` writes (default qualifier), which every deploy of DefaultStackSynthesizer checks. */
export const BOOTSTRAP_VERSION_PARAMETER = '/cdk-bootstrap/hnb659fds/version';

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The Region to deploy to, as the AWS CLI would pick it: `--region`, AWS_REGION,
 * AWS_DEFAULT_REGION, then the profile's `region`. Throws a PreflightError when there is none or
 * it is not a Region name.
 */
export async function targetRegion(flag?: string): Promise<string> {
  const region = flag ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? await profileRegion();
  if (!region) {
    throw new PreflightError('No AWS Region: set AWS_REGION, give --region, or set a region in your AWS profile.');
  }
  checkRegionName(region);
  return region;
}

/** Throws a PreflightError naming `region` when it cannot be a Region name. */
export function checkRegionName(region: string): void {
  if (!REGION_NAME.test(region)) {
    throw new PreflightError(`'${region}' is not an AWS Region name (for example eu-west-1, us-east-1).`);
  }
}

async function profileRegion(): Promise<string | undefined> {
  const sts = new STSClient({});
  try {
    return await sts.config.region();
  } catch {
    return undefined;
  } finally {
    sts.destroy();
  }
}

/**
 * The account of the credentials, asked of STS in `region` (a regional endpoint, so a Region
 * that does not exist or is not enabled for the account shows here). Every failure becomes a
 * PreflightError that says what to fix.
 */
export async function callerAccount(region: string): Promise<string> {
  checkRegionName(region);
  const sts = new STSClient({ region, maxAttempts: 2 });
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    return Account!;
  } catch (err: any) {
    throw new PreflightError(explainStsFailure(err, region));
  } finally {
    sts.destroy();
  }
}

/** What an STS failure in `region` means for the person running the tests. */
export function explainStsFailure(err: { name?: string; code?: string; message?: string }, region: string): string {
  const text = `${err.name ?? ''} ${err.code ?? ''} ${err.message ?? ''}`;
  if (err.name === 'CredentialsProviderError' || /Could not load credentials/i.test(err.message ?? '')) {
    return 'No AWS credentials found. Set AWS_PROFILE (after `aws sso login` if it is an SSO profile), or'
      + ` AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run again. (${err.message})`;
  }
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(text)) {
    return `Cannot reach STS in '${region}': the Region does not exist, or this machine has no connection to AWS. (${err.message})`;
  }
  if (/ExpiredToken/.test(text)) {
    return `The AWS credentials have expired: refresh them (for SSO: aws sso login) and run again. (${err.message})`;
  }
  if (/InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch/.test(text)) {
    return `STS in '${region}' does not accept the credentials: they are wrong, or '${region}' is an opt-in Region`
      + ` not enabled for this account. (${err.name}: ${err.message})`;
  }
  return `Cannot check the credentials with STS in '${region}': ${err.name}: ${err.message}`;
}

/**
 * Throws a PreflightError when `aws://account/region` has no CDK bootstrap stack. An answer
 * other than "not found" (e.g. no ssm:GetParameter permission) is left for toolkit-lib to judge.
 */
export async function checkBootstrapped(account: string, region: string): Promise<void> {
  const ssm = new SSMClient({ region, maxAttempts: 2 });
  try {
    await ssm.send(new GetParameterCommand({ Name: BOOTSTRAP_VERSION_PARAMETER }));
  } catch (err: any) {
    if (err.name === 'ParameterNotFound') {
      throw new PreflightError(`aws://${account}/${region} is not bootstrapped for the CDK. Run once:\n  npx cdk bootstrap aws://${account}/${region}`);
    }
  } finally {
    ssm.destroy();
  }
}
