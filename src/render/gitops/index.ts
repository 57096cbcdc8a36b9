import type { Plan } from '../../plan/index.js';
import type { ClusterPlan } from '../../plan/hybrid.js';
import { FLUX, fluxVariables } from '../../plan/contracts.js';
import { FILEBEAT } from '../../plan/filebeat.js';
import { teamMountsKeyVault } from '../../plan/gitops.js';
import { GRAFANA_ADMIN, grafanaAdminFromKeyVault } from '../../plan/grafana.js';
import { messages } from '../../messages.js';
import { joinWords } from '../../util/words.js';
import { HELM_CHARTS, pinnedVersion } from '../../versions.js';
import type { OutputArea } from '../area.js';
import { renderTemplate } from '../template.js';
import { APPS_BASE, exampleName, renderTeamBase, teamOverlayPatch } from './apps.js';
import { CONFIGS_ROOT, renderConfigs } from './configs.js';
import {
  GATEWAY_CERTIFICATE_ROOT,
  GATEWAY_ROOT,
  ROUTES_ROOT,
  renderGateway,
  renderGatewayCertificate,
  routesOverlay,
  teamRoute,
  teamRouteOverlayPatch,
} from './gateway.js';
import {
  CONTROLLERS_ROOT,
  gatewayControllers,
  GATEWAY_CONTROLLER_ROOT,
  NODE_REBOOTS_ROOT,
  planControllers,
  renderControllers,
  renderNodeReboots,
  renderGatewayController,
} from './controllers.js';
import { LOGGING_ROOT, renderLogging } from './logging.js';
import { fileTree } from './tree.js';
import { kustomizationFile, metadata, yamlFile, yamlText, type Manifest } from './yaml.js';

// The Flux side of the platform, after the Flux examples: clusters/<env> holds only entry points; controllers apply
// before configs before apps (dependsOn, prune, wait). Kustomization resource lists come from the files emitted.

type Files = Map<string, string>;

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

/**
 * A kustomization.yaml in every folder under `root` that holds manifests, listing its own YAML files and the
 * sub-folders that got one, so each list is exactly what was emitted.
 */
function addFolderKustomizations(files: Files, root: string): void {
  // One pass groups the manifests by folder and each folder under its parent: linear in files, not files x folders.
  const own = new Map<string, string[]>();
  const children = new Map<string, Set<string>>();
  for (const path of files.keys()) {
    if (!path.startsWith(`${root}/`) || !path.endsWith('.yaml')) continue;
    const folder = dirOf(path);
    const list = own.get(folder) ?? [];
    own.set(folder, list);
    if (!path.endsWith('/kustomization.yaml')) list.push(path.slice(folder.length + 1));
    for (let dir = folder; dir !== root && dir.length > root.length; dir = dirOf(dir)) {
      const parent = dirOf(dir);
      const siblings = children.get(parent) ?? new Set<string>();
      if (siblings.has(dir)) break;
      siblings.add(dir);
      children.set(parent, siblings);
      if (!own.has(parent)) own.set(parent, []);
    }
  }
  for (const dir of own.keys()) {
    const subdirs = [...(children.get(dir) ?? [])].map((d) => d.slice(dir.length + 1));
    files.set(`${dir}/kustomization.yaml`, kustomizationFile([...own.get(dir)!.sort(), ...subdirs.sort()]));
  }
}

/**
 * ${NAME} references in the files under a folder: the variables its Flux Kustomization must pass on. Documents that
 * opt out of substitution (Filebeat's configuration, which has ${VAR}s of its own) do not count.
 */
/** How Flux orders the infrastructure folders actually written. */
function infrastructureOrder(paths: string[]): string {
  const written = (root: string) => paths.some((p) => p.startsWith(`${root}/`));
  const controllers = written(CONTROLLERS_ROOT);
  const configs = written(CONFIGS_ROOT);
  const order =
    controllers && configs
      ? 'Flux applies `controllers/` first and `configs/` only once every controller is ready.'
      : controllers
        ? 'Flux applies `controllers/`; these answers need no configs after them.'
        : configs
          ? 'Flux applies `configs/`; these answers need no controllers before them.'
          : '';
  const reboots = !written(NODE_REBOOTS_ROOT)
    ? ''
    : order
      ? ' `node-reboots/` (Kured) follows on the clusters whose distribution patches the node OS itself.'
      : 'Flux applies `node-reboots/` (Kured) on the clusters whose distribution patches the node OS itself.';
  const gatewayFolders = written(GATEWAY_CONTROLLER_ROOT)
    ? '`gateway-controller/` (the ALB Controller of Application Gateway for Containers), then `gateway/` (the platform Gateway)'
    : '`gateway/` (the platform Gateway)';
  const gateway = !written(GATEWAY_ROOT)
    ? ''
    : order || reboots
      ? ` ${gatewayFolders} ${written(GATEWAY_CONTROLLER_ROOT) ? 'follow' : 'follows'} on the clusters that run its Gateway API implementation.`
      : `Flux applies ${gatewayFolders} on the clusters that run its Gateway API implementation.`;
  const certificate = written(GATEWAY_CERTIFICATE_ROOT)
    ? ' `gateway-certificate/` syncs the Gateway certificate from Key Vault after the Gateway; nothing waits for it, since it waits for the certificate in the vault.'
    : '';
  return `${order}${reboots}${gateway}${certificate}`.trim();
}

