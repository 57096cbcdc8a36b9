import type { Plan } from '../../plan/index.js';
import { hardeningRows, unprovenRows } from '../../plan/hardening.js';
import type { OutputArea } from '../area.js';
import { renderTemplate } from '../template.js';
import { messages } from '../../messages.js';
import { pipelineSecretNames, planDeployments } from '../../plan/contracts.js';
import { planDecisions, type Decision } from './decisions.js';
import { topologyDiagram } from './topology.js';
import { ARC_CONNECT_SCRIPT, ARC_RUNBOOK } from '../hybrid.js';

// The repository's own documentation: README with the topology, and one decision record per design topic.

/** What each top-level folder is for; the README lists only the folders that were emitted. */
const FOLDERS: { path: string; purpose: string | ((paths: string[]) => string) }[] = [
  { path: 'docs/decisions', purpose: 'One record per design decision: the choice, the alternatives and why.' },
  { path: 'infra', purpose: 'Bicep for the landing zone and the clusters, one parameter file per environment.' },
  {
    path: 'clusters',
    purpose: 'Flux entry points, one folder per cluster; Flux itself is installed by the AKS (or Arc) extension.',
  },
  {
    path: 'infrastructure',
    purpose: 'Cluster-wide controllers (Helm releases), then the configuration that needs them.',
  },
  { path: 'apps', purpose: 'Team namespaces and workloads: a base and a small overlay per environment.' },
  {
    path: '.github/workflows',
    // An AKS Automatic cluster cannot stop, so its repository has no stop/start workflow to name.
    purpose: (paths) =>
      `GitHub Actions: validation, deployment with what-if, ${paths.includes('.github/workflows/stop-start.yml') ? 'stop/start ' : ''}and upgrades.`,
  },
  { path: '.azure-pipelines', purpose: 'Azure DevOps pipelines with the same stages.' },
];

function decisionPath(index: number, decision: Decision): string {
  return `docs/decisions/${String(index + 1).padStart(4, '0')}-${decision.slug}.md`;
}

/** Where the decision record with this slug is written, for files that link to the choice they follow. */
export function decisionRecordPath(plan: Plan, slug: string): string {
  const decisions = planDecisions(plan);
  const index = decisions.findIndex((d) => d.slug === slug);
  const decision = decisions[index];
  if (!decision) throw new Error(`docs: no decision record with the slug ${slug}`);
  return decisionPath(index, decision);
}

/** The choices as topic/value pairs: the README table and the summary before writing. */
export function choiceSummary(plan: Plan): [string, string][] {
  return [
    ['Environments', plan.environments.map((e) => `${e.name}${e.production ? ' (production)' : ''}`).join(', ')],
    ['Region', plan.location],
    ['Hub', plan.hub.mode],
    ['Egress', plan.network.egress],
    [
      'Network',
      `${plan.network.plugin}, ${plan.network.dataplane} dataplane, ${plan.network.networkPolicy} network policy`,
    ],
    ['Cluster SKU', plan.components.automatic ? 'AKS Automatic' : 'AKS Standard'],
    ['API server', plan.components.privateCluster ? 'private' : 'public'],
    ['Kubernetes', plan.cluster.kubernetesVersion],
    ['Identity', `${plan.identity.podIdentity}, ${plan.identity.kubeletIdentity} kubelet identity`],
    ['Access', plan.components.entraId ? `Entra ID with ${plan.identity.authorization}` : 'local accounts'],
    ['Secrets', plan.components.keyVaultCsi ? 'Key Vault through the Secrets Store CSI driver' : 'Kubernetes Secrets'],
    [
      'Upgrades',
      plan.fleet
        ? `${plan.upgradeChannels.upgradeChannel} channel, node OS ${plan.upgradeChannels.nodeOsUpgradeChannel} on the clusters; staged fleet auto-upgrades: ${plan.fleet.autoUpgrade.map((p) => p.channel).join(', ') || 'none'}${plan.components.kured ? ', Kured' : ''}`
        : `${plan.upgrades.autoUpgradeChannel} channel, node OS ${plan.upgrades.nodeOsUpgradeChannel}${plan.components.kured ? ', Kured' : ''}`,
    ],
    [
      'Observability',
      `${plan.observability.stack}${plan.components.eventHubsStreaming ? ', logs streamed to Event Hubs' : ''}${plan.components.filebeat ? ', Filebeat to Elasticsearch' : ''}`,
    ],
    [
      'Hybrid',
      plan.clusters
        .filter((c) => c.kind === 'arc')
        .map((c) => `${c.entryPoint} (${c.distribution}, ${c.environment})`)
        .join(', ') || 'no Arc-enabled clusters',
    ],
    [
      'Fleet',
      plan.fleet
        ? `Fleet Manager ${plan.fleet.name}, stages ${plan.fleet.stages.map((s) => s.name).join(' → ')}`
        : 'no fleet: each cluster upgrades on its own',
    ],
    ['Teams', plan.teams.map((t) => t.name).join(', ') || 'none'],
    [
      'Pipelines',
      [plan.components.githubActions ? 'GitHub Actions' : '', plan.components.azureDevOps ? 'Azure DevOps' : '']
        .filter(Boolean)
        .join(', ') || 'none',
    ],
  ];
}

