import { App, IPolicyValidationPluginBeta1 } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Variant } from './apps';

/** What each variant runs at synth: both run AwsSolutionsChecks; the library adds its own gate. */
export function checksFor(variant: Variant, app: App): IPolicyValidationPluginBeta1[] {
  const common = [new AwsSolutionsChecks(app)];
  if (variant === 'plain') { return common; }
  return [...common];
}
