import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { FLUX, KUBERNETES_VERSION_VARIABLE, pipelineSecretNames, planDeployments } from '../src/plan/contracts.js';
import { FILEBEAT } from '../src/plan/filebeat.js';
import { GRAFANA_ADMIN } from '../src/plan/grafana.js';
import {
  FLEET_CLIENT_ID_VARIABLE,
  PLAN_CLIENT_ID_VARIABLE,
  deployClientIdVariable,
  operatorClientIdVariable,
  pipelineIdentities,
} from '../src/plan/pipeline-identities.js';
import { secretGuard } from '../src/render/pipelines/scripts.js';
import { validateAzurePipeline } from '../src/validate/azure-pipelines.js';
import { lintWithActionlint, parseWithWorkflowParser, validateWorkflow } from '../src/validate/workflows.js';
import { DEFAULT_KUBERNETES_VERSION, GITHUB_ACTIONS, NODE_LTS } from '../src/versions.js';
import {
  azurePipelineFiles,
  azurePipelinesSchemaMissing,
  deployedParameterFiles,
  generate,
  jobsWithoutPermissions,
  pipelineFiles,
  presetScenarios,
  readWorkflow,
  secretUses,
  shellScripts,
  unpinnedUses,
  workflowFiles,
} from './support/workflows.js';

const scenarios = presetScenarios();

describe("GitHub workflows pass GitHub's parser and actionlint", () => {
  for (const { name, generation } of scenarios) {
    it(`${name}: every workflow, zero findings`, async () => {
      const workflows = workflowFiles(generation.files);
      expect(workflows.map(([p]) => p)).toEqual(
        expect.arrayContaining([
          '.github/workflows/infra.yml',
          '.github/workflows/validate.yml',
          '.github/workflows/kubernetes-upgrade.yml',
        ]),
      );
      for (const [path, content] of workflows) expect(await validateWorkflow(path, content), path).toEqual([]);
    });
  }

  it('both validators catch a broken workflow', async () => {
    const infra = generate(undefined, ['delivery.github.owner=contoso']).files.get('.github/workflows/infra.yml')!;
    // No runs-on is a schema error for the parser; an unknown context is an expression error for actionlint.
    const noRunner = infra.replace(/^ {4}runs-on: .*\n/m, '');
    expect(await parseWithWorkflowParser('infra.yml', noRunner)).not.toEqual([]);
    const badContext = infra.replace('${{ vars.AZURE_PLAN_CLIENT_ID }}', '${{ varz.AZURE_PLAN_CLIENT_ID }}');
    expect(await lintWithActionlint('infra.yml', badContext)).not.toEqual([]);
  });
});

describe('Azure Pipelines files validate against the service schema', () => {
  const skip = azurePipelinesSchemaMissing();
  for (const { name, generation } of scenarios) {
    it.skipIf(skip)(`${name}: every pipeline, zero diagnostics`, () => {
      const pipelines = azurePipelineFiles(generation.files);
      expect(pipelines.map(([p]) => p)).toEqual(
        expect.arrayContaining([
          '.azure-pipelines/infra.yml',
          '.azure-pipelines/validate.yml',
          '.azure-pipelines/kubernetes-upgrade.yml',
        ]),
      );
      for (const [path, content] of pipelines) expect(validateAzurePipeline(path, content), path).toEqual([]);
    });
  }

  it.skipIf(skip)('the schema catches a broken pipeline', () => {
    const infra = generate(undefined, ['delivery.azureDevOps=true']).files.get('.azure-pipelines/infra.yml')!;
    expect(
      validateAzurePipeline(
        'infra.yml',
        infra.replace('scriptLocation:', 'scriptLocaton:').replace(/stage: build/, 'stag: build'),
      ),
    ).not.toEqual([]);
  });

  it('Azure DevOps files are emitted only when chosen, GitHub workflows only when chosen', () => {
    const githubOnly = generate(undefined, ['delivery.azureDevOps=false']).files;
    expect(azurePipelineFiles(githubOnly)).toEqual([]);
    const adoOnly = generate(undefined, ['delivery.githubActions=false', 'delivery.azureDevOps=true']).files;
    expect(workflowFiles(adoOnly)).toEqual([]);
    expect(azurePipelineFiles(adoOnly).length).toBeGreaterThan(0);
    const none = generate(undefined, ['delivery.githubActions=false', 'delivery.azureDevOps=false']).files;
    expect([...none.keys()].filter((p) => p.startsWith('infra/bootstrap/') || p === 'docs/pipelines.md')).toEqual([]);
  });
});

