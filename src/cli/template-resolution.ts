/**
 * What a deploy would know before the rules run: parameter values (the template's Default, or
 * `--parameter K=V`) and the conditions they decide. Values that stay unknown are left as
 * intrinsics, which the rules report as `[CannotEvaluate]`: nothing is guessed.
 */

/** A template the CLI cannot read as CloudFormation: the message names the problem. */
export class InputError extends Error {}

/** What is known about a stack's parameters and pseudo parameters. */
export interface KnownValues {
  /** `--parameter` values, by parameter name (also `AWS::AccountId`, `AWS::Region`). */
  readonly overrides: { readonly [name: string]: string };
  /** The stack's account and Region, when the cloud assembly names them. */
  readonly account?: string;
  readonly region?: string;
}

const NO_VALUE = Symbol('AWS::NoValue');
const UNKNOWN = undefined;

/**
 * The template with parameters substituted, Fn::If decided where its condition is known, simple
 * intrinsics over known values folded (Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap),
 * and resources whose condition is false removed. Throws an {@link InputError} for a condition
 * that refers to itself or to a condition the template does not define.
 */
export function resolveTemplate(template: { [key: string]: any }, known: KnownValues, text: string): { [key: string]: any } {
  const resolver = new Resolver(template, known);
  // Substituting only pseudo parameters changes nothing the rules read; walking a large template
  // that has nothing to fold would only cost time.
  const walk = resolver.knowsParameters || FOLDABLE.some((name) => text.includes(name));
  const resources: { [logicalId: string]: unknown } = {};
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const condition = isObject(resource) ? resource.Condition : undefined;
    if (typeof condition === 'string' && resolver.condition(condition, []) === false) { continue; }
    const resolved = walk ? resolver.value(resource) : resource;
    if (resolved !== NO_VALUE) { resources[logicalId] = resolved; }
  }
  return { ...template, Resources: resources };
}

/** Intrinsics that known values can decide, as written in JSON and in YAML short form. */
const FOLDABLE = ['Fn::If', '!If', 'Fn::FindInMap', '!FindInMap', 'Fn::Select', '!Select', 'Fn::Split', '!Split'];

class Resolver {
  /** Whether a template parameter (not only a pseudo parameter) has a known value. */
  public knowsParameters = false;
  private readonly parameters = new Map<string, unknown>();
  private readonly conditions = new Map<string, boolean | undefined>();

  constructor(private readonly template: { [key: string]: any }, known: KnownValues) {
    const pseudo: Array<[string, string | undefined]> = [['AWS::AccountId', known.account], ['AWS::Region', known.region]];
    for (const [name, value] of pseudo) {
      const given = known.overrides[name] ?? value;
      if (given !== undefined) { this.parameters.set(name, given); }
    }
    for (const [name, declaration] of Object.entries(isObject(template.Parameters) ? template.Parameters : {})) {
      const type = isObject(declaration) && typeof declaration.Type === 'string' ? declaration.Type : 'String';
      const given = known.overrides[name] ?? (isObject(declaration) ? declaration.Default : undefined);
      // An SSM parameter type's Default is the parameter's name, not its value.
      if (given === undefined || type.startsWith('AWS::SSM::Parameter::')) { continue; }
      const text = String(given);
      this.parameters.set(name, type.startsWith('List<') || type === 'CommaDelimitedList' ? text.split(',').map((item) => item.trim()) : text);
      this.knowsParameters = true;
    }
  }

  /** A condition's value: true, false, or undefined when it depends on something unknown. */
  public condition(name: string, path: string[]): boolean | undefined {
    if (this.conditions.has(name)) { return this.conditions.get(name); }
    if (path.includes(name)) { throw new InputError(`condition ${name} refers to itself (${[...path, name].join(' -> ')})`); }
    const declared = isObject(this.template.Conditions) ? this.template.Conditions[name] : undefined;
    if (declared === undefined) { throw new InputError(`condition ${name} is used but not defined in Conditions`); }
    const value = this.conditionValue(declared, [...path, name]);
    this.conditions.set(name, value);
    return value;
  }

  private conditionValue(expression: unknown, path: string[]): boolean | undefined {
    if (typeof expression === 'boolean') { return expression; }
    if (!isObject(expression)) { return UNKNOWN; }
    const [[operator, argument]] = Object.entries(expression).concat([['', undefined]]);
    const items = Array.isArray(argument) ? argument : [];
    switch (operator) {
      case 'Condition': return typeof argument === 'string' ? this.condition(argument, path) : UNKNOWN;
      case 'Fn::Equals': {
        const [left, right] = items.map((item) => this.value(item));
        return isLiteral(left) && isLiteral(right) ? String(left) === String(right) : UNKNOWN;
      }
      case 'Fn::Not': {
        const value = this.conditionValue(items[0], path);
        return value === UNKNOWN ? UNKNOWN : !value;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = items.map((item) => this.conditionValue(item, path));
        const decisive = operator === 'Fn::And' ? false : true;
        if (values.includes(decisive)) { return decisive; }
        return values.includes(UNKNOWN) ? UNKNOWN : !decisive;
      }
      default: return UNKNOWN;
    }
  }

