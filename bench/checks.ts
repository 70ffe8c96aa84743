import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { Variant } from './apps';
import { KmsChecks } from '../src';

/** What each variant runs at synth: both run AwsSolutionsChecks; the library adds KmsChecks. */
export function checksFor(variant: Variant, app: App): NagPack[] {
  const common = [new AwsSolutionsChecks(app)];
  if (variant === 'plain') { return common; }
  return [...common, new KmsChecks(app)];
}