describe('sign-in is federated only', () => {
  it('no file holds or references a client secret; the only secrets are the named application credentials', () => {
    const allowed = new Set<string>([FLUX.tokenVariable, GRAFANA_ADMIN.passwordVariable, FILEBEAT.apiKeyVariable]);
    for (const { name, generation } of scenarios) {
      const named = new Set(pipelineSecretNames(generation.plan));
      for (const [path, content] of generation.files) {
        // A pipeline secret appears only as `NAME: ${{ secrets.NAME }}` mapped into a deploy step, never as a sign-in.
        const other = secretUses(content).filter((line) => {
          const match = /^\s+([A-Z_]+): \$\{\{ secrets\.([A-Z_]+) \}\}$/.exec(line);
          return !(match && match[1] === match[2] && named.has(match[1]!) && allowed.has(match[1]!));
        });
        expect(other, `${name} ${path}`).toEqual([]);
      }
    }
    expect(secretUses('          creds: ${{ secrets.AZURE_CREDENTIALS }}')).not.toEqual([]);
    expect(secretUses('          client-secret: ${{ secrets.X }}')).not.toEqual([]);
  });

  it('azure/login signs in as the identity the job contract names, from repository variables, and may mint an ID token', () => {
    const expected = (path: string, id: string, job: { environment?: unknown }): string => {
      if (id.startsWith('what-if-')) return PLAN_CLIENT_ID_VARIABLE;
      if (id.startsWith('deploy-')) return deployClientIdVariable(String(job.environment));
      // With the fleet on, the upgrade workflows run one job per fleet stage, as the fleet operator.
      if (id.startsWith('stage-')) {
        expect(path, id).toMatch(/node-image-upgrade|kubernetes-upgrade/);
        return FLEET_CLIENT_ID_VARIABLE;
      }
      const env = id.replace(/^(stop-start|node-image|upgrade)-/, '');
      expect(path, id).toMatch(/stop-start|node-image-upgrade|kubernetes-upgrade/);
      return operatorClientIdVariable(env);
    };
    for (const { generation } of scenarios) {
      for (const [path, content] of workflowFiles(generation.files)) {
        const workflow = readWorkflow(content);
        for (const [id, job] of Object.entries(workflow.jobs)) {
          const login = job.steps.find((s) => s.uses?.startsWith('azure/login@'));
          if (!login) continue;
          expect(login.with, `${path} ${id}`).toEqual({
            'client-id': `\${{ vars.${expected(path, id, job as { environment?: unknown })} }}`,
            'tenant-id': '${{ vars.AZURE_TENANT_ID }}',
            'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}',
          });
          expect((job.permissions as Record<string, string>)['id-token'], `${path} ${id}`).toBe('write');
        }
      }
    }
  });

  it('every deployment, the hub included, runs in its environment: the only subject its deploy identity trusts', () => {
    const { plan, files } = generate('enterprise', ['delivery.github.owner=contoso']);
    const workflow = readWorkflow(files.get('.github/workflows/infra.yml')!);
    expect(workflow.jobs['deploy-hub']).toMatchObject({ environment: 'hub' });
    for (const env of plan.environments)
      expect(workflow.jobs[`deploy-${env.name}`]).toMatchObject({ environment: env.name });
    for (const identity of pipelineIdentities(plan).filter((i) => i.kind === 'deploy'))
      expect(identity.githubSubjects.map((s) => s.subject)).toEqual([
        `repo:contoso/${plan.gitRepository!.repo}:environment:${identity.key}`,
      ]);
  });

  it('Azure DevOps signs in through the service connection of the identity each job needs', () => {
    const { plan, files } = generate('enterprise', [
      'delivery.azureDevOps=true',
      'delivery.azureDevOpsServiceConnection=platform-wif',
    ]);
    const infra = parseYaml(files.get('.azure-pipelines/infra.yml')!) as {
      stages: { stage: string; jobs: { environment?: string; strategy?: unknown; steps?: unknown[] }[] }[];
    };
    const connections = (stage: unknown) =>
      [...JSON.stringify(stage).matchAll(/"azureSubscription":"([^"]+)"/g)].map((m) => m[1]);
    const build = infra.stages.find((s) => s.stage === 'build')!;
    expect(connections(build)).toEqual([]);
    const whatIf = infra.stages.find((s) => s.stage === 'what_if')!;
    expect(new Set(connections(whatIf))).toEqual(new Set(['platform-wif-plan']));
    for (const name of ['hub', ...plan.environments.map((e) => e.name)]) {
      const stage = infra.stages.find((s) => s.stage === `deploy_${name}`)!;
      expect(connections(stage)).toEqual([`platform-wif-${name}`]);
      expect(stage.jobs[0]!.environment).toBe(name);
    }
    for (const m of files.get('.azure-pipelines/stop-start.yml')!.matchAll(/azureSubscription: (.*)/g))
      expect(m[1]).toMatch(/^platform-wif-operator-/);
    // The enterprise fleet's update runs upgrade the clusters, through the fleet operator connection only.
    const upgrade = [...files.get('.azure-pipelines/kubernetes-upgrade.yml')!.matchAll(/azureSubscription: (.*)/g)];
    expect(upgrade.map((m) => m[1])).toEqual(plan.fleet!.stages.map(() => 'platform-wif-fleet-operator'));
  });
});

