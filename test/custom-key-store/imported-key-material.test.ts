import { Duration, RemovalPolicy, aws_kms as kms, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { newStack, normalized } from './template-support';
import { CustomerManagedKey, ImportedKeyMaterial, KeyOrigin } from '../../src';

const DAY = 86_400_000;

function keyPolicyStatement(template: Template, sid: string): any {
  const key = Object.values(template.findResources('AWS::KMS::Key'))[0];
  return key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === sid);
}

function handlerRoleStatements(template: Template): any[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => /ImportedKeyMaterialProviderHandlerRole/.test(id))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

describe('ImportedKeyMaterial, material that does not expire', () => {
  const stack = newStack();
  const key = new CustomerManagedKey(stack, 'Key', { origin: KeyOrigin.EXTERNAL, aliases: ['byok/data'] });
  const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'MaterialSecret', 'byok/data-key');
  const material = new ImportedKeyMaterial(stack, 'Material', { key, keyMaterialSecret: secret });
  const template = Template.fromStack(stack);

  test('a custom resource with the key id and the secret ARN, never the material; DESTROY (the key itself is RETAIN)', () => {
    template.hasResource('Custom::KmsImportedKeyMaterial', {
      Properties: {
        KeyId: { Ref: stack.getLogicalId(key.cfnKey) },
        ValidTo: Match.absent(),
        MaterialRevision: Match.absent(),
        DeleteMaterialOnRemoval: false,
      },
      DeletionPolicy: 'Delete',
    });
    const properties = Object.values(template.findResources('Custom::KmsImportedKeyMaterial'))[0].Properties;
    expect(stack.resolve(secret.secretArn)).toEqual(properties.KeyMaterialSecretArn);
    expect(Object.keys(properties).sort()).toEqual(['DeleteMaterialOnRemoval', 'KeyId', 'KeyMaterialSecretArn', 'ServiceToken']);
    template.hasResource('AWS::KMS::Key', { Properties: { Origin: 'EXTERNAL' }, DeletionPolicy: 'Retain' });
  });

  test('the key policy names the handler role for the import actions only, not for DeleteImportedKeyMaterial', () => {
    expect(keyPolicyStatement(template, 'ImportKeyMaterial')).toEqual({
      Sid: 'ImportKeyMaterial',
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [expect.stringMatching(/^CdkKmsPatternsImportedKeyMaterialProviderHandlerRole/), 'Arn'] } },
      Action: ['kms:DescribeKey', 'kms:GetParametersForImport', 'kms:ImportKeyMaterial'],
      Resource: '*',
    });
  });

  test('administrators keep the import actions (EXTERNAL origin); users get none of them', () => {
    expect(keyPolicyStatement(template, 'KeyAdministration').Action).toEqual(expect.arrayContaining(['kms:DeleteImportedKeyMaterial', 'kms:GetParametersForImport', 'kms:ImportKeyMaterial']));
    expect(keyPolicyStatement(template, 'KeyUsage').Action.filter((action: string) => /Import/.test(action))).toEqual([]);
  });

  test('the handler role may read that one secret and nothing else; no KMS action in its identity policy', () => {
    const statements = handlerRoleStatements(template);
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: expect.objectContaining({ 'Fn::Join': expect.anything() }) });
    expect(JSON.stringify(statements.find((s) => s.Action === 'secretsmanager:GetSecretValue').Resource)).toContain('secret:byok/data-key-??????');
    expect(statements.flatMap((s) => [s.Action].flat()).filter((action: string) => action.startsWith('kms:'))).toEqual([]);
  });

  test('the import runs after the handler may read the secret, and after the key (its policy names the role)', () => {
    const resource = Object.values(template.findResources('Custom::KmsImportedKeyMaterial'))[0];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/ImportedKeyMaterialProviderHandlerRoleDefaultPolicy/)]));
  });

  test('no alarm: material that does not expire has no expiry metric', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    expect(material.expiryAlarm).toBeUndefined();
  });

  test('one synchronous handler on the latest Node.js runtime', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'imported-key-material.onEvent', Runtime: 'nodejs24.x' });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  test('AwsSolutionsChecks has no findings; KMS5 (rotation) is acknowledged on the key: KMS cannot rotate imported material', () => {
    expect(new AwsSolutionsChecks().validateScope(stack.node.root).violations).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(normalized(template)).toMatchSnapshot();
  });
});

