import * as path from 'node:path';
import { REQUIRE_EMULATOR, emulatorUnavailableReason, startEmulator, stopEmulator } from './emulator';

/** Long enough for a cold install of the emulator (apt-get on a new machine). */
const START_TIMEOUT_MS = 15 * 60_000;
/** Per test: deploys and a thousand KMS calls against a local server. */
export const LOCAL_TEST_TIMEOUT_MS = 120_000;

/** What a local suite gets: the endpoint, once `beforeAll` has started the emulator. */
export interface LocalEmulator {
  readonly endpoint: string;
}

/**
 * `describe` for a local integration suite: its `beforeAll` starts an emulator instance of its
 * own (named after the test file, so suites in parallel workers do not share one) and its
 * `afterAll` stops it. When no endpoint can be provided here, the suite is skipped and the
 * reason printed; with KMS_PATTERNS_REQUIRE_EMULATOR=1 (CI) it fails with the reason instead.
 */
export function describeWithEmulator(testFile: string, name: string, body: (emulator: LocalEmulator) => void): void {
  const reason = emulatorUnavailableReason();
  if (reason !== undefined) {
    if (REQUIRE_EMULATOR) {
      throw new Error(`local integration suite ${name} cannot run and KMS_PATTERNS_REQUIRE_EMULATOR=1: ${reason}`);
    }
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED local integration suite ${name}: ${reason}`);
    describe.skip(`${name} (skipped: ${reason})`, () => body({ endpoint: '' }));
    return;
  }
  const instance = path.basename(testFile).replace(/\W+/g, '-');
  let endpoint = '';
  describe(name, () => {
    beforeAll(() => { endpoint = startEmulator(instance); }, START_TIMEOUT_MS);
    afterAll(() => stopEmulator(instance));
    // Nested, so that the suite's own afterAll (deleting stacks) runs before the stop above.
    describe('checks', () => body({ get endpoint() { return endpoint; } }));
  });
}
