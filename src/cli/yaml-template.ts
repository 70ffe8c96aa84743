import { CORE_SCHEMA, NOT_RESOLVED, TagDefinition, defineMappingTag, defineScalarTag, defineSequenceTag, load } from 'js-yaml';

/** The intrinsic functions CloudFormation YAML writes in short form, `!Name` for `Fn::Name`. */
const FUNCTIONS = ['And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Length', 'Not', 'Or',
  'Select', 'Split', 'Sub', 'ToJsonString', 'Transform'];

/**
 * Reads a CloudFormation YAML template into the JSON form: `!Ref X` -> `{ Ref: X }`,
 * `!GetAtt A.B` -> `{ 'Fn::GetAtt': [A, B] }`, `!Condition C` -> `{ Condition: C }`, and
 * `!Sub`, `!If`, `!Join`... (scalar, list or map) -> `{ 'Fn::Sub': ... }`.
 * Throws js-yaml's error, which names the line, on text that is not YAML.
 */
export function loadYamlTemplate(text: string, filename: string): unknown {
  return load(text, { schema: SCHEMA, filename });
}

function intrinsicTags(tag: string, key: string, scalar: (text: string) => unknown = (text) => text): TagDefinition[] {
  const wrap = (value: unknown) => ({ [key]: value });
  return [
    defineScalarTag(tag, { resolve: (text) => wrap(scalar(text)), identify: () => false }),
    defineSequenceTag<unknown[], object>(tag, {
      create: () => [],
      addItem: (items, item) => { items.push(item); },
      finalize: wrap,
      identify: () => false,
    }),
    defineMappingTag<Record<string, unknown>, Record<string, Record<string, unknown>>>(tag, {
      create: () => ({}),
      addPair: (entries, name, value) => {
        entries[String(name)] = value;
        return '';
      },
      has: (entries, name) => Object.prototype.hasOwnProperty.call(entries, String(name)),
      finalize: (entries) => ({ [key]: entries }),
      keys: (result) => Object.keys(result[key]),
      get: (result, name) => result[key][String(name)],
      identify: () => false,
    }),
  ];
}

const SCHEMA = CORE_SCHEMA.withTags(
  defineScalarTag('!Ref', { resolve: (text) => (text === '' ? NOT_RESOLVED : { Ref: text }), identify: () => false }),
  defineScalarTag('!Condition', { resolve: (text) => ({ Condition: text }), identify: () => false }),
  ...intrinsicTags('!GetAtt', 'Fn::GetAtt', (text) => {
    const dot = text.indexOf('.');
    return dot < 0 ? text : [text.slice(0, dot), text.slice(dot + 1)];
  }),
  ...FUNCTIONS.flatMap((name) => intrinsicTags(`!${name}`, `Fn::${name}`)),
);