export function referencedVariables(files: ReadonlyMap<string, string>, root: string): string[] {
  const names = new Set<string>();
  for (const [path, text] of files) {
    if (!path.startsWith(`${root}/`)) continue;
    for (const doc of text.split(/^---$/m)) {
      if (/^\s+kustomize\.toolkit\.fluxcd\.io\/substitute: disabled$/m.test(doc)) continue;
      for (const match of doc.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)) names.add(match[1] as string);
    }
  }
  return [...names].sort();
}

function fluxKustomization(
  plan: Plan,
  name: string,
  path: string,
  dependsOn: string | undefined,
  variables: string[],
): Manifest {
  const known = new Set(fluxVariables(plan).map((v) => v.name));
  const unknown = variables.filter((v) => !known.has(v));
  if (unknown.length > 0)
    throw new Error(
      `gitops: ${path} references ${unknown.join(', ')}, which the Bicep deployment does not pass to Flux`,
    );
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: metadata(name, FLUX.namespace),
    spec: {
      ...(dependsOn ? { dependsOn: [{ name: dependsOn }] } : {}),
      interval: '1h',
      retryInterval: '1m',
      timeout: '10m',
      sourceRef: { kind: 'GitRepository', name: FLUX.configurationName },
      path: `./${path}`,
      prune: true,
      wait: true,
      // The root Kustomization substitutes these from the Bicep deployment; passing them on reaches this subtree.
      ...(variables.length > 0
        ? { postBuild: { substitute: Object.fromEntries(variables.map((v) => [v, `\${${v}}`])) } }
        : {}),
    },
  };
}

/** The Flux Kustomizations one environment gets; each exists only when its folder has content. */
export interface Layer {
  name: string;
  path: string;
  file: 'infrastructure.yaml' | 'apps.yaml';
  /** The layer it waits for; undefined for the first. */
  after: string | undefined;
}

/**
 * The Flux Kustomizations of a cluster's entry point: controllers -> configs -> apps, each waiting for the one
 * before; logging and node reboots wait for the infrastructure too, but nothing waits for them. The cluster's
 * capabilities (plan) decide the node reboots and whether it runs the team apps.
 */
