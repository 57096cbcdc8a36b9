import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { packageRoot } from '../paths.js';

// Azure Pipelines YAML against Microsoft's service schema (azure-pipelines-vscode). The schema is a data file no npm
// package ships; a copy is vendored in schema/vendor (see its README).

export interface PipelineFinding {
  path: string;
  message: string;
}

/** The vendored copy the package ships. */
export function azurePipelinesSchemaPath(): string {
  return join(packageRoot, 'schema', 'vendor', 'azure-pipelines.schema.json');
}

const validators = new Map<string, ValidateFunction>();

/** Compiles the schema once; throws when it is missing, so a caller can never pass a file it did not check. */
export function loadAzurePipelinesValidator(schemaPath = azurePipelinesSchemaPath()): ValidateFunction {
  let validate = validators.get(schemaPath);
  if (!validate) {
    if (!existsSync(schemaPath)) throw new Error(`Azure Pipelines schema not found at ${schemaPath}`);
    // The options the schema needs (see schema/vendor/README.md): its patterns are not unicode-safe and it uses
    // keywords ajv's strict mode rejects. Ajv's own console warnings are silenced; findings come from errors only.
    const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true, logger: false });
    validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
    validators.set(schemaPath, validate);
  }
  return validate;
}

export function validateAzurePipeline(path: string, content: string, schemaPath?: string): PipelineFinding[] {
  const validate = loadAzurePipelinesValidator(schemaPath);
  let doc: unknown;
  try {
    // Like the Azure Pipelines language service, read every scalar as a string: the schema types booleans and
    // numbers as string patterns (`^true$`), because the service itself receives YAML text.
    doc = parseYaml(content, { schema: 'failsafe', uniqueKeys: true, strict: true, prettyErrors: false });
  } catch (error) {
    return [{ path, message: `YAML: ${(error as Error).message}` }];
  }
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => ({
    path,
    message: `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  }));
}

/** Every `.azure-pipelines/*.yml` in a file map. */
export function validateAzurePipelines(files: ReadonlyMap<string, string>, schemaPath?: string): PipelineFinding[] {
  const findings: PipelineFinding[] = [];
  for (const [path, content] of files) {
    if (/^\.azure-pipelines\/[^/]+\.ya?ml$/.test(path))
      findings.push(...validateAzurePipeline(path, content, schemaPath));
  }
  return findings;
}
