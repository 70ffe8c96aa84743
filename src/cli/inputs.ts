import { existsSync, readFileSync, statSync } from 'fs';
import { extname, join } from 'path';
import { InputError, KnownValues, resolveTemplate } from './template-resolution';
import { loadYamlTemplate } from './yaml-template';

/** Construct-path metadata of a cloud assembly stack: path -> entries (`{ type, data }`). */
export type PathMetadata = { [path: string]: Array<{ type?: string; data?: unknown }> };

/** One template to check, read and resolved. */
export interface LoadedTemplate {
  /** The template file, as a path from the working directory. */
  readonly file: string;
  readonly stackName: string;
  /** The template after parameters and conditions were resolved. */
  readonly template: { [key: string]: any };
  /** Canonical account: 12 digits, or `${AWS::AccountId}` when not known. */
  readonly account: string;
  /** The file's text, to find the line of each resource. */
  readonly text: string;
  /** The stack's construct-path metadata (cdk-nag acknowledgements live there). */
  readonly metadata: PathMetadata;
}

/** The templates of one input path: a whole cloud assembly, or one template file. */
export interface LoadedApp {
  readonly source: string;
  readonly templates: LoadedTemplate[];
}

/** A path or template that could not be checked: the file and the problem, for one line of output. */
export interface InputProblem {
  readonly file: string;
  readonly message: string;
}

/**
 * Reads every input path: a cloud assembly directory (every stack, nested assemblies included) or
 * a CloudFormation template (JSON or YAML). A bad path or template is a problem for that file
 * alone; everything else is still read.
 */
export function loadInputs(paths: string[], overrides: { [name: string]: string }): { apps: LoadedApp[]; problems: InputProblem[] } {
  const apps: LoadedApp[] = [];
  const problems: InputProblem[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      problems.push({ file: path, message: 'no such file or directory' });
    } else if (statSync(path).isDirectory()) {
      const templates = readAssembly(path, overrides, problems);
      if (templates.length > 0) { apps.push({ source: path, templates }); }
    } else {
      const template = readTemplate(path, path, { overrides }, {}, problems);
      if (template) { apps.push({ source: path, templates: [template] }); }
    }
  }
  return { apps, problems };
}

function readAssembly(directory: string, overrides: { [name: string]: string }, problems: InputProblem[]): LoadedTemplate[] {
  const manifestPath = join(directory, 'manifest.json');
  if (!existsSync(manifestPath)) {
    problems.push({ file: directory, message: 'not a cloud assembly (no manifest.json): give a cdk.out directory or a template file' });
    return [];
  }
  let manifest: any;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    problems.push({ file: manifestPath, message: `not valid JSON: ${messageOf(error)}` });
    return [];
  }
  const templates: LoadedTemplate[] = [];
  const problemsBefore = problems.length;
  const artifacts = isObject(manifest?.artifacts) ? manifest.artifacts : {};
  for (const [id, artifact] of Object.entries<any>(artifacts)) {
    if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      templates.push(...readAssembly(join(directory, artifact.properties.directoryName), overrides, problems));
    }
    if (artifact?.type !== 'aws:cloudformation:stack' || typeof artifact.properties?.templateFile !== 'string') { continue; }
    const [, account, region] = /^aws:\/\/([^/]*)\/(.*)$/.exec(artifact.environment ?? '') ?? [];
    // Environment-agnostic stacks say `aws://unknown-account/unknown-region`.
    const known: KnownValues = {
      overrides,
      account: /^\d{12}$/.test(account ?? '') ? account : undefined,
      region: region && !region.startsWith('unknown-') ? region : undefined,
    };
    const metadata = stackMetadata(directory, artifact, problems);
    const template = readTemplate(join(directory, artifact.properties.templateFile), artifact.displayName ?? id, known, metadata, problems);
    if (template) { templates.push(template); }
  }
  if (templates.length === 0 && problems.length === problemsBefore) {
    problems.push({ file: directory, message: 'the cloud assembly has no stacks' });
  }
  return templates;
}

/** Metadata entries of a stack artifact: inline in manifest.json, or in its `additionalMetadataFile`. */
function stackMetadata(directory: string, artifact: any, problems: InputProblem[]): PathMetadata {
  const metadata: PathMetadata = { ...(isObject(artifact.metadata) ? artifact.metadata : {}) };
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = join(directory, artifact.additionalMetadataFile);
    try {
      const extra = JSON.parse(readFileSync(file, 'utf8'));
      for (const [path, entries] of Object.entries<any>(isObject(extra) ? extra : {})) {
        metadata[path] = [...metadata[path] ?? [], ...(Array.isArray(entries) ? entries : [])];
      }
    } catch (error) {
      problems.push({ file, message: `acknowledgements cannot be read: ${messageOf(error)}` });
    }
  }
  return metadata;
}

function readTemplate(file: string, stackName: string, known: KnownValues, metadata: PathMetadata,
  problems: InputProblem[]): LoadedTemplate | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const parsed = parseTemplate(file, text);
    checkShape(parsed);
    const template = resolveTemplate(parsed, known, text);
    const account = known.overrides['AWS::AccountId'] ?? known.account ?? '${AWS::AccountId}';
    return { file, stackName, template, account, text, metadata };
  } catch (error) {
    problems.push({ file, message: messageOf(error) });
    return undefined;
  }
}

/** JSON when the file says so (or starts with `{`), YAML otherwise. */
function parseTemplate(file: string, text: string): any {
  if (extname(file).toLowerCase() === '.json' || text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(messageOf(error))?.[1];
      const line = position === undefined ? '' : ` (line ${text.slice(0, Number(position)).split('\n').length})`;
      throw new InputError(`not valid JSON${line}: ${messageOf(error).replace(/\s*\(line \d+ column \d+\)/, '')}`);
    }
  }
  try {
    return loadYamlTemplate(text, file);
  } catch (error) {
    throw new InputError(`not valid YAML: ${messageOf(error).split('\n')[0]}`);
  }
}

/** A CloudFormation template has a Resources map whose entries each have a Type. */
function checkShape(template: unknown): void {
  if (!isObject(template) || !isObject(template.Resources)) {
    throw new InputError('not a CloudFormation template: it has no Resources section');
  }
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!isObject(resource) || typeof resource.Type !== 'string') {
      throw new InputError(`not a CloudFormation template: resource ${logicalId} has no Type`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