function clusterLayers(cluster: ClusterPlan, files: Files): Layer[] {
  const env = cluster.environment;
  const infra = [
    ...(files.has(`${CONTROLLERS_ROOT}/kustomization.yaml`)
      ? [{ name: 'infra-controllers', path: CONTROLLERS_ROOT }]
      : []),
    ...(files.has(`${CONFIGS_ROOT}/kustomization.yaml`) ? [{ name: 'infra-configs', path: CONFIGS_ROOT }] : []),
    // The Gateway API implementation's controller (AGC's ALB Controller) and its CRDs come before the Gateway.
    ...(cluster.capabilities.gatewayApi && files.has(`${GATEWAY_CONTROLLER_ROOT}/kustomization.yaml`)
      ? [{ name: 'infra-gateway-controller', path: GATEWAY_CONTROLLER_ROOT }]
      : []),
    ...(cluster.capabilities.gatewayApi && files.has(`${GATEWAY_ROOT}/kustomization.yaml`)
      ? [{ name: 'infra-gateway', path: GATEWAY_ROOT }]
      : []),
  ].map((layer, i, all): Layer => ({ ...layer, file: 'infrastructure.yaml', after: all[i - 1]?.name }));
  const afterInfra = infra.at(-1)?.name;
  return [
    ...infra,
    // After the Gateway and waited for by nothing: its pod waits for a certificate people put into the vault.
    ...(cluster.capabilities.gatewayApi && files.has(`${GATEWAY_CERTIFICATE_ROOT}/kustomization.yaml`)
      ? [
          {
            name: 'infra-gateway-certificate',
            path: GATEWAY_CERTIFICATE_ROOT,
            file: 'infrastructure.yaml' as const,
            after: afterInfra,
          },
        ]
      : []),
    ...(files.has(`${LOGGING_ROOT}/kustomization.yaml`)
      ? [{ name: 'infra-logging', path: LOGGING_ROOT, file: 'infrastructure.yaml' as const, after: afterInfra }]
      : []),
    ...(cluster.capabilities.nodeOsPatching === 'kured' && files.has(`${NODE_REBOOTS_ROOT}/kustomization.yaml`)
      ? [
          {
            name: 'infra-node-reboots',
            path: NODE_REBOOTS_ROOT,
            file: 'infrastructure.yaml' as const,
            after: afterInfra,
          },
        ]
      : []),
    ...(cluster.runsTeamApps && files.has(`apps/${env}/kustomization.yaml`)
      ? [{ name: 'apps', path: `apps/${env}`, file: 'apps.yaml' as const, after: afterInfra }]
      : []),
    // Team routes need the Gateway API, which only clusters running the implementation have.
    ...(cluster.runsTeamApps && cluster.capabilities.gatewayApi && files.has(`${routesOverlay(env)}/kustomization.yaml`)
      ? // Not after apps: a missing team secret stalls apps, and routes need only the Gateway (secret-dependency).
        [{ name: 'app-routes', path: routesOverlay(env), file: 'apps.yaml' as const, after: afterInfra }]
      : []),
  ];
}

/** The entry point of every cluster: environments' AKS clusters and Arc clusters alike apply their environment. */
function renderClusters(plan: Plan, files: Files): void {
  for (const cluster of plan.clusters) {
    const env = cluster.environment;
    const layers = clusterLayers(cluster, files);
    const byFile = new Map<string, Manifest[]>();
    for (const layer of layers) {
      // An environment's overlays build from the shared bases under apps/, so they pass what those reference.
      const variables = referencedVariables(files, layer.path.startsWith(`apps/${env}`) ? 'apps' : layer.path);
      const doc = fluxKustomization(plan, layer.name, layer.path, layer.after, variables);
      byFile.set(layer.file, [...(byFile.get(layer.file) ?? []), doc]);
    }
    const dir = FLUX.clusterPath(cluster.entryPoint);
    for (const [file, docs] of byFile) files.set(`${dir}/${file}`, yamlFile(docs));
    files.set(`${dir}/kustomization.yaml`, kustomizationFile([...byFile.keys()].sort()));
  }
}

function renderApps(plan: Plan, files: Files): void {
  for (const team of plan.teams) for (const [path, content] of renderTeamBase(plan, team)) files.set(path, content);
  addFolderKustomizations(files, APPS_BASE);
  if (plan.teams.length === 0) return;
  for (const env of plan.environments) {
    const patches = plan.teams
      .map((team) => teamOverlayPatch(env, team))
      .filter((patch): patch is Manifest => patch !== undefined)
      .map((patch) => ({ patch: yamlText(patch) }));
    files.set(`apps/${env.name}/kustomization.yaml`, kustomizationFile(['../base'], patches));
  }
  const ingress = plan.ingress;
  if (!ingress) return;
  for (const team of plan.teams)
    files.set(`${ROUTES_ROOT}/${team.name}.yaml`, yamlFile(teamRoute(ingress, team, exampleName(team))));
  files.set(`${ROUTES_ROOT}/kustomization.yaml`, kustomizationFile(plan.teams.map((team) => `${team.name}.yaml`)));
  for (const env of plan.environments) {
    const patches = plan.teams
      .map((team) => teamRouteOverlayPatch(ingress, env.name, team))
      .filter((patch): patch is Manifest => patch !== undefined)
      .map((patch) => ({ patch: yamlText(patch) }));
    files.set(`${routesOverlay(env.name)}/kustomization.yaml`, kustomizationFile(['../../routes'], patches));
  }
}

const CONTROLLER_PURPOSE: Record<string, string> = {
  kured:
    'Reboots nodes after unattended OS updates, one at a time, inside the reboot window; drains through the eviction API, so PodDisruptionBudgets hold, and skips a reboot whose drain they block',
  'kube-prometheus-stack':
    'Prometheus, Alertmanager and Grafana (with the Azure Monitor data source when workload identity is on)',
  'aad-pod-identity': 'Deprecated pod identity (archived 2023), kept because the answers ask for it',
  'alb-controller':
    'ALB Controller (in `gateway-controller/`): programs Application Gateway for Containers from the platform Gateway and the team routes, and installs the Gateway API CRDs',
};

