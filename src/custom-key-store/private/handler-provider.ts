import { Construct } from 'constructs';
import { HANDLER_DIR } from './handler-code';
import { HandlerProvider as SharedProvider, HandlerProviderOptions } from '../../shared/handler-provider';

const WILDCARD_RESOURCE_REASON = 'These actions have no resource-level permissions: the custom key store actions, cloudhsm:DescribeClusters, '
  + 'kms:CreateKey (limited by conditions to symmetric keys of the store type: AWS_CLOUDHSM or EXTERNAL_KEY_STORE), ec2:DescribeVpcEndpointServices, '
  + 'and the log delivery actions of the waiter state machine.';

/** The shared custom resource provider, bound to the custom key store handlers of handler/. */
export const HandlerProvider = {
  of(scope: Construct, options: Omit<HandlerProviderOptions, 'handlerDir' | 'wildcardResourceReason'>): SharedProvider {
    return SharedProvider.of(scope, { ...options, handlerDir: HANDLER_DIR, wildcardResourceReason: WILDCARD_RESOURCE_REASON });
  },
};