describe('least privilege and pinning', () => {
  it('every job declares its permissions and the workflow default is none', () => {
    for (const { name, generation } of scenarios) {
      for (const [path, content] of workflowFiles(generation.files)) {
        const workflow = readWorkflow(content);
        expect(workflow.permissions, `${name} ${path}`).toEqual({});
        expect(jobsWithoutPermissions(workflow), `${name} ${path}`).toEqual([]);
      }
    }
    expect(jobsWithoutPermissions(readWorkflow('on: push\njobs:\n  a:\n    runs-on: x\n    steps: []\n'))).toEqual([
      'a',
    ]);
  });

  it('only jobs that sign in to Azure may mint an ID token; nothing may write contents', () => {
    for (const { generation } of scenarios) {
      for (const [path, content] of workflowFiles(generation.files)) {
        for (const [id, job] of Object.entries(readWorkflow(content).jobs)) {
          const permissions = job.permissions as Record<string, string>;
          const signsIn = job.steps.some((s) => s.uses?.startsWith('azure/login@'));
          expect(permissions['id-token'] === 'write', `${path} ${id}`).toBe(signsIn);
          expect(Object.values(permissions).filter((v) => v === 'write').length, `${path} ${id}`).toBeLessThanOrEqual(
            1,
          );
          expect(permissions.contents ?? 'read', `${path} ${id}`).toBe('read');
        }
      }
    }
  });

  it('every uses: is pinned to a 40-character SHA from versions.ts with its version in a comment', () => {
    const pinned = new Set(Object.entries(GITHUB_ACTIONS).map(([name, pin]) => `${name}@${pin.sha} # ${pin.version}`));
    for (const { generation } of scenarios) {
      for (const [path, content] of workflowFiles(generation.files)) {
        expect(unpinnedUses(content), path).toEqual([]);
        for (const line of content.split('\n').filter((l) => /uses:/.test(l)))
          expect(pinned.has(line.replace(/^.*uses:\s+/, '').trim()), line).toBe(true);
      }
    }
    expect(unpinnedUses('      - uses: actions/checkout@v5')).not.toEqual([]);
    expect(unpinnedUses('      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8')).not.toEqual([]);
  });
});

