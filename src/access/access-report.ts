import { existsSync, readFileSync, writeFileSync } from 'fs';
import { basename, dirname, join } from 'path';
import { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1, Stage } from 'aws-cdk-lib';
import { AccessReportDocument, ReportTemplate } from './access-report-model';
import { buildReport } from './private/report-builder';
import { renderMarkdown } from './private/report-markdown';

/** Options of a {@link KeyAccessReport}. */
export interface KeyAccessReportProps {
  /**
   * Base name of the files written into the cloud assembly (`<name>.json` and `<name>.md`).
   * @default 'kms-access-report'
   */
  readonly fileName?: string;
}

/**
 * The KMS key access report: for every key, which principals can administer, use, grant and
 * delete it, and the statements that decide it.
 *
 * Register it as a policy validation plugin and `cdk synth` writes `kms-access-report.json` and a
 * Markdown matrix, `kms-access-report.md`, into the cloud assembly next to the templates:
 *
 * ```ts
 * Validations.of(app).addPlugins(new KeyAccessReport());
 * ```
 *
 * It reports and never fails the synth: gate on the KmsChecks rule pack instead.
 */
export class KeyAccessReport implements IPolicyValidationPluginBeta1 {
  /** Builds the report of synthesized templates. */
  public static fromTemplates(templates: ReportTemplate[]): AccessReportDocument {
    return buildReport(templates);
  }

  /** Synthesizes `stage` (an App or a Stage) and builds the report of all its stacks, nested stages included. */
  public static fromStage(stage: Stage): AccessReportDocument {
    return buildReport(stage.synth().stacksRecursively.map((stack) => ({
      stackName: stack.stackName,
      template: stack.template,
      account: accountOf(stack.environment.account),
    })));
  }

  /** The report as a Markdown matrix. */
  public static toMarkdown(report: AccessReportDocument): string {
    return renderMarkdown(report);
  }

  /** Plugin name shown in the policy validation report. */
  public readonly name = 'KmsAccessReport';
  /** Version of the report format. */
  public readonly version?: string = '1.0.0';
  /** The report has no rules: it never reports a violation. */
  public readonly ruleIds?: string[] = [];
  private readonly fileName: string;

  constructor(props: KeyAccessReportProps = {}) {
    this.fileName = props.fileName ?? 'kms-access-report';
  }

  /** Writes the report of each assembly directory's templates into that directory. Always succeeds. */
  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const byDirectory = new Map<string, string[]>();
    for (const path of context.templatePaths) {
      byDirectory.set(dirname(path), [...byDirectory.get(dirname(path)) ?? [], path]);
    }
    for (const [directory, paths] of byDirectory) {
      const report = buildReport(paths.map((path) => readTemplateFile(directory, path)));
      writeFileSync(join(directory, `${this.fileName}.json`), `${JSON.stringify(report, undefined, 2)}\n`);
      writeFileSync(join(directory, `${this.fileName}.md`), renderMarkdown(report));
    }
    return { success: true, violations: [], pluginVersion: this.version };
  }
}

/** A template file of the assembly, with its stack name and account from manifest.json. */
function readTemplateFile(directory: string, path: string): ReportTemplate {
  const template = JSON.parse(readFileSync(path, 'utf-8'));
  const manifestPath = join(directory, 'manifest.json');
  const artifacts: Record<string, any> = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf-8')).artifacts ?? {} : {};
  const entry = Object.entries(artifacts).find(([, artifact]) => artifact.properties?.templateFile === basename(path));
  const account = /^aws:\/\/([^/]+)\//.exec(entry?.[1].environment ?? '')?.[1];
  return {
    stackName: entry?.[1].displayName ?? entry?.[0] ?? basename(path, '.template.json'),
    template,
    account: accountOf(account),
  };
}

function accountOf(account: string | undefined): string {
  return account === undefined || account.startsWith('unknown-') || account.includes('${') ? '${AWS::AccountId}' : account;
}