describe('ImportedKeyMaterial, expiring material', () => {
  const validTo = new Date(Date.now() + 180 * DAY);
  const stack = newStack();
  const key = new CustomerManagedKey(stack, 'Key', { origin: KeyOrigin.EXTERNAL });
  const material = new ImportedKeyMaterial(stack, 'Material', {
    key,
    keyMaterialSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'byok/key'),
    validTo,
    materialRevision: '2026-01',
    deleteMaterialOnRemoval: true,
  });
  const template = Template.fromStack(stack);

  test('ValidTo, revision and deleteMaterialOnRemoval reach the custom resource', () => {
    template.hasResourceProperties('Custom::KmsImportedKeyMaterial', {
      ValidTo: validTo.toISOString(), MaterialRevision: '2026-01', DeleteMaterialOnRemoval: true,
    });
  });

  test('deleteMaterialOnRemoval adds DeleteImportedKeyMaterial to the handler role\'s key policy statement', () => {
    expect(keyPolicyStatement(template, 'ImportKeyMaterial').Action).toEqual(
      ['kms:DescribeKey', 'kms:GetParametersForImport', 'kms:ImportKeyMaterial', 'kms:DeleteImportedKeyMaterial']);
  });

  test('an alarm on SecondsUntilKeyMaterialExpiration of this key, 30 days before', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/KMS',
      MetricName: 'SecondsUntilKeyMaterialExpiration',
      Dimensions: [{ Name: 'KeyId', Value: { Ref: stack.getLogicalId(key.cfnKey) } }],
      Statistic: 'Minimum',
      Period: 3600,
      Unit: 'Seconds',
      Threshold: 30 * 86_400,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'missing',
      AlarmDescription: Match.stringLikeRegexp(`expires in 30 days or less \\(validTo ${validTo.toISOString().replace(/\./g, '\\.')}\\)`),
    });
    expect(material.expiryAlarm).toBeDefined();
  });

  test('expiryWarning moves the threshold', () => {
    const other = newStack();
    const otherKey = new CustomerManagedKey(other, 'Key', { origin: KeyOrigin.EXTERNAL });
    new ImportedKeyMaterial(other, 'Material', {
      key: otherKey, keyMaterialSecret: secretsmanager.Secret.fromSecretNameV2(other, 'Secret', 'byok/key'), validTo, expiryWarning: Duration.days(7),
    });
    Template.fromStack(other).hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 7 * 86_400 });
  });
});

describe('ImportedKeyMaterial options', () => {
  test('materials for two keys in one stack share one provider; each key policy names its role', () => {
    const stack = newStack();
    for (const name of ['A', 'B']) {
      const key = new CustomerManagedKey(stack, `Key${name}`, { origin: KeyOrigin.EXTERNAL, keySpec: name === 'A' ? kms.KeySpec.SYMMETRIC_DEFAULT : kms.KeySpec.HMAC_256 });
      new ImportedKeyMaterial(stack, `Material${name}`, { key, keyMaterialSecret: secretsmanager.Secret.fromSecretNameV2(stack, `Secret${name}`, `byok/${name}`) });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 2); // the handler and the provider framework
    for (const key of Object.values(template.findResources('AWS::KMS::Key'))) {
      expect(key.Properties.KeyPolicy.Statement.map((s: any) => s.Sid)).toContain('ImportKeyMaterial');
    }
  });

  test('a secret with a customer managed key: the handler may decrypt with it', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key', { origin: KeyOrigin.EXTERNAL });
    const secretKey = new kms.Key(stack, 'SecretKey', { removalPolicy: RemovalPolicy.DESTROY });
    new ImportedKeyMaterial(stack, 'Material', { key, keyMaterialSecret: new secretsmanager.Secret(stack, 'Secret', { encryptionKey: secretKey }) });
    expect(handlerRoleStatements(Template.fromStack(stack))).toContainEqual(expect.objectContaining({ Action: 'kms:Decrypt' }));
  });

  test('the metric for dashboards: AWS/KMS SecondsUntilKeyMaterialExpiration by KeyId, minimum', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'Key', { origin: KeyOrigin.EXTERNAL });
    const material = new ImportedKeyMaterial(stack, 'Material', { key, keyMaterialSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Secret', 'byok/key') });
    const metric = material.metricSecondsUntilKeyMaterialExpiration({ period: Duration.days(1) });
    expect(metric.namespace).toBe('AWS/KMS');
    expect(metric.metricName).toBe('SecondsUntilKeyMaterialExpiration');
    expect(metric.statistic).toBe('Minimum');
    expect(metric.period.toDays()).toBe(1);
    expect(stack.resolve(metric.dimensions)).toEqual({ KeyId: { Ref: stack.getLogicalId(key.cfnKey) } });
  });
});
