/**
 * Run (needs your cluster; see README, "HSM-backed keys"):
 *   npx cdk synth --app "npx ts-node --prefer-ts-exts examples/hsm-backed-key/app.ts" \
 *     -c cloudHsmClusterId=cluster-abcdefghijk -c trustAnchorCertificate="$(cat customerCA.crt)" \
 *     -c kmsUserSecretName=kms/kmsuser
 */
import { App } from 'aws-cdk-lib';
import { buildHsmExample } from './stack';

const app = new App();
buildHsmExample(app, {
  cloudHsmClusterId: app.node.getContext('cloudHsmClusterId'),
  trustAnchorCertificate: app.node.getContext('trustAnchorCertificate'),
  kmsUserSecretName: app.node.tryGetContext('kmsUserSecretName') ?? 'kms/kmsuser',
});
app.synth();
