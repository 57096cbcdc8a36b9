import { PIPELINE_SECRETS } from '../plan/contracts.js';
import {
  FLEET_CLIENT_ID_VARIABLE,
  PLAN_CLIENT_ID_VARIABLE,
  deployClientIdVariable,
} from '../plan/pipeline-identities.js';
import { secretGuard } from '../render/pipelines/scripts.js';
import type { Files, Finding } from './finding.js';
import { get, lineOf, parseYamlFiles, type YamlDoc } from './rules.js';

// Rules over the pipelines of a repository, from the pipeline identity contract (plan/pipeline-identities.ts):
// pull request runs sign in only as the read-only plan identity, every other job as the identity its row names, the
// cluster operators hold no subscription role, and Azure DevOps scripts get their secrets through an explicit env map.

type Job = Record<string, unknown>;

const CLUSTER_WORKFLOWS = /(^|\/)(stop-start|node-image-upgrade|kubernetes-upgrade)\.ya?ml$/;
/** The upgrades, which a fleet's update runs may drive (plan/pipeline-identities.ts, fleet rows). */
const UPGRADE_WORKFLOWS = /(^|\/)(node-image-upgrade|kubernetes-upgrade)\.ya?ml$/;

function clientIdVariable(value: unknown): string | undefined {
  return typeof value === 'string' ? /^\$\{\{\s*vars\.(\w+)\s*\}\}$/.exec(value.trim())?.[1] : undefined;
}

/** Jobs of a workflow that may run on pull requests: the workflow has such a trigger and the job does not exclude it. */
function runsOnPullRequests(workflow: Record<string, unknown>, job: Job): boolean {
  const on = workflow.on;
  const triggers =
    typeof on === 'string'
      ? [on]
      : Array.isArray(on)
        ? on.map(String)
        : on && typeof on === 'object'
          ? Object.keys(on)
          : [];
  if (!triggers.some((t) => t === 'pull_request' || t === 'pull_request_target')) return false;
  const condition = typeof job.if === 'string' ? job.if.replace(/\s+/g, ' ') : '';
  return !/github\.event_name != 'pull_request'|github\.event_name == '(push|schedule|workflow_dispatch)'/.test(
    condition,
  );
}

interface Login {
  job: string;
  index: number;
  variable: string | undefined;
}

function azureLogins(d: YamlDoc, id: string, job: Job): Login[] {
  const steps = Array.isArray(job.steps) ? (job.steps as Record<string, unknown>[]) : [];
  return steps.flatMap((step, index) =>
    typeof step?.uses === 'string' && step.uses.startsWith('azure/login@')
      ? [{ job: id, index, variable: clientIdVariable(get(step, ['with', 'client-id'])) }]
      : [],
  );
}