function describeLayers(
  files: Files,
  plan: Plan,
): { layers: { file: string; name: string; path: string; after: string }[]; chain: string; logging: boolean } {
  const cluster = plan.clusters[0];
  if (!cluster) return { layers: [], chain: '', logging: false };
  // The layers the entry points were built from, as the README describes them for any environment's AKS cluster.
  const rows = clusterLayers(cluster, files).map((layer) => ({
    file: layer.file,
    name: layer.name,
    path: layer.path.replace(`apps/${cluster.environment}`, 'apps/<environment>'),
    after: layer.after ? `, after \`${layer.after}\`` : '',
  }));
  const chained = rows.filter((r) => r.name !== 'infra-logging');
  return {
    layers: rows,
    chain: chained.map((r) => `\`${r.name}\``).join(' → ') || 'nothing',
    logging: rows.length !== chained.length,
  };
}

/** What differs between the entry points, as the plan decided it per cluster. */
function clusterNotes(plan: Plan, files: Files): string[] {
  const notes: string[] = [];
  const rebooted = plan.clusters.filter((c) =>
    files.get(`${FLUX.clusterPath(c.entryPoint)}/infrastructure.yaml`)?.includes('name: infra-node-reboots'),
  );
  if (rebooted.length > 0)
    notes.push(
      `\`infra-node-reboots\` (Kured, from \`${NODE_REBOOTS_ROOT}\`) runs only on ${rebooted.map((c) => `\`${c.entryPoint}\``).join(', ')}: their distribution patches the node OS itself and Kured reboots the nodes that need it, where the AKS clusters get node images from their upgrade channel.`,
    );
  const withoutApps = plan.clusters.filter((c) => !c.runsTeamApps);
  if (withoutApps.length > 0)
    notes.push(
      `${withoutApps.map((c) => `\`${c.entryPoint}\``).join(', ')} ${withoutApps.length > 1 ? 'apply' : 'applies'} no team apps: the teams mount Key Vault secrets with workload identity, which Azure Arc does not federate on ${[...new Set(withoutApps.map((c) => c.distribution))].join(', ')}.`,
    );
  return notes;
}

function spotNodeAgents(plan: Plan): string[] {
  if (!plan.components.spotPools) return [];
  return [
    ...(plan.components.kured ? ['Kured'] : []),
    ...(plan.components.aadPodIdentity ? ['the AAD pod identity NMI'] : []),
  ];
}

/** What the answers asked for that this folder does not (yet) hold, and why. */
function infrastructureNotes(plan: Plan): string[] {
  const notes: string[] = [];
  if (plan.components.ossObservability && !grafanaAdminFromKeyVault(plan.components)) {
    notes.push(
      "Grafana is not installed: its admin credentials come from Key Vault through the Secrets Store CSI driver with workload identity, which these answers turn off, and the chart's default login (admin / prom-operator) is never deployed.",
    );
  } else if (plan.components.ossObservability) {
    notes.push(
      `Grafana's admin login (\`${GRAFANA_ADMIN.user}\`) comes from Key Vault: the deployment writes \`${GRAFANA_ADMIN.secrets.user}\` and \`${GRAFANA_ADMIN.secrets.password}\` (the password from the \`${GRAFANA_ADMIN.passwordVariable}\` pipeline secret), \`controllers/kube-prometheus-stack/secret-provider-class.yaml\` syncs them into the Secret \`${GRAFANA_ADMIN.kubernetesSecret}\`, and the chart reads it (\`admin.existingSecret\`). Read the password with \`az keyvault secret show\` from a host that reaches the vault.`,
    );
  }
  if (
    plan.components.ossObservability &&
    grafanaAdminFromKeyVault(plan.components) &&
    !plan.components.grafanaAzureMonitor
  ) {
    notes.push(
      'Grafana has no Azure Monitor data source: it reads Azure Monitor through workload identity, which these answers do not turn on.',
    );
  }
  return notes;
}

