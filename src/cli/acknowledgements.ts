import { readFileSync } from 'fs';
import { LoadedTemplate } from './inputs';
import { InputError } from './template-resolution';
import { loadYamlTemplate } from './yaml-template';

/** One entry of an `--acknowledgements` file. */
export interface FileAcknowledgement {
  /** `KmsChecks-Rule` (every finding of the rule) or `KmsChecks-Rule[finding]`. */
  readonly id: string;
  readonly reason: string;
  /**
   * Where it applies: `Stack/LogicalId`, a logical id or a construct path (and what is under it),
   * with `*` wildcards. Everywhere when absent.
   */
  readonly resources?: string[];
}

/** Where a finding is. */
export interface FindingPlace {
  readonly template: LoadedTemplate;
  readonly logicalId: string;
}

const CDK_ACKNOWLEDGED = 'aws:cdk:acknowledged-rules';
const CDK_LOGICAL_ID = 'aws:cdk:logicalId';

/**
 * The acknowledgements that apply to findings, from three sources:
 * - cdk-nag 3 (`Validations.of(scope).acknowledge(...)`): the cloud assembly's construct-path
 *   metadata, which covers the scope and everything under it;
 * - cdk-nag 2: `Metadata.cdk_nag.rules_to_suppress` on the resource (`applies_to` names findings);
 * - an `--acknowledgements` file.
 * A bare rule id covers every finding of the rule; `Rule[finding]` covers that finding only.
 */
export class Acknowledgements {
  private readonly paths = new WeakMap<LoadedTemplate, Map<string, string>>();

  constructor(private readonly fromFile: FileAcknowledgement[]) {}

  /** The reason a finding is acknowledged, or undefined. */
  public reasonFor(ruleId: string, findingId: string | undefined, place: FindingPlace): string | undefined {
    const ids = findingId === undefined ? [ruleId] : [ruleId, `${ruleId}[${findingId}]`];
    const path = this.constructPath(place);
    return this.fromAssembly(ids, place.template, path)
      ?? fromResourceMetadata(ids, findingId, place.template.template.Resources?.[place.logicalId])
      ?? this.fromFile.find((entry) => ids.includes(entry.id) && appliesTo(entry, place, path))?.reason;
  }

  /** The construct path of a resource: the assembly's logical-id metadata, else the template's `aws:cdk:path`. */
  public constructPath({ template, logicalId }: FindingPlace): string | undefined {
    let byLogicalId = this.paths.get(template);
    if (!byLogicalId) {
      byLogicalId = new Map();
      for (const [path, entries] of Object.entries(template.metadata)) {
        for (const entry of entries) {
          if (entry.type === CDK_LOGICAL_ID && typeof entry.data === 'string') { byLogicalId.set(entry.data, path.replace(/^\//, '')); }
        }
      }
      this.paths.set(template, byLogicalId);
    }
    const fromTemplate = template.template.Resources?.[logicalId]?.Metadata?.['aws:cdk:path'];
    return byLogicalId.get(logicalId) ?? (typeof fromTemplate === 'string' ? fromTemplate : undefined);
  }

  private fromAssembly(ids: string[], template: LoadedTemplate, path: string | undefined): string | undefined {
    if (path === undefined) { return undefined; }
    for (const [scope, entries] of Object.entries(template.metadata)) {
      const scopePath = scope.replace(/^\//, '');
      if (path !== scopePath && !path.startsWith(`${scopePath}/`)) { continue; }
      for (const entry of entries) {
        if (entry.type !== CDK_ACKNOWLEDGED || typeof entry.data !== 'object' || entry.data === null) { continue; }
        for (const [key, reason] of Object.entries(entry.data)) {
          // aws-cdk-lib records bare ids with an `Annotation::` prefix; the report suggests `KmsChecks::`.
          if (ids.includes(key.replace(/^(annotation|kmschecks)::/i, ''))) { return String(reason); }
        }
      }
    }
    return undefined;
  }
}

function fromResourceMetadata(ids: string[], findingId: string | undefined, resource: any): string | undefined {
  const rules = resource?.Metadata?.cdk_nag?.rules_to_suppress;
  for (const rule of Array.isArray(rules) ? rules : []) {
    if (!ids.includes(rule?.id)) { continue; }
    const findings = Array.isArray(rule.applies_to) ? rule.applies_to : undefined;
    if (findings === undefined || rule.id !== ids[0] || (findingId !== undefined && findings.includes(findingId))) {
      return typeof rule.reason === 'string' ? rule.reason : '';
    }
  }
  return undefined;
}

function appliesTo(entry: FileAcknowledgement, place: FindingPlace, path: string | undefined): boolean {
  if (entry.resources === undefined) { return true; }
  const names = [`${place.template.stackName}/${place.logicalId}`, place.logicalId];
  return entry.resources.some((pattern) => {
    const matcher = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return names.some((name) => matcher.test(name)) || (path !== undefined && (matcher.test(path) || path.startsWith(`${pattern}/`)));
  });
}

/**
 * Reads an `--acknowledgements` file (JSON or YAML): a list of `{ id, reason, resources? }`, or
 * `{ acknowledgements: [...] }`. Every entry needs an id and a reason.
 */
export function readAcknowledgementsFile(file: string): FileAcknowledgement[] {
  let parsed: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    parsed = text.trimStart().startsWith('{') || text.trimStart().startsWith('[') ? JSON.parse(text) : loadYamlTemplate(text, file);
  } catch (error) {
    throw new InputError(`acknowledgements cannot be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as any)?.acknowledgements;
  if (!Array.isArray(list)) { throw new InputError('acknowledgements must be a list of { id, reason } (or { acknowledgements: [...] })'); }
  return list.map((entry: any, index: number) => {
    if (typeof entry?.id !== 'string' || !/^KmsChecks-\w+(\[.+\])?$/.test(entry.id)) {
      throw new InputError(`acknowledgement ${index + 1}: id must be KmsChecks-<Rule> or KmsChecks-<Rule>[<finding>]. Received: ${JSON.stringify(entry?.id)}`);
    }
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      throw new InputError(`acknowledgement ${index + 1} (${entry.id}): a reason is required`);
    }
    const resources = entry.resources;
    if (resources !== undefined && !(Array.isArray(resources) && resources.every((item: unknown) => typeof item === 'string'))) {
      throw new InputError(`acknowledgement ${index + 1} (${entry.id}): resources must be a list of strings`);
    }
    return { id: entry.id, reason: entry.reason, resources };
  });
}