/** GitHub: what a job may sign in as, by what starts it. */
function githubIdentities(docs: YamlDoc[]): Finding[] {
  const findings: Finding[] = [];
  for (const d of docs) {
    const jobs = d.value.jobs;
    if (!jobs || typeof jobs !== 'object') continue;
    for (const [id, job] of Object.entries(jobs as Record<string, Job>)) {
      if (!job || typeof job !== 'object') continue;
      const logins = azureLogins(d, id, job);
      const loginLine = (l: Login) => lineOf(d, ['jobs', id, 'steps', l.index, 'with', 'client-id']);
      const environment = typeof job.environment === 'string' ? job.environment : get(job, ['environment', 'name']);
      if (runsOnPullRequests(d.value, job)) {
        if (environment !== undefined && logins.length > 0)
          findings.push({
            rule: 'pipeline-pr-identity',
            severity: 'error',
            file: d.file,
            line: lineOf(d, ['jobs', id, 'environment']),
            message: `job ${id} runs on pull requests in environment ${String(environment)}, so a pull request could sign in as that environment's deploy identity`,
            fix: `run this job only outside pull requests (if: github.event_name != 'pull_request'), or drop the environment and sign in as the plan identity (vars.${PLAN_CLIENT_ID_VARIABLE})`,
          });
        for (const login of logins.filter((l) => l.variable !== PLAN_CLIENT_ID_VARIABLE))
          findings.push({
            rule: 'pipeline-pr-identity',
            severity: 'error',
            file: d.file,
            line: loginLine(login),
            message: `job ${id} runs on pull requests and signs in as ${login.variable ? `vars.${login.variable}` : 'an identity that is not a repository variable'}; anyone who can open a pull request could use it`,
            fix: `sign in as the read-only plan identity (client-id: \${{ vars.${PLAN_CLIENT_ID_VARIABLE} }}), or run the job only outside pull requests`,
          });
        continue;
      }
      for (const login of logins) {
        const variable = login.variable ?? '';
        if (variable === FLEET_CLIENT_ID_VARIABLE) {
          if (!UPGRADE_WORKFLOWS.test(d.file) || environment === undefined)
            findings.push({
              rule: 'pipeline-job-identity',
              severity: 'error',
              file: d.file,
              line: loginLine(login),
              message: UPGRADE_WORKFLOWS.test(d.file)
                ? `job ${id} signs in as the fleet operator vars.${variable} outside any environment; that identity trusts only the environments of the fleet's stages, whose approvals release each stage`
                : `job ${id} signs in as the fleet operator vars.${variable}, whose role on the fleet is for the upgrade pipelines' update runs only`,
              fix: UPGRADE_WORKFLOWS.test(d.file)
                ? "run the job in its stage's environment"
                : 'sign in as the identity this job is for (docs/pipelines.md, Identities and roles)',
            });
          continue;
        }
        if (CLUSTER_WORKFLOWS.test(d.file) && !variable.startsWith('AZURE_OPERATOR_CLIENT_ID_')) {
          findings.push({
            rule: 'pipeline-job-identity',
            severity: 'error',
            file: d.file,
            line: loginLine(login),
            message: `job ${id} starts, stops or upgrades a cluster but signs in as ${variable ? `vars.${variable}` : 'an unknown identity'}, not as an operator identity whose only role is on its cluster${UPGRADE_WORKFLOWS.test(d.file) ? ' or the fleet operator' : ''}`,
            fix: UPGRADE_WORKFLOWS.test(d.file)
              ? `sign in as the environment's operator identity (vars.AZURE_OPERATOR_CLIENT_ID_<ENVIRONMENT>), or with a fleet as vars.${FLEET_CLIENT_ID_VARIABLE}`
              : "sign in as the environment's operator identity (vars.AZURE_OPERATOR_CLIENT_ID_<ENVIRONMENT>)",
          });
          continue;
        }
        if (variable.startsWith('AZURE_DEPLOY_CLIENT_ID_')) {
          const expected = typeof environment === 'string' ? deployClientIdVariable(environment) : undefined;
          if (expected !== variable)
            findings.push({
              rule: 'pipeline-job-identity',
              severity: 'error',
              file: d.file,
              line: loginLine(login),
              message:
                environment === undefined
                  ? `job ${id} signs in as deploy identity vars.${variable} outside any environment; that identity trusts only its environment, so the sign-in fails, and a deployment must wait for the environment's approvals`
                  : `job ${id} runs in environment ${String(environment)} but signs in as vars.${variable}, another environment's deploy identity`,
              fix:
                typeof environment === 'string'
                  ? `sign in as vars.${deployClientIdVariable(environment)}`
                  : 'give the job the environment this deploy identity belongs to',
            });
        }
      }
    }
  }
  return findings;
}

