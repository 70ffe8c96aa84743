/**
 * Memoization for one run of the pack. While a pack validates, the construct tree is read-only,
 * so a resource's rendered template, a stack's template or a key's evaluator can be computed once
 * and shared by every rule. Outside a run nothing is cached, so a tree changed between two
 * validations is always read afresh.
 */
let current: Map<string, WeakMap<object, unknown>> | undefined;

/** Runs `work` with a fresh cache, dropped when it returns. */
export function withRunCache<T>(work: () => T): T {
  const previous = current;
  current = new Map();
  try {
    return work();
  } finally {
    current = previous;
  }
}

/** `compute()`, remembered under (`kind`, `key`) for the rest of the run. */
export function cached<V>(kind: string, key: object, compute: () => V): V {
  if (!current) { return compute(); }
  let table = current.get(kind);
  if (!table) {
    table = new WeakMap();
    current.set(kind, table);
  }
  if (!table.has(key)) { table.set(key, compute()); }
  return table.get(key) as V;
}