function readmes(plan: Plan, files: Files): [string, string][] {
  const out: [string, string][] = [];
  const paths = [...files.keys()];
  const has = (root: string) => paths.some((p) => p.startsWith(`${root}/`));
  const tree = (root: string) => fileTree(paths, root);
  if (has('clusters')) {
    out.push([
      'clusters/README.md',
      renderTemplate('gitops/clusters/README.md', {
        flux: FLUX,
        tree,
        repository: plan.gitRepository
          ? ` (${plan.gitRepository.url}, branch \`${plan.gitRepository.branch}\`${plan.gitRepository.private ? `; private, so it signs in with the token from the \`${FLUX.tokenVariable}\` pipeline secret` : ''})`
          : '',
        variables: fluxVariables(plan),
        entryPoints: plan.clusters
          .map((c) =>
            c.kind === 'aks'
              ? `\`${c.entryPoint}\` (the AKS cluster of ${c.environment})`
              : `\`${c.entryPoint}\` (Arc-enabled ${c.distribution} cluster, environment ${c.environment})`,
          )
          .join(', '),
        clusterNotes: clusterNotes(plan, files),
        manifestRoots: joinWords(['infrastructure', 'apps'].filter(has).map((root) => `\`${root}/\``)),
        fluxConfiguration: plan.components.fluxConfiguration,
        addFlux: messages.upgradeCommand('.', '--set delivery.github.owner=<owner>'),
        ...describeLayers(files, plan),
      }),
    ]);
  }
  if (has('infrastructure')) {
    const configs = paths
      .filter((p) => p.startsWith(`${CONFIGS_ROOT}/`) && !p.endsWith('/kustomization.yaml'))
      .map((p) => `\`configs/${p.slice(CONFIGS_ROOT.length + 1)}\``);
    const controllerRows = [...planControllers(plan), ...gatewayControllers(plan)].map((c) => {
      const chart = pinnedVersion(HELM_CHARTS, c.chart);
      return {
        name: c.name,
        namespace: c.namespace,
        chart: `${c.chart} from ${chart.repository}`,
        version: chart.version,
        why: CONTROLLER_PURPOSE[c.name] ?? '',
      };
    });
    out.push([
      'infrastructure/README.md',
      renderTemplate('gitops/infrastructure/README.md', {
        tree,
        fluxNamespace: FLUX.namespace,
        controllerRows,
        order: infrastructureOrder(paths),
        configsSummary: configs.length > 0 ? `${configs.join(', ')}.` : 'none are needed with these answers.',
        logging: plan.components.filebeat
          ? {
              url: plan.observability.elasticsearch?.url,
              secrets: Object.values(FILEBEAT.secrets),
              apiKeySecret: FILEBEAT.secrets.elasticsearchApiKey,
              apiKeyVariable: FILEBEAT.apiKeyVariable,
              eventHub: FILEBEAT.eventHub,
              consumerGroup: FILEBEAT.consumerGroup,
            }
          : undefined,
        notes: infrastructureNotes(plan),
      }),
    ]);
  }
  if (has('apps')) {
    const teamFiles = [
      '`namespace.yaml`: the team namespace (Pod Security baseline enforced, restricted warned).',
      '`service-account.yaml`: the identity its pods run as' +
        (plan.components.workloadIdentity
          ? ", annotated with the client ID of the team's workload identity (federated in `infra/`)."
          : '.'),
      '`resource-quota.yaml` and `limit-range.yaml`: the team budget and container defaults.',
      ...(has(`${APPS_BASE}`) && paths.some((p) => p.endsWith('/network-policies.yaml'))
        ? ['`network-policies.yaml`: deny all traffic, then allow DNS and traffic inside the namespace.']
        : ['No NetworkPolicies: no network policy engine was chosen, so they would not be enforced.']),
      ...(paths.some((p) => p.endsWith('/role-binding.yaml'))
        ? ["`role-binding.yaml`: `edit` in the namespace for the team's Entra group (Kubernetes RBAC)."]
        : []),
      ...(plan.components.azureRbac
        ? ['Access is granted by Azure role assignments in `infra/` (Azure RBAC), so there are no RoleBindings here.']
        : []),
      ...(paths.some((p) => p.endsWith('/pod-identity.yaml'))
        ? [
            '`pod-identity.yaml`: AzureIdentity and AzureIdentityBinding for the team identity (deprecated AAD pod identity).',
          ]
        : []),
      ...(paths.some((p) => p.endsWith('/secret-provider-class.yaml'))
        ? ['`secret-provider-class.yaml`: the Key Vault secrets the team mounts through the Secrets Store CSI driver.']
        : []),
      '`pod-disruption-budget.yaml`: at most one pod of the example workload down at a time, so a drain keeps production (two replicas, spread over zones and nodes) serving.',
      '`deployment.yaml`: an example workload that runs as the service account' +
        (paths.some((p) => p.endsWith('/secret-provider-class.yaml'))
          ? ' and mounts the secrets at `/mnt/secrets-store`. The secrets must exist in the Key Vault: until they do the pod cannot start and the `apps` Kustomization reports it.'
          : '.'),
    ];
    const environmentLines = plan.environments.map((env) => {
      const notes = plan.teams
        .map((team) => {
          const patch = teamOverlayPatch(env, team);
          if (!patch) return undefined;
          const spec = patch.spec as { replicas?: number; template?: unknown };
          return `${team.name}: ${[spec.replicas ? `${spec.replicas} replicas` : '', spec.template ? 'on spot nodes' : ''].filter(Boolean).join(', ')}`;
        })
        .filter(Boolean);
      return `\`${env.name}\`: ${notes.length > 0 ? notes.join('; ') : 'the base as is'}.`;
    });
    out.push([
      'apps/README.md',
      renderTemplate('gitops/apps/README.md', {
        tree,
        teamFiles,
        environmentLines,
        firstSecrets: plan.teams.some((team) => teamMountsKeyVault(plan, team))
          ? {
              who: plan.components.vaultSecretsOfficers
                ? 'The admin groups of the answers hold Key Vault Secrets Officer on each environment vault for this.'
                : 'Nobody is granted Key Vault Secrets Officer by this repository yet (no admin group object IDs in the answers): grant it on the vault to whoever writes them.',
              environments: plan.environments.map((env) => ({
                name: env.name,
                resourceGroup: env.names.resourceGroup.value,
                prefix: env.names.keyVault.value,
              })),
              secrets: [
                ...new Set(plan.teams.filter((t) => teamMountsKeyVault(plan, t)).flatMap((t) => t.keyVaultSecrets)),
              ],
            }
          : undefined,
        spotNote: spotSentence(plan),
      }),
    ]);
  }
  return out;
}

