import { Duration, RemovalPolicy, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { newStack, normalized } from './template-support';
import { KEY_POLICY_SIDS, KmsChecks, XksKey, XksKeyStore, XksProxyConnectivity } from '../../src';
import { ACCOUNT, concrete, roleArn, simulate } from '../support/policy-simulation';

function roleStatements(template: Template, role: RegExp): any[] {
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => role.test(id))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

function xksStack() {
  const stack = newStack();
  const credential = secretsmanager.Secret.fromSecretNameV2(stack, 'ProxyCredential', 'xks/proxy-credential');
  const store = new XksKeyStore(stack, 'Store', {
    customKeyStoreName: 'payments-xks',
    proxyUriEndpoint: 'https://xks.example.com',
    proxyUriPath: '/example/kms/xks/v1',
    proxyAuthenticationCredential: credential,
  });
  return { stack, store, credential };
}

describe('XksKeyStore and XksKey, public endpoint', () => {
  const { stack, store, credential } = xksStack();
  const key = new XksKey(stack, 'Key', { keyStore: store, xksKeyId: 'payments-key-1', description: 'XKS payments key', aliases: ['payments/xks'] });
  const template = Template.fromStack(stack);

  test('the store: a custom resource with the proxy settings and the secret ARN, never the credential; RETAIN', () => {
    template.hasResource('Custom::KmsXksKeyStore', {
      Properties: {
        CustomKeyStoreName: 'payments-xks',
        XksProxyUriEndpoint: 'https://xks.example.com',
        XksProxyUriPath: '/example/kms/xks/v1',
        XksProxyConnectivity: 'PUBLIC_ENDPOINT',
        XksProxyVpcEndpointServiceName: Match.absent(),
        XksProxyVpcEndpointServiceOwner: Match.absent(),
        CredentialRevision: Match.absent(),
        XksProxyAuthenticationCredential: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const properties = Object.values(template.findResources('Custom::KmsXksKeyStore'))[0].Properties;
    expect(properties.CredentialSecretArn).toEqual(stack.resolve(credential.secretArn));
  });

  test('the store handler role: the custom key store actions, GetSecretValue on the one secret, nothing for VPC endpoints', () => {
    const statements = roleStatements(template, /XksKeyStoreProviderHandlerRole/);
    expect(statements).toContainEqual({
      Sid: 'ManageCustomKeyStores',
      Effect: 'Allow',
      Action: ['kms:ConnectCustomKeyStore', 'kms:CreateCustomKeyStore', 'kms:DeleteCustomKeyStore', 'kms:DescribeCustomKeyStores',
        'kms:DisconnectCustomKeyStore', 'kms:UpdateCustomKeyStore'],
      Resource: '*',
    });
    const read = statements.find((s) => s.Action === 'secretsmanager:GetSecretValue');
    expect(JSON.stringify(read.Resource)).toContain('secret:xks/proxy-credential-??????');
    expect(statements.flatMap((s) => [s.Action].flat())).not.toEqual(expect.arrayContaining(['ec2:DescribeVpcEndpointServices']));
    expect(statements.flatMap((s) => [s.Action].flat())).not.toEqual(expect.arrayContaining(['cloudhsm:DescribeClusters']));
  });

  test('the store waits with isComplete every 30 s, up to 50 minutes', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'xks-key-store.onEvent', Timeout: 840, Runtime: 'nodejs24.x' });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'xks-key-store.isComplete' });
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    expect(JSON.stringify(machine.Properties.DefinitionString)).toMatch(/\\"IntervalSeconds\\":30,\\"MaxAttempts\\":100/);
    expect(XksKeyStore.TOTAL_TIMEOUT.toMinutes()).toBe(50);
  });

  test('the key: a custom resource with Origin EXTERNAL_KEY_STORE, the xksKeyId, the store id and the key policy; RETAIN', () => {
    template.hasResource('Custom::KmsXksKey', {
      Properties: {
        CustomKeyStoreId: { Ref: stack.getLogicalId(store.resource.node.defaultChild as any) },
        Origin: 'EXTERNAL_KEY_STORE',
        XksKeyId: 'payments-key-1',
        Description: 'XKS payments key',
        PendingWindowInDays: 30,
        KeyPolicy: Match.objectLike({ Version: '2012-10-17' }),
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('the key policy: the four role-model statements, the symmetric admin list without rotation or import, the symmetric use list', () => {
    const statements = Object.values(template.findResources('Custom::KmsXksKey'))[0].Properties.KeyPolicy.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual([
      KEY_POLICY_SIDS.accountAdministration, KEY_POLICY_SIDS.keyAdministration, KEY_POLICY_SIDS.keyUsage, KEY_POLICY_SIDS.resourceGrants,
    ]);
    const admin = statements.find((s: any) => s.Sid === KEY_POLICY_SIDS.keyAdministration);
    expect(admin.Action).toEqual([
      'kms:CancelKeyDeletion', 'kms:CreateAlias', 'kms:DeleteAlias', 'kms:DescribeKey', 'kms:DisableKey', 'kms:EnableKey',
      'kms:GetKeyPolicy', 'kms:ListGrants', 'kms:ListKeyPolicies', 'kms:ListResourceTags', 'kms:PutKeyPolicy', 'kms:RevokeGrant',
      'kms:ScheduleKeyDeletion', 'kms:TagResource', 'kms:UntagResource', 'kms:UpdateAlias', 'kms:UpdateKeyDescription',
    ]);
    const usage = statements.find((s: any) => s.Sid === KEY_POLICY_SIDS.keyUsage);
    expect(usage.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
    const grants = statements.find((s: any) => s.Sid === KEY_POLICY_SIDS.resourceGrants);
    expect(grants.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': true } });
  });

  test('the key handler role may create only symmetric EXTERNAL_KEY_STORE keys and change only keys it tagged (its own tag, not the CloudHSM one)', () => {
    const statements = roleStatements(template, /XksKeyProviderHandlerRoleKeyManagement/);
    expect(statements.find((s) => s.Sid === 'CreateKeysInExternalKeyStores')).toEqual({
      Sid: 'CreateKeysInExternalKeyStores',
      Effect: 'Allow',
      Action: 'kms:CreateKey',
      Resource: '*',
      Condition: {
        'StringEquals': { 'kms:KeyOrigin': 'EXTERNAL_KEY_STORE', 'kms:KeySpec': 'SYMMETRIC_DEFAULT', 'kms:KeyUsage': 'ENCRYPT_DECRYPT' },
        'Bool': { 'kms:MultiRegion': 'false' },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['cdk-kms-patterns:xks-key'] },
      },
    });
    expect(statements.find((s) => s.Sid === 'ManageTaggedKeys')).toEqual(expect.objectContaining({
      Action: ['kms:CreateAlias', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:UpdateKeyDescription'],
      Condition: { Null: { 'aws:ResourceTag/cdk-kms-patterns:xks-key': 'false' } },
    }));
    expect(statements.find((s) => s.Sid === 'RecordKeysUnderRequestAliases')!.Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, expect.stringMatching(/:alias\/cdk-kms-patterns\/xks-key\/\*$/)]],
    });
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('kms:Decrypt');
    expect(statements.flatMap((s) => [s.Action].flat())).not.toContain('kms:ListKeys');
  });

  describe('judged by iam-simulate: the key handler role changes only keys with the XKS tag', () => {
    // Keys of this handler delegate to IAM through the account statement, as the KMS default does.
    const keyPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    const [, handlerPolicy] = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => /XksKeyProviderHandlerRoleKeyManagement/.test(id))!;
    const role = handlerPolicy.Properties.Roles[0].Ref;
    const identityPolicies = [concrete(handlerPolicy.Properties.PolicyDocument, 'eu-west-1')];
    const keyArn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    test.each([
      ['a key it tagged', 'Allowed', { 'aws:ResourceTag/cdk-kms-patterns:xks-key': 'Resource/request-1' }],
      ['a key of the CloudHSM key handler', 'ImplicitlyDenied', { 'aws:ResourceTag/cdk-kms-patterns:cloudhsm-key': 'Resource/request-1' }],
      ['an untagged key', 'ImplicitlyDenied', {}],
    ])('PutKeyPolicy on %s: %s', async (_name, expected, context) => {
      expect(await simulate(keyPolicy, { principal: roleArn(role), action: 'kms:PutKeyPolicy', context, identityPolicies, keyArn })).toBe(expected);
    });
  });

  test('the alias targets the key ARN and is retained; the key exposes the IKey contract', () => {
    const logicalId = stack.getLogicalId(key.resource.node.defaultChild as any);
    template.hasResource('AWS::KMS::Alias', { Properties: { AliasName: 'alias/payments/xks', TargetKeyId: { 'Fn::GetAtt': [logicalId, 'Arn'] } }, DeletionPolicy: 'Retain' });
    expect(stack.resolve(key.keyArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(key.keyId)).toEqual({ Ref: logicalId });
    expect(stack.resolve(store.customKeyStoreId)).toEqual({ Ref: stack.getLogicalId(store.resource.node.defaultChild as any) });
  });

  test('AwsSolutionsChecks has no findings', () => {
    expect(new AwsSolutionsChecks().validateScope(stack.node.root).violations).toEqual([]);
  });

  test('KmsChecks reads the key policy of the XKS key: only the deletion-monitor warning, as for any key alone in an app', () => {
    const report = new KmsChecks().validateScope(stack.node.root);
    expect(report.violations.map((v) => [v.ruleName, v.severity])).toEqual([['KmsChecks-KeyDeletionMonitored', 'warning']]);
    expect(JSON.stringify(report.violations)).toContain('Stack/Key/Resource');
  });

  test('matches the snapshot', () => {
    expect(normalized(template)).toMatchSnapshot();
  });
});

describe('XksKeyStore options', () => {
  test('VPC endpoint service connectivity: service name, owner, revision and DESTROY reach the template; the handler may read endpoint services', () => {
    const stack = newStack();
    new XksKeyStore(stack, 'Store', {
      customKeyStoreName: 'private-xks',
      proxyUriEndpoint: 'https://xks.private.example.com',
      proxyUriPath: '/kms/xks/v1',
      connectivity: XksProxyConnectivity.VPC_ENDPOINT_SERVICE,
      vpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
      vpcEndpointServiceOwner: '222222222222',
      proxyAuthenticationCredential: secretsmanager.Secret.fromSecretNameV2(stack, 'Credential', 'xks/credential'),
      credentialRevision: '2026-01',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = Template.fromStack(stack);
    template.hasResource('Custom::KmsXksKeyStore', {
      Properties: {
        XksProxyConnectivity: 'VPC_ENDPOINT_SERVICE',
        XksProxyVpcEndpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0',
        XksProxyVpcEndpointServiceOwner: '222222222222',
        CredentialRevision: '2026-01',
      },
      DeletionPolicy: 'Delete',
    });
    expect(roleStatements(template, /XksKeyStoreProviderHandlerRole/)).toContainEqual({
      Sid: 'DescribeVpcEndpointServices', Effect: 'Allow', Action: 'ec2:DescribeVpcEndpointServices', Resource: '*',
    });
  });

  test('a credential secret made in the app with a generated value of the right shape is accepted', () => {
    const stack = newStack();
    const credential = new secretsmanager.Secret(stack, 'Credential', {
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ AccessKeyId: 'ABCDEFGHIJKLMNOPQRST23' }),
        generateStringKey: 'RawSecretAccessKey',
        passwordLength: 64,
        excludePunctuation: true,
      },
    });
    expect(() => new XksKeyStore(stack, 'Store', {
      customKeyStoreName: 'x', proxyUriEndpoint: 'https://xks.example.com', proxyUriPath: '/kms/xks/v1', proxyAuthenticationCredential: credential,
    })).not.toThrow();
  });

  test('a key in an imported store, with a 7-day window and DESTROY; grants land in the KeyPolicy property', () => {
    const stack = newStack();
    const key = new XksKey(stack, 'Key', {
      keyStore: XksKeyStore.fromCustomKeyStoreId(stack, 'Store', 'cks-1234567890abcdef0'), xksKeyId: 'k', pendingWindow: Duration.days(7), removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grantDecrypt(new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    const template = Template.fromStack(stack);
    template.hasResource('Custom::KmsXksKey', { Properties: { CustomKeyStoreId: 'cks-1234567890abcdef0', PendingWindowInDays: 7 }, DeletionPolicy: 'Delete' });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    const statements = Object.values(template.findResources('Custom::KmsXksKey'))[0].Properties.KeyPolicy.Statement;
    expect(statements.find((s: any) => s.Sid === 'GrantDecrypt').Action).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
  });
});
