import { App, Duration, PhysicalName, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, PRIMARY_ARN as MRK_ARN, twoRegionStacks as stacks } from './multi-region-fixtures';
import { CustomerManagedKey, CustomerManagedKeyProps, ReplicaKey, ReplicaKeyProps } from '../../src';

/** Builds a primary (multi-Region unless told) and one replica, and synthesizes both. */
function replicate(primaryProps: CustomerManagedKeyProps, replicaProps: object = {}): () => void {
  return () => {
    const { primaryStack, replicaStack } = stacks();
    const primary = new CustomerManagedKey(primaryStack, 'Key', { multiRegion: true, ...primaryProps });
    primary.addReplica(replicaStack, 'Key', replicaProps);
    Template.fromStack(replicaStack);
  };
}

function byArn(props: Partial<ReplicaKeyProps>, region = 'eu-central-1'): () => void {
  return () => {
    const stack = new Stack(new App(), 'Replica', { env: { account: ACCOUNT, region } });
    new ReplicaKey(stack, 'Key', props as ReplicaKeyProps);
    Template.fromStack(stack);
  };
}

describe('bad replica input is a synth-time error naming the problem', () => {
  test('a primary that is not multi-Region', () => {
    expect(replicate({ multiRegion: false })).toThrow(/'primaryKey' Primary\/Key is not a multi-Region key.*Allowed: a CustomerManagedKey with multiRegion: true/);
  });

  test('a primary ARN whose key is not multi-Region', () => {
    expect(byArn({ primaryKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }))
      .toThrow(/'primaryKeyArn' "arn:aws:kms:eu-west-1:111111111111:key\/1234abcd.*" is not a multi-Region key/);
  });

  test.each([
    'mrk-1234abcd12ab34cd56ef1234567890ab',
    `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/app/data`,
    'arn:aws:s3:::bucket',
  ])('a primaryKeyArn that is not a key ARN: %s', (arn) => {
    expect(byArn({ primaryKeyArn: arn })).toThrow(/is not a KMS key ARN. Allowed: arn:<partition>:kms:<region>:<account>:key\/mrk-<id>/);
  });

  test('a replica in the primary\'s own Region', () => {
    expect(() => {
      const { primaryStack } = stacks();
      const primary = new CustomerManagedKey(primaryStack, 'Key', { multiRegion: true });
      primary.addReplica(primaryStack, 'Replica');
    }).toThrow(/the replica's Region "eu-west-1" is the Region of its primary \('primaryKey' Primary\/Key\)/);
  });

  test('a replica by ARN in the primary\'s own Region', () => {
    expect(byArn({ primaryKeyArn: MRK_ARN }, 'eu-west-1')).toThrow(/the replica's Region "eu-west-1" is the Region of its primary/);
  });

  test('a replica whose stack is environment-agnostic', () => {
    expect(() => {
      const app = new App();
      const primary = new CustomerManagedKey(new Stack(app, 'Primary', { env: { account: ACCOUNT, region: 'eu-west-1' } }), 'Key', { multiRegion: true });
      primary.addReplica(new Stack(app, 'Agnostic'), 'Key');
    }).toThrow(/the replica's stack Agnostic has no explicit Region .*set env.region on the stack/);
  });

  test('two replicas of one primary in the same Region', () => {
    expect(() => {
      const { app, primaryStack, replicaStack } = stacks();
      const primary = new CustomerManagedKey(primaryStack, 'Key', { multiRegion: true });
      primary.addReplica(replicaStack, 'Key');
      primary.addReplica(new Stack(app, 'Other', { env: { account: ACCOUNT, region: 'eu-central-1' } }), 'Key');
    }).toThrow(/Other\/Key: 'primaryKey' Primary\/Key already has a replica in eu-central-1 \(Replica\/Key\). Allowed: one replica per primary and Region/);
  });

  test('two replicas of one primary ARN in the same Region', () => {
    expect(() => {
      const stack = new Stack(new App(), 'Replica', { env: { account: ACCOUNT, region: 'eu-central-1' } });
      new ReplicaKey(stack, 'A', { primaryKeyArn: MRK_ARN });
      new ReplicaKey(stack, 'B', { primaryKeyArn: MRK_ARN });
    }).toThrow(/already has a replica in eu-central-1 \(Replica\/A\)/);
  });

  test('the same Region twice in replicateToRegions', () => {
    expect(() => {
      const { app, primaryStack } = stacks();
      const primary = new CustomerManagedKey(primaryStack, 'Key', { multiRegion: true });
      ReplicaKey.replicateToRegions(app, primary, ['eu-central-1', 'us-east-1', 'eu-central-1']);
    }).toThrow(/'regions' contains "eu-central-1" twice/);
  });

  test.each([
    [{ enableKeyRotation: true }, /'enableKeyRotation' is set on a replica \(Received: true\).*rotation is shared by a multi-Region key and set on its primary/],
    [{ enableKeyRotation: false }, /'enableKeyRotation' is set on a replica \(Received: false\)/],
    [{ rotationPeriod: Duration.days(180) }, /'rotationPeriod' is set on a replica \(Received: "180 days"\)/],
  ])('rotation props on a replica: %o', (props, message) => {
    expect(replicate({}, props)).toThrow(message);
    expect(byArn({ primaryKeyArn: MRK_ARN, ...props })).toThrow(message);
  });

  test('neither primaryKey nor primaryKeyArn', () => {
    expect(byArn({})).toThrow(/give exactly one of 'primaryKey' and 'primaryKeyArn'. Received: neither/);
  });

  test('both primaryKey and primaryKeyArn', () => {
    expect(() => {
      const { primaryStack, replicaStack } = stacks();
      const primaryKey = new CustomerManagedKey(primaryStack, 'Key', { multiRegion: true });
      new ReplicaKey(replicaStack, 'Key', { primaryKey, primaryKeyArn: MRK_ARN });
    }).toThrow(/give exactly one of 'primaryKey' and 'primaryKeyArn'. Received: both/);
  });

  test.each([
    [{ keySpec: kms.KeySpec.HMAC_256 }, /'keySpec' value "HMAC_256" differs from the primary's "SYMMETRIC_DEFAULT"/],
    [{ keyUsage: kms.KeyUsage.SIGN_VERIFY }, /'keyUsage' value "SIGN_VERIFY" differs from the primary's "ENCRYPT_DECRYPT"/],
    [{ origin: 'EXTERNAL' }, /'origin' value "EXTERNAL" differs from the primary's "AWS_KMS"/],
  ])('a shared property that differs from the primary: %o', (props, message) => {
    expect(replicate({}, props)).toThrow(message);
  });

  test('a replica in another account than its primary', () => {
    expect(() => {
      const { app, primaryStack } = stacks();
      const primary = new CustomerManagedKey(primaryStack, 'Key', { multiRegion: true });
      primary.addReplica(new Stack(app, 'Elsewhere', { env: { account: '222222222222', region: 'eu-central-1' } }), 'Key');
    }).toThrow(/the replica's account "222222222222" differs from its primary's account "111111111111"/);
  });

  test.each([6, 31])('pendingWindow %d days', (days) => {
    expect(replicate({}, { pendingWindow: Duration.days(days) })).toThrow(
      new RegExp(`'pendingWindow' value must be a whole number of days between 7 and 30. Received: ${days} days`));
  });

  test('removalPolicy SNAPSHOT, which KMS keys do not support', () => {
    expect(replicate({}, { removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(
      /Replica\/Key: 'removalPolicy' value SNAPSHOT is not possible for a KMS key. Allowed: RETAIN, RETAIN_ON_UPDATE_OR_DELETE, DESTROY/);
  });

  test('a primary in an environment-agnostic stack: the library names what to set, not a role the user never created', () => {
    expect(() => {
      const app = new App();
      const primary = new CustomerManagedKey(new Stack(app, 'Primary'), 'Key', { multiRegion: true });
      primary.addReplica(new Stack(app, 'Replica', { env: { account: ACCOUNT, region: 'eu-central-1' } }), 'Key');
      app.synth();
    }).toThrow(/^Replica\/Key: 'primaryKey' Primary\/Key is in stack Primary, which has no explicit Region.*Allowed: set env.region on stack Primary/);
  });

  describe('roles of the primary\'s stack without a name, which the replica cannot name from its Region', () => {
    function withUserRoles(roleProps: (id: string) => Partial<iam.RoleProps> = () => ({}), replicaStackProps: object = {}) {
      return () => {
        const app = new App();
        const primaryStack = new Stack(app, 'Primary', { env: { account: ACCOUNT, region: 'eu-west-1' } });
        const replicaStack = new Stack(app, 'Replica', { env: { account: ACCOUNT, region: 'eu-central-1' }, ...replicaStackProps });
        const role = (id: string) => new iam.Role(primaryStack, id, { assumedBy: new iam.AccountRootPrincipal(), ...roleProps(id) });
        const primary = new CustomerManagedKey(primaryStack, 'Key', { multiRegion: true, adminRole: role('Admin'), userRole: role('User') });
        primary.addReplica(replicaStack, 'Key');
        app.synth();
      };
    }

    test('are refused with what to set and where', () => {
      expect(withUserRoles()).toThrow(
        /^Replica\/Key: 'adminRole' Primary\/Admin \(inherited from the primary\) is a role of stack Primary in eu-west-1 without a name.*Allowed: set roleName on Primary\/Admin \(or roleName: PhysicalName.GENERATE_IF_NEEDED\), or give the replica its own 'adminRole'/);
    });

    test.each([
      ['a role name', (id: string) => ({ roleName: `orders-${id}` }), {}],
      ['PhysicalName.GENERATE_IF_NEEDED', () => ({ roleName: PhysicalName.GENERATE_IF_NEEDED }), {}],
    ])('%s makes them nameable', (_, roleProps, stackProps) => {
      expect(withUserRoles(roleProps, stackProps)).not.toThrow();
    });
  });

  test('an alias KMS reserves', () => {
    expect(replicate({}, { aliases: ['aws/s3'] })).toThrow(/starts with alias\/aws\//);
  });
});