/** What runs on spot nodes, said only when an environment has a spot pool, naming the patches only when some exist. */
function spotSentence(plan: Plan): string | undefined {
  if (!plan.components.spotPools) return undefined;
  const agents = spotNodeAgents(plan);
  const also =
    agents.length > 0 ? ` (and the node agents ${agents.join(' and ')}, which must run on every node they serve)` : '';
  const patched = plan.environments.some((env) =>
    plan.teams.some((team) => (teamOverlayPatch(env, team)?.spec as { template?: unknown } | undefined)?.template),
  );
  return patched
    ? `Platform components never run on spot nodes: the spot taint keeps them off, and only workloads patched above tolerate it${also}.`
    : `Nothing runs on the spot nodes yet: their taint keeps every pod off${also}. A team that sets \`useSpot\` gets a patch here that tolerates it.`;
}

export function renderGitops(plan: Plan): Files {
  const platformNamespaces = new Set([...planControllers(plan), ...gatewayControllers(plan)].map((c) => c.namespace));
  const clash = plan.teams.find((team) => platformNamespaces.has(team.namespace));
  if (clash)
    throw new Error(
      `gitops: team ${clash.name} would share the namespace of a platform component; validateAnswers should refuse the name`,
    );
  const files: Files = new Map();
  for (const [path, content] of renderControllers(plan)) files.set(path, content);
  addFolderKustomizations(files, CONTROLLERS_ROOT);
  for (const [path, content] of renderConfigs(plan)) files.set(path, content);
  addFolderKustomizations(files, CONFIGS_ROOT);
  for (const [path, content] of renderGatewayController(plan)) files.set(path, content);
  addFolderKustomizations(files, GATEWAY_CONTROLLER_ROOT);
  for (const [path, content] of renderGateway(plan)) files.set(path, content);
  addFolderKustomizations(files, GATEWAY_ROOT);
  for (const [path, content] of renderGatewayCertificate(plan)) files.set(path, content);
  addFolderKustomizations(files, GATEWAY_CERTIFICATE_ROOT);
  for (const [path, content] of renderLogging(plan)) files.set(path, content);
  addFolderKustomizations(files, LOGGING_ROOT);
  for (const [path, content] of renderNodeReboots(plan)) files.set(path, content);
  addFolderKustomizations(files, NODE_REBOOTS_ROOT);
  renderApps(plan, files);
  renderClusters(plan, files);
  for (const [path, content] of readmes(plan, files)) files.set(path, content);
  return files;
}

export const gitopsArea: OutputArea = {
  name: 'gitops',
  *render(plan) {
    yield* renderGitops(plan);
  },
};
