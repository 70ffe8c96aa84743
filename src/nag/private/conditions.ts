/** A Condition block: operator -> condition key -> value(s). */
export type ConditionBlock = { [operator: string]: { [key: string]: unknown } };

/**
 * Whether a Condition block has `key` (case-insensitive) under a positive operator, with
 * values that `accept` (every value). Negated (`StringNotEquals`) and `...IfExists` operators
 * do not narrow anything: they pass requests that lack the key.
 */
export function hasPositiveCondition(block: ConditionBlock, keys: (key: string) => boolean, accept: (value: unknown) => boolean): boolean {
  return Object.entries(block).some(([operator, entries]) => !/Not|IfExists$|^Null$/i.test(operator)
    && Object.entries(entries ?? {}).some(([key, value]) => keys(key.toLowerCase())
      && (Array.isArray(value) ? value : [value]).every(accept)));
}
