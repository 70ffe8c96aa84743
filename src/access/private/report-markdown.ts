import { AccessReportDocument, CapabilityAccess, KeyAccess } from '../access-report-model';
import { AccessDecision } from '../evaluator';

const MARK: Record<AccessDecision, string> = {
  [AccessDecision.ALLOWED]: 'ALLOWED',
  [AccessDecision.CONDITIONAL]: 'CONDITIONAL',
  [AccessDecision.CANNOT_EVALUATE]: 'CANNOT EVALUATE',
  [AccessDecision.EXPLICIT_DENY]: 'denied',
  [AccessDecision.IMPLICIT_DENY]: '-',
};

const LEGEND = [
  '# KMS key access report',
  '',
  'For every KMS key of the cloud assembly: which principals can **administer** it (change it or its policy:',
  'PutKeyPolicy, DisableKey, rotation, aliases...), **use** it (the cryptographic operations), **grant** it',
  '(kms:CreateGrant) and **delete** it (kms:ScheduleKeyDeletion, or kms:DeleteImportedKeyMaterial), as evaluated',
  'from the key policy and the identity policies of the same template.',
  '',
  '- ALLOWED: an Allow applies without conditions and no Deny applies.',
  '- CONDITIONAL: allowed only when the conditions of the listed statements hold (they are not guessed).',
  '- CANNOT EVALUATE: a value that is only known at deploy time (Fn::If, Fn::ImportValue, a parameter) decides it.',
  '- `-`: not allowed; `denied`: explicitly denied.',
  '- An account root row (`arn:aws:iam::ACCOUNT:root`) means the root user **and every IAM principal of that',
  '  account whose identity policy allows the action**: the key policy hands the decision to IAM.',
  '- A pattern row (`arn:aws:iam::ACCOUNT:role/app/orders/*`, or `arn:aws:iam::ACCOUNT:*` for a tag) stands for',
  '  the consumers a statement admits by condition; their identity policies are in their own stacks, so their',
  '  access is at most CONDITIONAL, with the condition shown; a statement only for named roles outside the',
  '  pattern (the deployment role\'s administration) is `-` for it.',
  '- **May both administer and use**: rows whose administration and use can meet in one principal. Use narrowed by',
  '  a tag or role path does not count against administration narrowed to named roles the path cannot match.',
  '- `grant <id>`: a KMS grant declared in the template (a KeyGrant), a source of access outside the key policy;',
  '  with an encryption context constraint it is CONDITIONAL. Each key lists its grants under its matrix.',
  '',
  'Not modelled: SCPs, RCPs, permission boundaries, session policies, grants made outside the template',
  '(by services or by hand), VPC endpoint policies, and identity policies outside this assembly.',
];

/** The report as a readable Markdown matrix, one table per key. */
export function renderMarkdown(report: AccessReportDocument): string {
  const lines = [...LEGEND];
  if (report.keys.length === 0) { lines.push('', 'No KMS keys found.'); }
  for (const key of report.keys) { lines.push('', ...renderKey(key)); }
  return `${lines.join('\n')}\n`;
}

function renderKey(key: KeyAccess): string[] {
  const lines = [`## ${key.path ?? `${key.stack}/${key.logicalId}`}`, '', `${key.type} \`${key.logicalId}\` in stack \`${key.stack}\``, ''];
  if (key.principals.length === 0) {
    lines.push('No principal can do anything with this key.');
  } else {
    lines.push('| Principal | Administer | Use | Grant | Delete |', '| --- | --- | --- | --- | --- |');
    for (const row of key.principals) {
      lines.push(`| \`${escape(row.principal)}\` | ${[row.administer, row.use, row.grant, row.delete].map(cell).join(' | ')} |`);
    }
  }
  const both = key.principals.filter((row) => row.mayAdministerAndUse);
  if (both.length > 0) {
    lines.push('', '**May both administer and use (separation of duties broken):**', '', ...both.map((row) => `- \`${escape(row.principal)}\``));
  }
  if (key.grants.length > 0) {
    lines.push('', '**Grants:**', '', '| Grant | Grantee | Operations | Constraint | Retiring principal |', '| --- | --- | --- | --- | --- |');
    for (const grant of key.grants) {
      const cells = [grant.path ?? grant.logicalId, `\`${grant.grantee}\``, grant.operations.join(', '), grant.constraints ?? '-',
        grant.retiringPrincipal ? `\`${grant.retiringPrincipal}\`` : '-'];
      lines.push(`| ${cells.map(escape).join(' | ')} |`);
    }
  }
  if (key.problems.length > 0) {
    lines.push('', '**Cannot evaluate:**', ...key.problems.map((problem) => `- ${escape(problem)}`));
  }
  return lines;
}

function cell(access: CapabilityAccess): string {
  const mark = MARK[access.decision];
  if (access.decision === AccessDecision.IMPLICIT_DENY) { return mark; }
  const why = [...access.statements, ...(access.conditions ?? []).map((condition) => `when ${condition}`)];
  return why.length > 0 ? `${mark} (${escape(why.join('; '))})` : mark;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}
