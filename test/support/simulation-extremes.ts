import { AccessDecision } from '../../src/access';

/**
 * What iam-simulate must answer at the best extreme (every Allow condition holds, no Deny
 * condition does) and the worst (the reverse) for each decision of the evaluator, which leaves
 * such conditions open: the differential tests judge every case by it.
 */
export const EXPECTED_AT_EXTREMES: Record<string, (best: string, worst: string) => boolean> = {
  [AccessDecision.ALLOWED]: (best, worst) => best === 'Allowed' && worst === 'Allowed',
  [AccessDecision.CONDITIONAL]: (best, worst) => best === 'Allowed' && worst !== 'Allowed',
  [AccessDecision.EXPLICIT_DENY]: (best, worst) => best === 'ExplicitlyDenied' && worst === 'ExplicitlyDenied',
  [AccessDecision.IMPLICIT_DENY]: (best) => best === 'ImplicitlyDenied',
};
