/**
 * Runs before every test file (jest `setupFiles`).
 *
 * aws-cdk-lib (2.27x) checks every synthesized template against the CloudFormation resource
 * schemas unless CDK_VALIDATION is "false". That first check costs about 7 CPU seconds in each
 * fresh module registry, and jest gives every test file one: it was most of `npm test`'s time.
 * The unit tests assert nothing about it, so they run without it, and one suite
 * (test/examples/cloudformation-validation.test.ts) keeps it on for every example a user copies.
 * Set KMS_PATTERNS_CFN_VALIDATION=1 to keep it on everywhere.
 */
if (process.env.KMS_PATTERNS_CFN_VALIDATION !== '1') {
  process.env.CDK_VALIDATION = 'false';
}
