import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project directory: integ apps and the runner live under it. */
export const PROJECT_DIR = path.join(__dirname, '..', '..');

/** An integration app, `integ/integ.<name>.ts`. */
export interface IntegApp {
  /** `key` for `integ/integ.key.ts`. */
  readonly name: string;
  /** Relative to the project: `integ/integ.key.ts`. */
  readonly file: string;
  readonly absolutePath: string;
}

/** What an app needs from the person running it before it can deploy; without it, it is skipped. */
export interface AppRequirement {
  /** Context keys (`-c key=value`) that must all be given. */
  readonly context: string[];
  /** Why, and what to pass: printed when the app is skipped. */
  readonly why: string;
}

/**
 * Apps that cannot deploy in an ordinary account. Without the context they synthesize with
 * placeholders (for snapshots and the dry run) that would fail at deploy time.
 */
export const APP_REQUIREMENTS: Record<string, AppRequirement> = {
  'cloudhsm-key': {
    context: ['cloudHsmClusterId', 'trustAnchorCertificateFile', 'kmsUserPasswordSecretName'],
    why: 'needs an initialized CloudHSM cluster with two active HSMs, a kmsuser crypto user and a secret with its password'
      + ' (see the header of integ/integ.cloudhsm-key.ts)',
  },
  'xks-key': {
    context: ['proxyUriEndpoint', 'proxyUriPath', 'proxyCredentialSecretName', 'xksKeyId'],
    why: 'needs a running external key store proxy, a key behind it and a secret with the proxy credential'
      + ' (see the header of integ/integ.xks-key.ts)',
  },
};

/** Every `integ/integ.*.ts` of the project, by name. */
export function integApps(projectDir = PROJECT_DIR): IntegApp[] {
  return fs.readdirSync(path.join(projectDir, 'integ'))
    .filter((file) => /^integ\..+\.ts$/.test(file) && !file.endsWith('.d.ts'))
    .sort()
    .map((file) => appAt(path.join(projectDir, 'integ', file), projectDir));
}

/** The app in `file` (any path): its name is the part between `integ.` and `.ts`, or the file's base name. */
export function appAt(file: string, projectDir = PROJECT_DIR): IntegApp {
  const absolutePath = path.resolve(projectDir, file);
  const base = path.basename(absolutePath, '.ts');
  return { name: base.replace(/^integ\./, ''), file: path.relative(projectDir, absolutePath), absolutePath };
}

/**
 * The apps the user named (`key`, `integ.key`, `integ.key.ts` or `integ/integ.key.ts`), in the
 * order given, or every app when none is named. An unknown name is an error listing the known ones.
 */
export function selectApps(names: string[], all: IntegApp[] = integApps()): IntegApp[] {
  if (names.length === 0) { return all; }
  return names.map((name) => {
    const wanted = path.basename(name).replace(/^integ\./, '').replace(/\.ts$/, '');
    const found = all.find((app) => app.name === wanted);
    if (!found) {
      throw new Error(`no integ app '${name}'. Known apps: ${all.map((app) => app.name).join(', ')}`);
    }
    return found;
  });
}

/** Why `app` cannot deploy with `context`, or undefined when it can. */
export function unmetRequirement(app: IntegApp, context: Record<string, unknown>): string | undefined {
  const requirement = APP_REQUIREMENTS[app.name];
  const missing = requirement?.context.filter((key) => context[key] === undefined) ?? [];
  if (!requirement || missing.length === 0) { return undefined; }
  return `${requirement.why}; pass ${missing.map((key) => `-c ${key}=...`).join(' ')}`;
}
