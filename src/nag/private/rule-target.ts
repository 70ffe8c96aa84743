/**
 * What a rule reads: one resource of a synthesized template, its stack and its app. Both hosts
 * build these from templates (the plugin from the templates CDK writes, the CLI from files), so a
 * rule never sees a construct.
 */

/** One resource as it appears in the template. */
export interface ResourceTemplate {
  readonly logicalId: string;
  readonly type: string;
  /** The Properties object (`{}` when the template has none or a value that is not an object). */
  readonly properties: { [key: string]: any };
  readonly deletionPolicy?: unknown;
  readonly updateReplacePolicy?: unknown;
}

/** The resources of a whole app: every stack of a cloud assembly, or one template file. */
export interface AppTemplates {
  /** Every resource of `type` in any stack of the app. */
  resourcesOfType(type: string): ResourceTemplate[];
}

/** The stack (template) a resource belongs to. */
export interface StackTemplate {
  /** The template's resources, as in the template: `{ Resources: { id: { Type, Properties } } }`. */
  readonly template: { readonly Resources: { [logicalId: string]: any } };
  /** Canonical account of the stack: 12 digits, or `${AWS::AccountId}` when it is not known. */
  readonly account: string;
  readonly app: AppTemplates;
}

/** What a rule is asked about. */
export interface RuleTarget {
  readonly resource: ResourceTemplate;
  readonly stack: StackTemplate;
}

/** A resource entry of a template (`{ Type, Properties, DeletionPolicy... }`) as a rule reads it. */
export function resourceFromTemplate(logicalId: string, entry: unknown): ResourceTemplate {
  const raw = isObject(entry) ? entry : {};
  return {
    logicalId,
    type: typeof raw.Type === 'string' ? raw.Type : '',
    properties: isObject(raw.Properties) ? raw.Properties : {},
    deletionPolicy: raw.DeletionPolicy,
    updateReplacePolicy: raw.UpdateReplacePolicy,
  };
}

/** A plain object (not an array, not null). */
export function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
