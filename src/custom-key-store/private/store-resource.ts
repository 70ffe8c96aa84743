import { CustomResource, Duration, RemovalPolicy, Resource, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { HandlerProvider } from './handler-provider';
import { grantSecretRead } from './secret-access';
import { fail } from '../../errors';

/** How long a store create or update may take; connecting alone can take 20 minutes. */
export const STORE_TOTAL_TIMEOUT = Duration.minutes(50);

/** What differs between the custom resources of the two store types. */
export interface StoreResourceOptions {
  readonly providerId: string;
  /** The handler module in handler/. */
  readonly module: string;
  readonly purpose: string;
  readonly resourceType: string;
  /** Actions besides the custom key store actions that the store's handler needs. */
  readonly extraActions: string[];
  /** The secret the handler reads at run time (password or credential). */
  readonly secret: secretsmanager.ISecret;
  readonly removalPolicy?: RemovalPolicy;
  readonly properties: Record<string, unknown>;
}

/**
 * The custom resource of a custom key store, on the stack's shared asynchronous provider for its
 * store type (isComplete every 30 s, up to 50 minutes). RETAIN unless told otherwise.
 */
export function createStoreResource(scope: Construct, options: StoreResourceOptions): { resource: CustomResource; handlerRole: iam.Role } {
  const removalPolicy = options.removalPolicy ?? RemovalPolicy.RETAIN;
  if (removalPolicy === RemovalPolicy.SNAPSHOT) {
    fail(scope, "'removalPolicy' value SNAPSHOT is not possible for a custom key store. Allowed: RETAIN, RETAIN_ON_UPDATE_OR_DELETE, DESTROY");
  }
  const provider = HandlerProvider.of(scope, {
    id: options.providerId,
    module: options.module,
    asynchronous: true,
    purpose: options.purpose,
    totalTimeout: STORE_TOTAL_TIMEOUT,
    queryInterval: Duration.seconds(30),
  });
  grantStoreManagement(provider.handlerRole, options.extraActions);
  grantSecretRead(provider.handlerRole, options.secret);
  const resource = new CustomResource(scope, 'Resource', {
    serviceToken: provider.serviceToken,
    resourceType: options.resourceType,
    removalPolicy,
    properties: options.properties,
  });
  resource.node.addDependency(provider.handlerRole);
  return { resource, handlerRole: provider.handlerRole };
}

/** The custom key store actions; no resource-level permissions exist for them. */
function grantStoreManagement(role: iam.Role, extraActions: string[]): void {
  if (role.node.tryFindChild('KeyStoreManagement')) { return; }
  role.attachInlinePolicy(new iam.Policy(role, 'KeyStoreManagement', {
    statements: [new iam.PolicyStatement({
      sid: 'ManageCustomKeyStores',
      actions: [
        ...extraActions,
        'kms:ConnectCustomKeyStore',
        'kms:CreateCustomKeyStore',
        'kms:DeleteCustomKeyStore',
        'kms:DescribeCustomKeyStores',
        'kms:DisconnectCustomKeyStore',
        'kms:UpdateCustomKeyStore',
      ],
      resources: ['*'],
    })],
  }));
}

/** A store created outside this app, known by its id. */
export class ImportedStore extends Resource {
  constructor(scope: Construct, id: string, public readonly customKeyStoreId: string) {
    super(scope, id);
  }
}