  /** A template value with what is known substituted; `NO_VALUE` for `Ref: AWS::NoValue`. */
  public value(value: unknown): unknown {
    if (Array.isArray(value)) {
      const items = value.map((item) => this.value(item));
      return items.every((item, index) => item === value[index]) ? value : items.filter((item) => item !== NO_VALUE);
    }
    if (!isObject(value)) { return value; }
    const entries = Object.entries(value);
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      return this.intrinsic(entries[0][0], entries[0][1], value);
    }
    let changed = false;
    const result: { [key: string]: unknown } = {};
    for (const [key, item] of entries) {
      const resolved = this.value(item);
      changed ||= resolved !== item;
      if (resolved !== NO_VALUE) { result[key] = resolved; }
    }
    // Unchanged values keep their identity: policies parsed once stay cached.
    return changed ? result : value;
  }

  private intrinsic(name: string, argument: unknown, original: object): unknown {
    if (name === 'Ref') {
      if (argument === 'AWS::NoValue') { return NO_VALUE; }
      return typeof argument === 'string' && this.parameters.has(argument) ? this.parameters.get(argument) : original;
    }
    if (name === 'Fn::If' && Array.isArray(argument) && typeof argument[0] === 'string') {
      const condition = this.condition(argument[0], []);
      if (condition !== UNKNOWN) { return this.value(condition ? argument[1] : argument[2]); }
    }
    const resolved = this.value(argument);
    const folded = fold(name, resolved, this.template.Mappings, (text) => this.substitute(text));
    if (folded !== UNKNOWN) { return folded; }
    return resolved === argument ? original : { [name]: resolved };
  }

  /** Fn::Sub text with known parameters substituted; undefined when nothing changes. */
  private substitute(text: string): string {
    return text.replace(/\$\{([^!}][^}]*)\}/g, (match, name: string) => {
      const value = this.parameters.get(name);
      return typeof value === 'string' ? value : match;
    });
  }
}

/** An intrinsic over known values as its value; undefined when it cannot be folded. */
function fold(name: string, argument: unknown, mappings: unknown, substitute: (text: string) => string): unknown {
  const args = Array.isArray(argument) ? argument : [];
  switch (name) {
    case 'Fn::Join':
      return typeof args[0] === 'string' && Array.isArray(args[1]) && args[1].every(isLiteral) ? args[1].join(args[0]) : UNKNOWN;
    case 'Fn::Select': {
      const index = Number(args[0]);
      return Array.isArray(args[1]) && Number.isInteger(index) && isLiteral(args[1][index]) ? args[1][index] : UNKNOWN;
    }
    case 'Fn::Split':
      return typeof args[0] === 'string' && typeof args[1] === 'string' ? args[1].split(args[0]) : UNKNOWN;
    case 'Fn::FindInMap': {
      if (!args.slice(0, 3).every((item) => typeof item === 'string') || !isObject(mappings)) { return UNKNOWN; }
      const found = (mappings[args[0]] ?? {})[args[1]]?.[args[2]];
      return found === undefined ? UNKNOWN : found;
    }
    case 'Fn::Sub':
      return sub(argument, substitute);
    default: return UNKNOWN;
  }
}

/** Fn::Sub with known values substituted: a string when nothing unknown is left, else a narrower Fn::Sub. */
function sub(argument: unknown, substitute: (text: string) => string): unknown {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof text !== 'string' || !isObject(variables)) { return UNKNOWN; }
  let replaced = substitute(text);
  const unknownVariables: { [name: string]: unknown } = {};
  const literalVariables = Object.values(variables).filter(isLiteral).length;
  if (replaced === text && literalVariables === 0) { return UNKNOWN; }
  for (const [name, value] of Object.entries(variables)) {
    if (isLiteral(value)) {
      replaced = replaced.split(`\${${name}}`).join(String(value));
    } else {
      unknownVariables[name] = value;
    }
  }
  const remaining = replaced.replace(/\$\{![^}]*\}/g, '');
  if (!remaining.includes('${')) { return replaced.replace(/\$\{!([^}]*)\}/g, '${$1}'); }
  return { 'Fn::Sub': Object.keys(unknownVariables).length > 0 ? [replaced, unknownVariables] : replaced };
}

function isLiteral(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
