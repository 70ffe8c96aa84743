import { outcomeOf, undoIfAllowed } from '../../../integ/support/access-checker/outcomes';

/** An error as the AWS SDK throws it: the service's error code is its name. */
function awsError(name: string): Error {
  return Object.assign(new Error(`${name} message`), { name });
}

describe('the access checker\'s outcomes', () => {
  test.each([
    ['AccessDeniedException', 'AccessDenied'], // KMS
    ['AccessDenied', 'AccessDenied'], // S3, also when KMS refused it the Decrypt for the caller
    ['InvalidCiphertextException', 'InvalidCiphertext'],
  ])('%s is the outcome %s', async (error, outcome) => {
    expect(await outcomeOf(Promise.reject(awsError(error)))).toBe(outcome);
  });

  test('any other error is reported as it came, so a failed case says what happened instead', async () => {
    expect(await outcomeOf(Promise.reject(awsError('NotFoundException')))).toBe('NotFoundException: NotFoundException message');
  });

  test('a request that succeeds is allowed, or what the judge of its result says', async () => {
    expect(await outcomeOf(Promise.resolve({}))).toBe('allowed');
    expect(await outcomeOf(Promise.resolve({ body: 'other' }), async (result) => (result.body === 'expected' ? 'allowed' : 'allowed, with another body')))
      .toBe('allowed, with another body');
  });

  test('only an allowed request is undone', async () => {
    const undone: string[] = [];
    await undoIfAllowed('allowed', async () => { undone.push('allowed'); });
    await undoIfAllowed('AccessDenied', async () => { undone.push('AccessDenied'); });
    expect(undone).toEqual(['allowed']);
  });
});