describe('the deploy pipeline covers exactly the deployments', () => {
  for (const { name, generation } of scenarios) {
    it(`${name}: GitHub and Azure DevOps deploy planDeployments in order`, () => {
      const expected = planDeployments(generation.plan).map((d) => d.parameters);
      expect(deployedParameterFiles(generation.files.get('.github/workflows/infra.yml')!)).toEqual(expected);
      expect(deployedParameterFiles(generation.files.get('.azure-pipelines/infra.yml')!)).toEqual(expected);
      // Once the Bicep area emits parameter files, they must be exactly the ones deployed.
      const emitted = [...generation.files.keys()].filter((p) => /^infra\/[^/]+\.bicepparam$/.test(p));
      if (emitted.length > 0) expect([...emitted].sort()).toEqual([...expected].sort());
    });
  }

  it('a three-environment plan deploys three environments, production last and in its environment', () => {
    const { plan, files } = generate(undefined, [], {
      delivery: { github: { owner: 'contoso' } },
      environments: [
        { name: 'dev', addressSpace: '10.1.0.0/16' },
        { name: 'test', addressSpace: '10.2.0.0/16' },
        { name: 'prod', production: true, addressSpace: '10.3.0.0/16' },
      ],
    });
    const infra = files.get('.github/workflows/infra.yml')!;
    expect(deployedParameterFiles(infra)).toEqual([
      'infra/dev.bicepparam',
      'infra/test.bicepparam',
      'infra/prod.bicepparam',
    ]);
    const jobs = readWorkflow(infra).jobs as Record<string, { environment?: string; needs?: string[]; if?: string }>;
    expect(jobs['deploy-prod']).toMatchObject({ environment: 'prod', needs: ['deploy-test'] });
    expect(jobs['deploy-dev']?.if).toContain("github.ref == 'refs/heads/main'");
    expect(plan.environments.map((e) => e.name)).toEqual(['dev', 'test', 'prod']);
  });

  it('what-if runs for every deployment on pull requests and writes to the job summary', () => {
    const { plan, files } = generate('enterprise', ['delivery.github.owner=contoso']);
    const workflow = readWorkflow(files.get('.github/workflows/infra.yml')!);
    for (const d of planDeployments(plan)) {
      const job = workflow.jobs[`what-if-${d.name}`] as { if?: string; steps: { run?: string }[] };
      expect(job.if).toBe("github.event_name == 'pull_request'");
      const script = job.steps.map((s) => s.run ?? '').join('\n');
      expect(script).toContain(`az deployment sub what-if`);
      expect(script).toContain(`--parameters '${d.parameters}'`);
      expect(script).toContain('$GITHUB_STEP_SUMMARY');
    }
  });
});