/** The bootstrap grants subscription roles to the plan and deploy identities only; operators get their cluster. */
function operatorScope(files: Files): Finding[] {
  const file = 'infra/bootstrap/pipeline-identity.bicep';
  const text = files.get(file);
  if (!text) return [];
  const identities = /\nvar pipelineIdentities = \[\n([\s\S]*?)\n\]\n/.exec(text)?.[1];
  const grants = /\nvar subscriptionGrants = \[\n([\s\S]*?)\n\]\n/.exec(text);
  if (!identities || !grants) return [];
  const names = [...identities.matchAll(/^ {4}name: '([^']+)'/gm)].map((m) => m[1]!);
  const start = text.slice(0, grants.index + 1).split('\n').length;
  const findings: Finding[] = [];
  grants[1]!.split('\n').forEach((line, i) => {
    const match = /^ {4}identity: (\d+)$/.exec(line);
    if (!match) return;
    const name = names[Number(match[1])] ?? '';
    const role =
      /^ {4}role: '(\w+)'/m.exec(
        grants[1]!
          .split('\n')
          .slice(i + 1, i + 2)
          .join('\n'),
      )?.[1] ?? '';
    const operator = /-operator(-|$)/.test(name);
    const plan = /-plan$/.test(name) && !['reader', 'whatIf'].includes(role);
    if (!operator && !plan) return;
    findings.push({
      rule: 'pipeline-identity-scope',
      severity: 'error',
      file,
      line: start + 1 + i,
      message: operator
        ? `${name} gets ${role} on the subscription, but ${/-fleet-operator$/.test(name) ? 'the fleet operator (update runs) may act on the fleet only' : 'a cluster operator (stop/start, upgrades) may act on its own cluster only'}`
        : `${name} signs in for pull requests and gets ${role}; it may only read and run what-if`,
      fix: operator
        ? /-fleet-operator$/.test(name)
          ? 'remove the grant: the fleet deployment grants the fleet operator its role on the fleet'
          : 'remove the grant: each environment deployment grants its operator the cluster operator role on its cluster'
        : 'grant the plan identity reader and whatIf only',
    });
  });
  return findings;
}

/** Every step of an Azure Pipelines file with its path, however deep (stages, jobs, deployment strategies). */
function adoSteps(
  value: unknown,
  path: (string | number)[] = [],
): { step: Record<string, unknown>; path: (string | number)[] }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => adoSteps(v, [...path, i]));
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const here = path[path.length - 2] === 'steps' ? [{ step: record, path }] : [];
  return [...here, ...Object.entries(record).flatMap(([k, v]) => adoSteps(v, [...path, k]))];
}

function adoScript(step: Record<string, unknown>): string {
  const script = step.bash ?? step.script ?? get(step, ['inputs', 'inlineScript']);
  return typeof script === 'string' ? script : '';
}

/**
 * Azure DevOps: secret variables reach a script only through an explicit env map, and an undefined one stays as the
 * literal $(NAME), so a required secret's guard must treat that literal as unset.
 */
function adoSecrets(docs: YamlDoc[]): Finding[] {
  const findings: Finding[] = [];
  for (const d of docs) {
    for (const { step, path } of adoSteps(d.value)) {
      const script = adoScript(step);
      for (const [name, secret] of Object.entries(PIPELINE_SECRETS)) {
        if (!new RegExp(`\\$\\{?${name}\\b`).test(script)) continue;
        const mapped = get(step, ['env', name]);
        if (mapped !== `$(${name})`)
          findings.push({
            rule: 'ado-secret-mapping',
            severity: 'error',
            file: d.file,
            line: mapped === undefined ? lineOf(d, path) : lineOf(d, [...path, 'env', name]),
            message: `a step reads the pipeline secret ${name}, but ${mapped === undefined ? 'does not map it' : `maps it from ${String(mapped)}`}; Azure DevOps passes secret variables to scripts only through env`,
            fix: `add env: { ${name}: $(${name}) } to the step`,
          });
        else if (secret.required && !script.includes(secretGuard(name)))
          findings.push({
            rule: 'ado-secret-mapping',
            severity: 'error',
            file: d.file,
            line: lineOf(d, [...path, 'env', name]),
            message: `the step needs ${name} but does not stop when it is unset or still the literal $(${name}) Azure DevOps leaves for an undefined variable`,
            fix: "guard it before use: case \"${NAME:-}\" in '' | '$('*')') exit 1 ;; esac",
          });
      }
    }
  }
  return findings;
}

/** The base name of the service connections, from the answers in .yo-rc.json when it is there. */
function serviceConnectionBase(files: Files): string {
  let base = 'azure-platform';
  try {
    const stored = JSON.parse(files.get('.yo-rc.json') ?? 'null') as Record<
      string,
      { answers?: { delivery?: { azureDevOpsServiceConnection?: string } } }
    > | null;
    base = (stored && Object.values(stored)[0]?.answers?.delivery?.azureDevOpsServiceConnection) || base;
  } catch {
    // Without readable answers the default name applies.
  }
  return base;
}

