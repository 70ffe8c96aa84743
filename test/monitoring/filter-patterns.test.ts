import { matchesFilterPattern } from './support/filter-pattern-matcher';
import { KeyDeletionFilterPatterns } from '../../src';
import { disableOrScheduleDeletionOfKey, pendingDeletionUseOfKey } from '../../src/monitoring/private/key-scoped-patterns';
import { CLOUDTRAIL_FIXTURES, FIXTURE_KEY_ARN, FixtureFilter } from '../fixtures/cloudtrail/fixtures';

const OTHER_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321';

describe('published filter patterns, byte for byte', () => {
  test('use of a key pending deletion: as the KMS Developer Guide gives it', () => {
    expect(KeyDeletionFilterPatterns.PENDING_DELETION_USE).toBe('{ $.eventSource = kms* && $.errorMessage = "* is pending deletion."}');
  });

  test('DisableKey / ScheduleKeyDeletion: as Security Hub CloudWatch.7 checks it, no extra term', () => {
    expect(KeyDeletionFilterPatterns.DISABLE_OR_SCHEDULE_DELETION).toBe(
      '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}');
  });

  test('metric namespace, names and value', () => {
    expect(KeyDeletionFilterPatterns.METRIC_NAMESPACE).toBe('CloudTrailLogMetrics');
    expect(KeyDeletionFilterPatterns.PENDING_DELETION_USE_METRIC).toBe('KMSKeyPendingDeletionErrorCount');
    expect(KeyDeletionFilterPatterns.DISABLE_OR_SCHEDULE_DELETION_METRIC).toBe('KMSKeyDisabledOrScheduledForDeletionCount');
    expect(KeyDeletionFilterPatterns.METRIC_VALUE).toBe('1');
  });
});

const accountWide: Record<FixtureFilter, string> = {
  pendingDeletionUse: KeyDeletionFilterPatterns.PENDING_DELETION_USE,
  disableOrScheduleDeletion: KeyDeletionFilterPatterns.DISABLE_OR_SCHEDULE_DELETION,
};
const perKey: Record<FixtureFilter, (arn: string) => string> = {
  pendingDeletionUse: pendingDeletionUseOfKey,
  disableOrScheduleDeletion: disableOrScheduleDeletionOfKey,
};
const filters = Object.keys(accountWide) as FixtureFilter[];

describe.each(CLOUDTRAIL_FIXTURES.map((fixture) => [fixture.name, fixture] as const))('CloudTrail record %s', (_name, fixture) => {
  test.each(filters)('account-wide filter %s matches only when it is the right one', (filter) => {
    expect(matchesFilterPattern(accountWide[filter], fixture.record)).toBe(filter === fixture.matches);
  });

  test.each(filters)('per-key filter %s matches the fixture key only, and only the right filter', (filter) => {
    expect(matchesFilterPattern(perKey[filter](FIXTURE_KEY_ARN), fixture.record)).toBe(filter === fixture.matches);
    expect(matchesFilterPattern(perKey[filter](OTHER_KEY_ARN), fixture.record)).toBe(false);
  });

  test('is one line as CloudTrail delivers it and names the fixture key', () => {
    expect(fixture.message).not.toContain('\n');
    expect(fixture.record.eventSource).toBe('kms.amazonaws.com');
    expect(fixture.message).toContain(FIXTURE_KEY_ARN);
  });
});

test('the pending-deletion record carries the KMS error shape', () => {
  const record = CLOUDTRAIL_FIXTURES.find((fixture) => fixture.matches === 'pendingDeletionUse')!.record;
  expect(record.errorCode).toBe('KMSInvalidStateException');
  expect(record.errorMessage).toBe(`${FIXTURE_KEY_ARN} is pending deletion.`);
});

describe('the matcher itself', () => {
  test.each([
    ['{ $.a = "x*" }', { a: 'xyz' }, true],
    ['{ $.a = "x*" }', { a: 'yx' }, false],
    ['{ $.a = b && $.c = d }', { a: 'b', c: 'e' }, false],
    ['{ $.a = b || $.c = d }', { a: 'z', c: 'd' }, true],
    ['{ $.a[0].b = c }', { a: [{ b: 'c' }] }, true],
    ['{ $.a = b }', { a: null }, false],
    ['{ $.missing.deep = b }', {}, false],
  ])('%s on %j is %s', (pattern, record, expected) => {
    expect(matchesFilterPattern(pattern, record)).toBe(expected);
  });

  test.each(['{ $.a != b }', '{ $.a = 5 }', '{ $.a IS NULL }', '$.a = b', '{ $.a = b } x'])('refuses what it does not understand: %s', (pattern) => {
    expect(() => matchesFilterPattern(pattern, { a: 'b' })).toThrow(/filter pattern matcher/);
  });
});