describe('upgrades and validation', () => {
  it('the node image workflow exists only when the node OS channel does not roll images itself', () => {
    for (const channel of ['NodeImage', 'SecurityPatch', 'Unmanaged', 'None']) {
      const { files } = generate(undefined, [`upgrades.nodeOsUpgradeChannel=${channel}`, 'delivery.azureDevOps=true']);
      const expected = channel === 'Unmanaged' || channel === 'None';
      expect(files.has('.github/workflows/node-image-upgrade.yml'), channel).toBe(expected);
      expect(files.has('.azure-pipelines/node-image-upgrade.yml'), channel).toBe(expected);
    }
  });

  it('the Kubernetes upgrade does the control plane first, then each pool one at a time with the configured surge, then verifies', () => {
    const { plan, files } = generate('starter', ['upgrades.maxSurge=2']);
    const workflow = readWorkflow(files.get('.github/workflows/kubernetes-upgrade.yml')!);
    for (const env of plan.environments) {
      const script = workflow.jobs[`upgrade-${env.name}`]!.steps.map((s) => s.run ?? '').join('\n');
      const controlPlane = script.indexOf('--control-plane-only');
      const pools = script.indexOf('az aks nodepool upgrade');
      expect(script.indexOf('az aks get-upgrades')).toBeGreaterThan(-1);
      expect(controlPlane).toBeGreaterThan(-1);
      expect(pools).toBeGreaterThan(controlPlane);
      expect(script).toContain(`for pool in ${env.pools.map((p) => `'${p.name}'`).join(' ')}; do`);
      expect(script).toContain("--max-surge '2'");
      expect(script.indexOf('currentOrchestratorVersion != ')).toBeGreaterThan(pools);
    }
  });

  it('validate.yml builds kustomizations and runs kubeconform with the Flux schemas at pinned, checksummed versions', () => {
    const content = generate(undefined).files.get('.github/workflows/validate.yml')!;
    expect(content).toContain('kustomize build "$dir" | kubeconform');
    expect(content).toMatch(/fluxcd\/flux2\/releases\/download\/v\d+\.\d+\.\d+\/crd-schemas\.tar\.gz/);
    expect(content.match(/sha256sum --check/g)?.length).toBe(2);
    expect(content).not.toMatch(/releases\/latest/);
  });

  it('the platform check runs npx on the Active LTS Node.js with the npm cache keyed by .yo-rc.json', () => {
    const { files } = generate('enterprise', ['delivery.azureDevOps=true']);
    const job = readWorkflow(files.get('.github/workflows/validate.yml')!).jobs.platform!;
    const steps = job.steps as { uses?: string; with?: Record<string, string>; run?: string }[];
    const setup = steps.findIndex((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup).toBeGreaterThan(0);
    expect(steps[setup]!.with).toEqual({
      'node-version': NODE_LTS,
      cache: 'npm',
      'cache-dependency-path': '.yo-rc.json',
    });
    expect(steps.findIndex((s) => s.run?.includes('npx'))).toBeGreaterThan(setup);
    const ado = parseYaml(files.get('.azure-pipelines/validate.yml')!) as {
      jobs: {
        job: string;
        steps: { task?: string; inputs?: Record<string, string>; env?: Record<string, string> }[];
      }[];
    };
    const platform = ado.jobs.find((j) => j.job === 'platform')!.steps;
    expect(platform.find((s) => s.task === 'NodeTool@0')?.inputs).toEqual({ versionSpec: `${NODE_LTS}.x` });
    const cache = platform.find((s) => s.task === 'Cache@2')!;
    expect(cache.inputs!.key).toContain('.yo-rc.json');
    expect(platform.at(-1)!.env!.npm_config_cache).toBe(cache.inputs!.path);
  });

  it('output is deterministic', () => {
    const a = pipelineFiles(generate('enterprise', ['delivery.azureDevOps=true']).files);
    const b = pipelineFiles(generate('enterprise', ['delivery.azureDevOps=true']).files);
    expect(a).toEqual(b);
  });

  it('every script is valid bash', () => {
    const syntaxErrors = (script: string) => spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' }).stderr;
    for (const { name, generation } of scenarios) {
      for (const [path, content] of pipelineFiles(generation.files)) {
        const scripts = shellScripts(content);
        expect(scripts.length, path).toBeGreaterThan(0);
        for (const script of scripts) expect(syntaxErrors(script), `${name} ${path}\n${script}`).toBe('');
      }
    }
    expect(syntaxErrors('if [ x ]; then\n  echo\n')).not.toBe('');
  });

  it('workflows are YAML data: every file parses and round-trips', () => {
    for (const [path, content] of pipelineFiles(scenarios[2]!.generation.files))
      expect(() => parseYaml(content, { strict: true, uniqueKeys: true }), path).not.toThrow();
  });
});

describe('node image upgrade and stopped clusters', () => {
  it('an environment that is stopped on a schedule is started for the upgrade and stopped again', () => {
    const { files } = generate('starter', ['delivery.github.owner=contoso']);
    const jobs = readWorkflow(files.get('.github/workflows/node-image-upgrade.yml')!).jobs;
    const dev = jobs['node-image-dev']!.steps.map((s) => s.run ?? '').join('\n');
    const start = dev.indexOf('az aks start');
    const upgrade = dev.indexOf('az aks nodepool upgrade');
    const stop = dev.indexOf('az aks stop');
    expect(start).toBeGreaterThan(-1);
    expect(upgrade).toBeGreaterThan(start);
    expect(stop).toBeGreaterThan(upgrade);
    const prod = jobs['node-image-prod']!.steps.map((s) => s.run ?? '').join('\n');
    expect(prod).not.toMatch(/az aks (start|stop)/);
  });
});

describe('the Elasticsearch API key is the one pipeline secret, and only where Filebeat needs it', () => {
  const withFilebeat = generate('multicloud', [
    'delivery.github.owner=contoso',
    'delivery.azureDevOps=true',
    'network.hub.mode=create',
    'network.egress=firewall',
    'observability.elasticsearchUrl=https://logs.example.com:9243',
  ]);
  const name = FILEBEAT.apiKeyVariable;

  it('GitHub: only the environment deploy steps map the secret; the workflow still passes the parser and actionlint', async () => {
    expect(withFilebeat.plan.components.filebeat).toBe(true);
    const workflow = parseYaml(withFilebeat.files.get('.github/workflows/infra.yml')!) as {
      jobs: Record<string, { steps: { name?: string; env?: Record<string, string> }[] }>;
    };
    const mapped = Object.entries(workflow.jobs).flatMap(([job, { steps }]) =>
      steps.filter((s) => s.env?.[name]).map((s) => `${job}: ${s.name} = ${s.env![name]}`),
    );
    expect(mapped).toEqual(
      withFilebeat.plan.environments.map(
        (env) => `deploy-${env.name}: Deploy infra/${env.name}.bicepparam = \${{ secrets.${name} }}`,
      ),
    );
    for (const [path, content] of workflowFiles(withFilebeat.files)) {
      expect(await validateWorkflow(path, content), path).toEqual([]);
      // Every other line still passes the no-secrets rule.
      expect(
        secretUses(content).filter(
          (line) =>
            ![name, FLUX.tokenVariable, GRAFANA_ADMIN.passwordVariable].some((secret) =>
              line.includes(`secrets.${secret} }}`),
            ),
        ),
        path,
      ).toEqual([]);
    }
  });

  it.skipIf(azurePipelinesSchemaMissing())(
    'Azure DevOps: the deploy tasks map the secret variable into their environment',
    () => {
      const infra = withFilebeat.files.get('.azure-pipelines/infra.yml')!;
      expect(validateAzurePipeline('.azure-pipelines/infra.yml', infra)).toEqual([]);
      const mapped = infra.split('\n').filter((line) => line.includes(`${name}: $(${name})`));
      expect(mapped).toHaveLength(withFilebeat.plan.environments.length);
    },
  );

  it('the parameter files read it from the environment, and the guide says how to set it', () => {
    for (const env of withFilebeat.plan.environments)
      expect(withFilebeat.files.get(`infra/${env.name}.bicepparam`)).toContain(
        `readEnvironmentVariable('${name}', '')`,
      );
    expect(withFilebeat.files.get('infra/hub.bicepparam')).not.toContain(name);
    expect(withFilebeat.files.get('docs/pipelines.md')).toContain(
      `gh secret set ${name} --env ${withFilebeat.plan.environments[0]!.name}`,
    );
    // Without Filebeat no pipeline mentions it.
    for (const { generation } of scenarios)
      for (const [path, content] of pipelineFiles(generation.files)) expect(content, path).not.toContain(name);
  });
});

describe("Grafana's admin password reaches only the deploy step of the environments that run Grafana", () => {
  const name = GRAFANA_ADMIN.passwordVariable;

  it('GitHub and Azure DevOps map it into each environment deploy step, never into what-if, the hub or other workflows', () => {
    const { plan, files } = generate('multicloud', [
      'delivery.github.owner=contoso',
      'delivery.azureDevOps=true',
      'network.hub.mode=create',
      'network.egress=firewall',
    ]);
    expect(pipelineSecretNames(plan)).toContain(name);
    const workflow = parseYaml(files.get('.github/workflows/infra.yml')!) as {
      on: Record<string, unknown>;
      jobs: Record<string, { environment?: unknown; steps: { name?: string; env?: Record<string, string> }[] }>;
    };
    const mapped = Object.entries(workflow.jobs).flatMap(([job, { environment, steps }]) =>
      steps.filter((s) => s.env?.[name]).map((s) => `${job} (${String(environment)}): ${s.name}`),
    );
    expect(mapped).toEqual(
      plan.environments.map((env) => `deploy-${env.name} (${env.name}): Deploy infra/${env.name}.bicepparam`),
    );
    // Only the infra workflow's deploy jobs, which never run for a pull request, read it.
    for (const [path, content] of workflowFiles(files))
      if (path !== '.github/workflows/infra.yml') expect(content, path).not.toContain(name);
    const ado = files.get('.azure-pipelines/infra.yml')!;
    expect(ado.split('\n').filter((line) => line.includes(`${name}: $(${name})`))).toHaveLength(
      plan.environments.length,
    );
    // Without Grafana (Azure Managed Grafana instead) no pipeline mentions it.
    const managed = generate('enterprise', ['delivery.github.owner=contoso', 'delivery.azureDevOps=true']);
    expect(managed.plan.components.ossObservability).toBe(false);
    for (const [path, content] of pipelineFiles(managed.files)) expect(content, path).not.toContain(name);
  });
});

describe('a private repository: Flux signs in with the FLUX_GIT_TOKEN pipeline secret', () => {
  const name = FLUX.tokenVariable;

  it('the deploy step of each environment gets the token and stops, naming it, when it is missing', () => {
    const { plan, files } = generate(undefined, ['delivery.github.owner=contoso', 'delivery.azureDevOps=true']);
    expect(plan.gitRepository?.private).toBe(true);
    const workflow = parseYaml(files.get('.github/workflows/infra.yml')!) as {
      jobs: Record<string, { steps: { name?: string; env?: Record<string, string>; run?: string }[] }>;
    };
    for (const env of plan.environments) {
      const step = workflow.jobs[`deploy-${env.name}`]!.steps.find(
        (s) => s.name === `Deploy infra/${env.name}.bicepparam`,
      )!;
      expect(step.env).toEqual({ [name]: `\${{ secrets.${name} }}` });
      expect(step.run).toContain(secretGuard(name));
      // The check runs before the deployment.
      expect(step.run!.indexOf(name)).toBeLessThan(step.run!.indexOf('az deployment sub create'));
    }
    // What-if never sees it.
    for (const [job, { steps }] of Object.entries(workflow.jobs))
      if (job.startsWith('what-if')) for (const s of steps) expect(s.env?.[name], job).toBeUndefined();
    expect(
      files
        .get('.azure-pipelines/infra.yml')!
        .split('\n')
        .filter((line) => line.includes(`${name}: $(${name})`)),
    ).toHaveLength(plan.environments.length);
  });

  it('the guard stops on an unset, empty or unresolved Azure DevOps $(FLUX_GIT_TOKEN), and passes a real token', () => {
    const run = (env: Record<string, string>) =>
      spawnSync('bash', ['-c', `set -euo pipefail\n${secretGuard(name)}\necho passed`], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ...env },
      });
    for (const value of [undefined, '', `$(${name})`]) {
      const result = run(value === undefined ? {} : { [name]: value });
      expect(result.status, String(value)).toBe(1);
      expect(result.stderr).toContain(`The pipeline secret ${name} is not set`);
    }
    const real = run({ [name]: 'github_pat_11ABCDEFG' });
    expect(real.status).toBe(0);
    expect(real.stdout).toBe('passed\n');
  });

  it('a public repository, or no Flux configuration, needs no token anywhere', () => {
    for (const sets of [['delivery.github.owner=contoso', 'delivery.github.private=false'], []]) {
      const { plan, files } = generate(undefined, [...sets, 'delivery.azureDevOps=true']);
      expect(pipelineSecretNames(plan), sets.join(' ')).toEqual([]);
      // Only a README may mention it (how to go private); no pipeline, parameter file or template reads it.
      for (const [path, content] of files) if (!path.endsWith('.md')) expect(content, path).not.toContain(name);
      expect(files.get('infra/modules/flux.bicep') ?? '', sets.join(' ')).not.toContain('httpsKey');
    }
  });
});

