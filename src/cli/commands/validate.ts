import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError, UserError } from '../../errors.js';
import { validateRepository } from '../../validate/repository.js';
import type { Io } from '../io.js';
import { parseOptions } from '../usage.js';

/** `aks-platform validate <dir> [--format text|json] [--bicep <path>]`: exit 1 when anything is an error. */
export async function runValidate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: parseOptions('validate'),
  }) as { values: { format?: string; bicep?: string; schemas?: string }; positionals: string[] };
  values.format ??= 'text';
  if (positionals.length > 1)
    throw new UsageError(
      `aks-platform validate: unexpected argument "${positionals[1]}".\n  fix: aks-platform validate [dir] [--format text|json]`,
    );
  const dir = positionals[0] ?? '.';
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(
      `aks-platform validate: ${dir} is not a directory.\n  fix: aks-platform validate <platform repository folder>`,
    );
  if (values.format !== 'text' && values.format !== 'json')
    throw new UsageError(
      `aks-platform validate: --format ${values.format} is not known.\n  fix: use --format text or --format json`,
    );
  for (const [option, path, kind] of [
    ['--bicep', values.bicep, 'file'],
    ['--schemas', values.schemas, 'folder'],
  ] as const) {
    if (path === undefined) continue;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat || (kind === 'file' ? stat.isDirectory() : !stat.isDirectory()))
      throw new UserError(
        `aks-platform validate: ${option} ${path} ${stat ? `is not a ${kind}` : 'does not exist'}.\n  fix: ${option === '--bicep' ? 'give the path of the Bicep CLI, or leave --bicep out to use AKS_PLATFORM_BICEP or bicep on PATH' : 'give the folder of the CRD and Azure Pipelines schemas, or leave --schemas out'}`,
      );
  }
  const report = await validateRepository(dir, { bicep: values.bicep, schemasDir: values.schemas });
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  if (values.format === 'json') {
    io.out(JSON.stringify({ ok: errors === 0, ...report }, null, 2));
  } else {
    for (const check of report.checks)
      io.out(`${check.status === 'ran' ? 'checked' : 'SKIPPED'} ${check.name}: ${check.detail}`);
    for (const f of report.findings)
      io.out(`${f.severity} [${f.rule}] ${f.file}:${f.line}: ${f.message}\n  fix: ${f.fix}`);
    io.out(`${errors} error(s), ${report.findings.length - errors} warning(s).`);
  }
  return errors > 0 ? 1 : 0;
}