/** Azure DevOps: stages that may run for pull requests use the plan service connection only. */
function adoPullRequestIdentity(files: Files, docs: YamlDoc[]): Finding[] {
  const base = serviceConnectionBase(files);
  const findings: Finding[] = [];
  for (const d of docs) {
    if (d.value.pr === 'none' || d.value.pr === undefined) continue;
    const stages = Array.isArray(d.value.stages) ? (d.value.stages as Record<string, unknown>[]) : [];
    stages.forEach((stage, i) => {
      const condition = typeof stage.condition === 'string' ? stage.condition : '';
      if (/ne\(variables\['Build\.Reason'\], 'PullRequest'\)/.test(condition)) return;
      for (const { step, path } of adoSteps(stage, ['stages', i])) {
        const connection = get(step, ['inputs', 'azureSubscription']);
        if (connection === undefined || connection === `${base}-plan`) continue;
        findings.push({
          rule: 'pipeline-pr-identity',
          severity: 'error',
          file: d.file,
          line: lineOf(d, [...path, 'inputs', 'azureSubscription']),
          message: `stage ${String(stage.stage)} runs for pull requests and signs in through ${String(connection)}, which a pull request must never use`,
          fix: `use the plan service connection ${base}-plan, or add ne(variables['Build.Reason'], 'PullRequest') to the stage condition`,
        });
      }
    });
  }
  return findings;
}

/** Azure DevOps: the cluster pipelines sign in through an operator connection, whose identity acts on its cluster only. */
function adoClusterIdentity(files: Files, docs: YamlDoc[]): Finding[] {
  const base = serviceConnectionBase(files);
  return docs
    .filter((d) => CLUSTER_WORKFLOWS.test(d.file))
    .flatMap((d) =>
      adoSteps(d.value).flatMap(({ step, path }) => {
        const connection = get(step, ['inputs', 'azureSubscription']);
        if (connection === undefined || String(connection).startsWith(`${base}-operator-`)) return [];
        const upgrade = UPGRADE_WORKFLOWS.test(d.file);
        if (upgrade && connection === `${base}-fleet-operator`) return [];
        return [
          {
            rule: 'pipeline-job-identity',
            severity: 'error' as const,
            file: d.file,
            line: lineOf(d, [...path, 'inputs', 'azureSubscription']),
            message: `a step that starts, stops or upgrades a cluster signs in through ${String(connection)}, not an operator connection whose identity acts on its cluster only${upgrade ? ' or the fleet operator connection' : ''}`,
            fix: `use the environment's operator service connection (${base}-operator-<environment>)${upgrade ? `, or with a fleet ${base}-fleet-operator` : ''}`,
          },
        ];
      }),
    );
}

/** Azure DevOps: the fleet operator connection only in the upgrade pipelines, whose update runs it drives. */
function adoFleetIdentity(files: Files, docs: YamlDoc[]): Finding[] {
  const connection = `${serviceConnectionBase(files)}-fleet-operator`;
  return docs
    .filter((d) => !UPGRADE_WORKFLOWS.test(d.file))
    .flatMap((d) =>
      adoSteps(d.value)
        .filter(({ step }) => get(step, ['inputs', 'azureSubscription']) === connection)
        .map(({ path }) => ({
          rule: 'pipeline-job-identity',
          severity: 'error' as const,
          file: d.file,
          line: lineOf(d, [...path, 'inputs', 'azureSubscription']),
          message: `a step signs in through ${connection}, whose role on the fleet is for the upgrade pipelines' update runs only`,
          fix: 'use the service connection of the identity this step is for (docs/pipelines.md, Identities and roles)',
        })),
    );
}

export function checkPipelineRules(files: Files): Finding[] {
  const workflows = parseYamlFiles(files, (path) => /^\.github\/workflows\/[^/]+$/.test(path));
  const pipelines = parseYamlFiles(files, (path) => /^\.azure-pipelines\/[^/]+$/.test(path));
  return [
    ...githubIdentities(workflows),
    ...operatorScope(files),
    ...adoSecrets(pipelines),
    ...adoPullRequestIdentity(files, pipelines),
    ...adoClusterIdentity(files, pipelines),
    ...adoFleetIdentity(files, pipelines),
  ];
}
