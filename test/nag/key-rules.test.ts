import { CfnParameter, Duration, RemovalPolicy, aws_kms as kms } from 'aws-cdk-lib';
import { Expect, newStack, validateStack, violationsOf } from './validate';

describe('KmsChecks-KeyRotationEnabled', () => {
  test('a symmetric key without rotation is non-compliant', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: false });
    validateStack(stack, 'KmsChecks-KeyRotationEnabled', Expect.NON_COMPLIANCE);
  });

  test('a CfnKey that leaves EnableKeyRotation out is non-compliant', () => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', { keyPolicy: {} });
    validateStack(stack, 'KmsChecks-KeyRotationEnabled', Expect.NON_COMPLIANCE);
  });

  test('a rotating symmetric key is compliant', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: true });
    validateStack(stack, 'KmsChecks-KeyRotationEnabled', Expect.COMPLIANCE);
  });

  test.each([
    ['an HMAC key', { keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' }],
    ['an asymmetric signing key', { keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' }],
    ['a key with imported material', { origin: 'EXTERNAL' }],
  ])('%s cannot rotate and is not applicable', (_name, props) => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', { keyPolicy: {}, ...props });
    validateStack(stack, 'KmsChecks-KeyRotationEnabled', Expect.COMPLIANCE);
  });

  test('an escape-hatch override that turns rotation off is seen', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    (key.node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false);
    validateStack(stack, 'KmsChecks-KeyRotationEnabled', Expect.NON_COMPLIANCE);
  });

  test('rotation decided by a parameter is reported as CannotEvaluate, not passed', () => {
    const stack = newStack();
    const rotate = new CfnParameter(stack, 'Rotate', { type: 'String' });
    new kms.CfnKey(stack, 'Key', { keyPolicy: {}, enableKeyRotation: rotate.valueAsString as any });
    expect(violationsOf(stack, 'KmsChecks-KeyRotationEnabled')).toEqual({
      'KmsChecks-KeyRotationEnabled[CannotEvaluate]': ['Stack/Key'],
    });
  });
});

describe('KmsChecks-KeyRotationPeriodWithinMaximum', () => {
  test.each([366, 2560])('a period of %d days exceeds the default maximum of 365', (days) => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: true, rotationPeriod: Duration.days(days) });
    validateStack(stack, 'KmsChecks-KeyRotationPeriodWithinMaximum', Expect.NON_COMPLIANCE);
  });

  test.each([90, 365])('a period of %d days is within the default maximum', (days) => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: true, rotationPeriod: Duration.days(days) });
    validateStack(stack, 'KmsChecks-KeyRotationPeriodWithinMaximum', Expect.COMPLIANCE);
  });

  test('an absent period means 365 days, which exceeds a configured maximum of 180', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: true });
    validateStack(stack, 'KmsChecks-KeyRotationPeriodWithinMaximum', Expect.COMPLIANCE);
    validateStack(stack, 'KmsChecks-KeyRotationPeriodWithinMaximum', Expect.NON_COMPLIANCE, { maximumRotationPeriod: Duration.days(180) });
  });

  test('a key that does not rotate is left to KeyRotationEnabled', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: false });
    validateStack(stack, 'KmsChecks-KeyRotationPeriodWithinMaximum', Expect.COMPLIANCE);
  });
});

describe('KmsChecks-KeyPendingWindowAtLeastMinimum', () => {
  test.each([7, 29])('a window of %d days is below the default minimum of 30', (days) => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { pendingWindow: Duration.days(days) });
    validateStack(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum', Expect.NON_COMPLIANCE);
  });

  test('an absent window means 30 days and is compliant', () => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', { keyPolicy: {} });
    validateStack(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum', Expect.COMPLIANCE);
  });

  test('a configured minimum of 7 days accepts a 7-day window', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { pendingWindow: Duration.days(7) });
    validateStack(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum', Expect.COMPLIANCE, { minimumPendingWindow: Duration.days(7) });
  });

  test('a replica key with a short window is non-compliant', () => {
    const stack = newStack();
    new kms.CfnReplicaKey(stack, 'Replica', { keyPolicy: {}, primaryKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/mrk-1', pendingWindowInDays: 10 });
    validateStack(stack, 'KmsChecks-KeyPendingWindowAtLeastMinimum', Expect.NON_COMPLIANCE);
  });
});

describe('KmsChecks-KeyRetained', () => {
  test('a key and an alias destroyed on removal are reported with the missing policies', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { removalPolicy: RemovalPolicy.DESTROY });
    key.addAlias('alias/app');
    expect(violationsOf(stack, 'KmsChecks-KeyRetained')).toEqual({
      'KmsChecks-KeyRetained[DeletionPolicy]': ['Stack/Key/Resource', 'Stack/Key/Alias/Resource'],
      'KmsChecks-KeyRetained[UpdateReplacePolicy]': ['Stack/Key/Resource', 'Stack/Key/Alias/Resource'],
    });
  });

  test('a CfnKey without policies is non-compliant (CloudFormation deletes by default)', () => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', { keyPolicy: {} });
    validateStack(stack, 'KmsChecks-KeyRetained', Expect.NON_COMPLIANCE);
  });

  test('a retained key with a retained alias is compliant', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { removalPolicy: RemovalPolicy.RETAIN });
    new kms.Alias(stack, 'Alias', { aliasName: 'alias/app', targetKey: key, removalPolicy: RemovalPolicy.RETAIN });
    validateStack(stack, 'KmsChecks-KeyRetained', Expect.COMPLIANCE);
  });

  test('kms.Key.addAlias leaves the alias deletable: the aws-cdk 38217 outage', () => {
    const stack = newStack();
    new kms.Key(stack, 'Key', { removalPolicy: RemovalPolicy.RETAIN }).addAlias('alias/app');
    expect(Object.values(violationsOf(stack, 'KmsChecks-KeyRetained')).flat()).toEqual(['Stack/Key/Alias/Resource', 'Stack/Key/Alias/Resource']);
  });
});

describe('KmsChecks-KeyPolicyLockoutSafetyCheckKept', () => {
  test('BypassPolicyLockoutSafetyCheck true is non-compliant', () => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', { keyPolicy: {}, bypassPolicyLockoutSafetyCheck: true });
    validateStack(stack, 'KmsChecks-KeyPolicyLockoutSafetyCheckKept', Expect.NON_COMPLIANCE);
  });

  test.each([false, undefined])('BypassPolicyLockoutSafetyCheck %s is compliant', (bypass) => {
    const stack = newStack();
    new kms.CfnKey(stack, 'Key', { keyPolicy: {}, bypassPolicyLockoutSafetyCheck: bypass });
    validateStack(stack, 'KmsChecks-KeyPolicyLockoutSafetyCheckKept', Expect.COMPLIANCE);
  });
});