describe('deploy and what-if scripts, run against a stub az', () => {
  const { files } = generate('enterprise', ['delivery.github.owner=contoso']);
  const workflow = readWorkflow(files.get('.github/workflows/infra.yml')!);
  const script = (job: string, step: string) => workflow.jobs[job]!.steps.find((s) => s.name === step)!.run!;
  const dir = mkdtempSync(join(tmpdir(), 'stub-az-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // az answers from environment variables and records every call with the Kubernetes version it would deploy.
  writeFileSync(
    join(dir, 'az'),
    [
      '#!/bin/bash',
      'echo "az $* [AKS_KUBERNETES_VERSION=${AKS_KUBERNETES_VERSION:-}]" >> "$CALLS"',
      'case "$*" in',
      '  *"aks show"*powerState.code*) echo "$POWER" ;;',
      '  *"aks show"*currentKubernetesVersion*) [ -n "$RUNNING" ] || exit 3; echo "$RUNNING" ;;',
      '  *"bicep build-params"*)',
      '    prev=""; for a in "$@"; do [ "$prev" = --outfile ] && out="$a"; prev="$a"; done',
      '    printf \'{"parameters":{"kubernetesVersion":{"value":"%s"}}}\' "$PINNED" > "$out" ;;',
      '  *"resource show"*) [ -z "$HUB_MISSING" ] || exit 3 ;;',
      'esac',
    ].join('\n'),
    { mode: 0o755 },
  );
  // date answers the schedule's day and time in the zone it is asked for.
  writeFileSync(
    join(dir, 'date'),
    [
      '#!/bin/bash',
      'case "$1" in',
      '  +%A) echo "$DAY" ;;',
      '  +%H:%M) echo "$TIME" ;;',
      '  *) /usr/bin/date "$@" ;;',
      'esac',
    ].join('\n'),
    { mode: 0o755 },
  );

  function run(body: string, env: Record<string, string>): { status: number | null; calls: string[]; out: string } {
    const calls = join(dir, `calls-${Math.random()}`);
    writeFileSync(calls, '');
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', body], {
      encoding: 'utf8',
      cwd: dir,
      env: {
        PATH: `${dir}:${process.env.PATH ?? ''}`,
        CALLS: calls,
        RUNNER_TEMP: dir,
        GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
        GITHUB_RUN_ID: '1',
        GITHUB_RUN_NUMBER: '1',
        FLUX_GIT_TOKEN: 'github_pat_x',
        PINNED: '1.35',
        RUNNING: '1.35.3',
        POWER: 'Running',
        DAY: 'Tuesday',
        TIME: '10:00',
        HUB_MISSING: '',
        ...env,
      },
    });
    return {
      status: result.status,
      calls: readFileSync(calls, 'utf8').trim().split('\n'),
      out: result.stdout + result.stderr,
    };
  }
  const verbs = (calls: string[]) =>
    calls
      .filter((c) => /aks (start|stop)|deployment sub/.test(c))
      .map((c) => /aks (start|stop)|deployment sub \S+/.exec(c)![0]);
  const deployDev = () => script('deploy-dev', 'Deploy infra/dev.bicepparam');

  it('a schedule-stopped dev is started for the deployment, and stopped again only when its schedule has it off', () => {
    const weekend = run(deployDev(), { POWER: 'Stopped', DAY: 'Saturday', TIME: '10:00' });
    expect(weekend.status, weekend.out).toBe(0);
    expect(verbs(weekend.calls)).toEqual(['aks start', 'deployment sub create', 'aks stop']);
    const evening = run(deployDev(), { POWER: 'Stopped', DAY: 'Tuesday', TIME: '19:30' });
    expect(verbs(evening.calls)).toEqual(['aks start', 'deployment sub create', 'aks stop']);
    const workday = run(deployDev(), { POWER: 'Stopped', DAY: 'Tuesday', TIME: '10:00' });
    expect(verbs(workday.calls)).toEqual(['aks start', 'deployment sub create']);
    const running = run(deployDev(), { POWER: 'Running', DAY: 'Saturday' });
    expect(verbs(running.calls)).toEqual(['deployment sub create']);
  });

  it('a stopped cluster without a schedule stops its own deployment with a message, not half-way in Azure', () => {
    const prod = run(script('deploy-prod', 'Deploy infra/prod.bicepparam'), { POWER: 'Stopped' });
    expect(prod.status).toBe(1);
    expect(prod.out).toMatch(
      /aks-core-prod-westeurope is stopped and AKS changes only running clusters: start it \(az aks start/,
    );
    expect(verbs(prod.calls)).toEqual([]);
  });

  it('the deployment keeps a newer running Kubernetes version and never asks for a downgrade', () => {
    const deployed = (running: string) =>
      run(deployDev(), { RUNNING: running }).calls.find((c) => c.includes('deployment sub create'))!;
    expect(deployed('1.36.2')).toContain('[AKS_KUBERNETES_VERSION=1.36.2]');
    expect(deployed('1.35.4')).toContain('[AKS_KUBERNETES_VERSION=1.35.4]');
    expect(deployed('1.34.9')).toContain('[AKS_KUBERNETES_VERSION=]');
    expect(deployed('')).toContain('[AKS_KUBERNETES_VERSION=]');
    expect(files.get('infra/dev.bicepparam')).toContain(
      `param kubernetesVersion = readEnvironmentVariable('${KUBERNETES_VERSION_VARIABLE}', '${DEFAULT_KUBERNETES_VERSION}')`,
    );
  });

  it('what-if of an environment waits for the hub on a fresh subscription, and reads-only otherwise', () => {
    const whatIf = script('what-if-dev', 'What-if infra/dev.bicepparam');
    const fresh = run(whatIf, { HUB_MISSING: 'yes', RUNNING: '' });
    expect(fresh.status, fresh.out).toBe(0);
    expect(fresh.out).toMatch(
      /::notice::The hub \(afw-core-hub-westeurope in rg-core-hub-westeurope\) does not exist yet/,
    );
    expect(verbs(fresh.calls)).toEqual([]);
    const existing = run(whatIf, { RUNNING: '1.36.0' });
    expect(existing.calls.find((c) => c.includes('deployment sub what-if'))).toMatch(
      /--validation-level ProviderNoRbac .*\[AKS_KUBERNETES_VERSION=1\.36\.0\]/,
    );
    expect(existing.calls.some((c) => /aks (start|stop)|deployment sub create/.test(c))).toBe(false);
  });
});
