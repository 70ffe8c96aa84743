import { CustomResource, Duration, Resource, Stack, Validations, aws_cloudwatch as cloudwatch, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { fail } from '../errors';
import { CustomerManagedKey } from '../key/customer-managed-key';
import { KeyOrigin } from '../key/key-origin';
import { HandlerProvider } from './private/handler-provider';
import { validateExpiryWarning, validateImportableKeySpec, validateValidTo } from './private/imported-material-validation';
import { grantSecretRead } from './private/secret-access';
import { validateSecretProp } from './private/secret-validation';

/** Properties of an {@link ImportedKeyMaterial}. */
export interface ImportedKeyMaterialProps {
  /**
   * The key to import into. It must have `origin: KeyOrigin.EXTERNAL` and be in the same stack
   * as this construct. Supported key specs: SYMMETRIC_DEFAULT, the HMAC specs and the
   * ECC specs (ECC_NIST_P256/P384/P521, ECC_SECG_P256K1), which KMS accepts wrapped with
   * RSAES_OAEP_SHA_256.
   */
  readonly key: CustomerManagedKey;

  /**
   * The Secrets Manager secret that holds the key material: its binary value (SecretBinary) as
   * raw bytes, or its string value as base64. A symmetric key takes exactly 32 bytes; an ECC key
   * takes its private key as PKCS #8 DER. The handler reads it at deploy time, wraps it with the
   * public key KMS gives for this one import and sends only the wrapped bytes to KMS; the material
   * never appears in the template, the custom resource properties or a log.
   */
  readonly keyMaterialSecret: secretsmanager.ISecret;

  /**
   * When the imported material expires. KMS then deletes it and the key becomes unusable until
   * the same material is imported again. KMS accepts at most 365 days from the import. Changing
   * it reimports the material with the new date.
   *
   * @default - the material does not expire (KEY_MATERIAL_DOES_NOT_EXPIRE)
   */
  readonly validTo?: Date;

  /**
   * How long before `validTo` the expiry alarm goes off. Only with `validTo`.
   *
   * @default Duration.days(30)
   */
  readonly expiryWarning?: Duration;

  /**
   * Any string you change to make the next deployment import the material again, e.g. after
   * the material was deleted or expired outside CloudFormation. CloudFormation cannot see a
   * secret's value change by itself.
   *
   * @default - no revision; the material is imported when this resource is created or changed
   */
  readonly materialRevision?: string;

  /**
   * Whether removing this resource from the stack deletes the imported material from the key
   * (DeleteImportedKeyMaterial). The key is then unusable until the same material is imported
   * again; data encrypted under it is lost if the material is lost.
   *
   * @default false
   */
  readonly deleteMaterialOnRemoval?: boolean;
}

/**
 * Key material you bring (BYOK), imported into a KMS key with origin EXTERNAL.
 *
 * CloudFormation cannot import key material, so a custom resource does what the KMS guide
 * describes: GetParametersForImport (an RSA_4096 wrapping key and an import token), wrapping with
 * RSAES_OAEP_SHA_256, ImportKeyMaterial. KMS accepts only the material first imported into a
 * key; importing other material fails with an explanation. With `validTo`, an alarm on
 * `SecondsUntilKeyMaterialExpiration` warns 30 days (by default) before the key stops working.
 *
 * The handler role is named in the key policy for these import actions only, so the import works
 * whether or not the key delegates administration to IAM.
 */
export class ImportedKeyMaterial extends Resource {
  /** The key the material is imported into. */
  public readonly key: CustomerManagedKey;
  /** The custom resource that imports the material. */
  public readonly resource: CustomResource;
  /** The alarm on the material's expiry; only when `validTo` is set. */
  public readonly expiryAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ImportedKeyMaterialProps) {
    super(scope, id);
    this.key = props.key;
    validateSecretProp(this, 'keyMaterialSecret', props.keyMaterialSecret, 'the key material');
    if (props.key.cfnKey.origin !== KeyOrigin.EXTERNAL) {
      fail(this, `'key' has origin ${JSON.stringify(props.key.cfnKey.origin ?? KeyOrigin.AWS_KMS)}: KMS imports material only into keys created without it. Received: key ${props.key.node.path}. Allowed: a CustomerManagedKey with origin KeyOrigin.EXTERNAL`);
    }
    validateImportableKeySpec(this, props.key.cfnKey.keySpec);
    this.requireSameStack(props.key);
    this.requireOnlyImportOf(props.key);
    const validTo = props.validTo === undefined ? undefined : validateValidTo(this, props.validTo);
    if (props.expiryWarning !== undefined && validTo === undefined) {
      fail(this, "'expiryWarning' is set but 'validTo' is not: material that does not expire has no expiry to warn of. Allowed: set validTo, or leave expiryWarning unset");
    }

    const provider = HandlerProvider.of(this, {
      id: 'CdkKmsPatternsImportedKeyMaterialProvider',
      module: 'imported-key-material',
      asynchronous: false,
      purpose: 'imported key material',
    });
    grantSecretRead(provider.handlerRole, props.keyMaterialSecret);
    props.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ImportKeyMaterial',
      principals: [provider.handlerRole],
      actions: [
        'kms:DescribeKey', 'kms:GetParametersForImport', 'kms:ImportKeyMaterial',
        ...(props.deleteMaterialOnRemoval ? ['kms:DeleteImportedKeyMaterial'] : []),
      ],
      resources: ['*'],
    }));

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::KmsImportedKeyMaterial',
      properties: {
        KeyId: props.key.keyId,
        KeyMaterialSecretArn: props.keyMaterialSecret.secretArn,
        ValidTo: validTo?.toISOString(),
        MaterialRevision: props.materialRevision,
        DeleteMaterialOnRemoval: props.deleteMaterialOnRemoval ?? false,
      },
    });
    // The handler's permission to read the secret must exist before it runs.
    this.resource.node.addDependency(provider.handlerRole);
    Validations.of(props.key.cfnKey).acknowledge({
      id: 'AwsSolutions-KMS5',
      reason: 'KMS cannot rotate imported (EXTERNAL) key material automatically. Rotate by importing into a new key and moving the alias.',
    });

    if (validTo) {
      const warning = validateExpiryWarning(this, props.expiryWarning ?? Duration.days(30));
      this.expiryAlarm = new cloudwatch.Alarm(this, 'ExpiryAlarm', {
        metric: this.metricSecondsUntilKeyMaterialExpiration(),
        threshold: warning.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // No data (yet) keeps the alarm's last state: a fresh alarm does not fire before KMS
        // publishes the first data point, and one that fired stays in ALARM.
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
        alarmDescription: `The imported key material of KMS key ${props.key.node.path} expires in ${warning.toDays()} days or less (validTo ${validTo.toISOString()}). `
          + 'Import the same material again with a later validTo (change validTo and deploy), or the key stops working.',
      });
    }
  }

  /**
   * The seconds until the imported material expires (AWS/KMS SecondsUntilKeyMaterialExpiration,
   * dimension KeyId), minimum over one hour. KMS publishes it only for material that expires.
   */
  public metricSecondsUntilKeyMaterialExpiration(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/KMS',
      metricName: 'SecondsUntilKeyMaterialExpiration',
      dimensionsMap: { KeyId: this.key.keyId },
      statistic: cloudwatch.Stats.MINIMUM,
      period: Duration.hours(1),
      unit: cloudwatch.Unit.SECONDS,
      ...props,
    });
  }

  /**
   * The key policy names the handler role, and the custom resource refers to the key: in two
   * stacks that is a reference each way. One stack also keeps the import in the key's account
   * and Region, the only place KMS accepts it.
   */
  private requireSameStack(key: CustomerManagedKey): void {
    if (Stack.of(key) !== Stack.of(this)) {
      fail(this, `'key' is in stack ${Stack.of(key).node.path}, this construct in stack ${Stack.of(this).node.path}. Allowed: create the ImportedKeyMaterial in the key's stack`);
    }
  }

  /** KMS holds one material per key: a second import of other material could only fail. */
  private requireOnlyImportOf(key: CustomerManagedKey): void {
    const others = this.node.root.node.findAll()
      .filter((construct) => construct !== this && construct instanceof ImportedKeyMaterial && construct.key === key);
    if (others.length > 0) {
      fail(this, `'key' ${key.node.path} already has its material imported by ${others[0].node.path}. Allowed: one ImportedKeyMaterial per key`);
    }
  }
}
