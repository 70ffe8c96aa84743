/**
 * Jest's order, except that the suites which run processes or wait on the emulator start first
 * (test/package, test/integ-local: 10-45 s each). On a fresh clone jest has no timings yet and
 * starts the largest files first; the package tests, small files, then ran last with one worker
 * left idle beside them.
 */
// eslint-disable-next-line import/no-extraneous-dependencies -- jest's own sequencer, which jest brings
const Sequencer = require('@jest/test-sequencer').default;

const SLOW = [/[/\\]test[/\\]package[/\\]/, /[/\\]test[/\\]integ-local[/\\]/];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const rank = (test) => {
      const index = SLOW.findIndex((pattern) => pattern.test(test.path));
      return index === -1 ? SLOW.length : index;
    };
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