const PIPELINE_ENTRY_POINTS = ['.github/workflows/infra.yml', '.azure-pipelines/infra.yml'];

/** How to deploy, in order, pointing only at files that were emitted. */
function deploySteps(plan: Plan, has: (path: string) => boolean): string[] {
  const steps: string[] = [];
  if (plan.gitRepository)
    steps.push(
      `Push this repository to ${plan.gitRepository.url} with \`aks-platform publish .\`: it creates (or reconciles) the GitHub repository, protects \`${plan.gitRepository.branch}\` and creates the environments and variables the pipelines use.`,
    );
  if (has('docs/pipelines.md'))
    steps.push(
      'Once: create the pipeline identity and the repository settings, as [docs/pipelines.md](docs/pipelines.md) describes.',
    );
  const secrets = pipelineSecretNames(plan);
  if (secrets.length > 0 && has('infra/main.bicep')) {
    const where = has('docs/pipelines.md')
      ? '[docs/pipelines.md](docs/pipelines.md#pipeline-secrets)'
      : '[infra/README.md](infra/README.md#deploy)';
    steps.push(
      `Before the first deployment, create the pipeline secret${secrets.length > 1 ? 's' : ''} ${secrets.map((name) => `\`${name}\``).join(' and ')} (${where} says what each holds); the deployment reads them from its environment and nothing secret enters the repository.`,
    );
  }
  if (has(ARC_RUNBOOK)) {
    steps.push(
      `Connect each Arc-enabled cluster once with \`${ARC_CONNECT_SCRIPT}\` before its environment deploys, as [${ARC_RUNBOOK}](${ARC_RUNBOOK}) describes (outbound endpoints, proxy).`,
    );
  }
  if (has('infra/main.bicep')) {
    const order = planDeployments(plan)
      .map((d) => `\`${d.parameters}\``)
      .join(', then ');
    const pipelines = [...PIPELINE_ENTRY_POINTS].some(has);
    steps.push(
      pipelines
        ? `Open a pull request: the pipeline builds and lints the Bicep and shows a what-if per deployment. Merging deploys ${order}; production waits for an approval. To deploy by hand, see [infra/README.md](infra/README.md).`
        : `Deploy ${order} with \`az deployment sub create\`, in that order, as [infra/README.md](infra/README.md) shows.`,
    );
  }
  if (has('clusters/README.md')) {
    steps.push(
      plan.components.fluxConfiguration
        ? `Each new cluster installs Flux through the AKS extension and reconciles \`clusters/<environment>\` from ${plan.gitRepository!.url} (branch \`${plan.gitRepository!.branch}\`); see [clusters/README.md](clusters/README.md).`
        : 'Flux is not wired to this repository yet because its GitHub owner is unknown (see below); [clusters/README.md](clusters/README.md) explains the wiring.',
    );
  }
  return steps;
}

export const docsArea: OutputArea = {
  name: 'docs',
  *render(plan, emitted) {
    const decisions = planDecisions(plan);
    for (const [i, decision] of decisions.entries()) {
      const chosen = decision.options.find((o) => o.id === decision.chosen);
      if (!chosen)
        throw new Error(`decision ${decision.slug}: chosen option ${decision.chosen} is not among its options`);
      yield [
        decisionPath(i, decision),
        renderTemplate('docs/decisions/decision.md', {
          number: i + 1,
          decision,
          chosen,
          alternatives: decision.options.filter((o) => o !== chosen),
        }),
      ];
    }
    const rows = hardeningRows(plan);
    const unproven = unprovenRows(rows, emitted);
    if (unproven.length > 0)
      throw new Error(
        `docs: hardening rows whose file lacks the setting: ${unproven.map((r) => `${r.setting} (${r.file}: ${r.evidence})`).join('; ')}`,
      );
    yield ['docs/hardening.md', renderTemplate('docs/hardening.md', { rows })];
    const paths = [...emitted.keys(), 'docs/decisions/', 'docs/hardening.md'];
    yield [
      'README.md',
      renderTemplate('README.md', {
        title: `${plan.organisation} ${plan.platform} AKS platform`,
        plan,
        choices: choiceSummary(plan),
        topology: topologyDiagram(plan),
        folders: FOLDERS.filter((f) => paths.some((p) => p.startsWith(`${f.path}/`))).map((f) => ({
          path: f.path,
          purpose: typeof f.purpose === 'string' ? f.purpose : f.purpose(paths),
        })),
        decisions: decisions.map((d, i) => ({ title: d.title, path: decisionPath(i, d) })),
        omissions: plan.omissions.map((o) => ({ ...o, fix: messages.upgradeCommand('.', o.fix) })),
        deploy: deploySteps(plan, (path) => emitted.has(path)),
      }),
    ];
  },
};
