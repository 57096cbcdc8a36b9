import type { Answers, ArcClusterAnswers } from '../answers/schema.js';
import { defaultFleetStages } from '../answers/fleet.js';
import { fleetNames } from '../answers/names.js';
import { kuredDeployed } from '../answers/upgrades.js';

// Clusters the platform does not create (Azure Arc-enabled) and the fleet that updates the clusters it does create.
// What a cluster supports is decided here, per cluster kind and distribution, from the tables below; renderers read
// the capabilities and never ask which kind a cluster is.

/** What a cluster supports, as far as the output is concerned. */
export interface ClusterCapabilities {
  /**
   * Node OS updates: the AKS node OS channel, the OS patching itself and Kured rebooting, or nothing (Kured
   * declined where nothing else reboots the nodes).
   */
  nodeOsPatching: 'aks-channel' | 'kured' | 'none';
  /** The Secrets Store CSI driver with the Azure provider: the AKS add-on, or the Arc cluster extension. */
  secrets: 'csi-addon' | 'csi-extension';
  /** Azure Monitor, Azure Policy and Flux: AKS add-ons and extensions, or Arc cluster extensions. */
  extensions: 'aks' | 'arc';
  /** Pods sign in to Entra ID through a federated service account (workload identity). */
  workloadIdentity: boolean;
  /** Services of type LoadBalancer: Azure's internal load balancer, or whatever the distribution provides. */
  loadBalancer: 'azure-internal' | 'distribution';
  /**
   * The managed Gateway API implementation of the ingress answer (src/plan/ingress.ts) runs on the cluster, so the
   * platform Gateway and the team routes apply there. AKS only: Arc clusters get no AKS ingress profile.
   */
  gatewayApi: boolean;
}

export interface ClusterPlan {
  /** The GitOps entry point clusters/<entryPoint> and the Flux configuration's path. */
  entryPoint: string;
  kind: 'aks' | 'arc';
  environment: string;
  /** Resource group and name of the Azure resource (managedClusters or connectedClusters). */
  resourceGroup: string;
  clusterName: string;
  distribution: string;
  capabilities: ClusterCapabilities;
  /**
   * Whether the entry point applies the team apps: not where their Key Vault mounts need workload identity and the
   * cluster has none (the plan records the omission).
   */
  runsTeamApps: boolean;
  /** How a cluster the platform does not create is connected (az connectedk8s connect); undefined for AKS. */
  onboarding: ArcOnboarding | undefined;
}

export interface ArcOnboarding {
  /** The --distribution value of az connectedk8s connect. */
  distribution: string;
  /** Connect with --enable-oidc-issuer --enable-workload-identity. */
  workloadIdentity: boolean;
  /** Turn on Azure RBAC for the cluster (the identity answers chose azure-rbac). */
  azureRbac: boolean;
}

/** One row per deploy-time fact about a distribution; each cites where it comes from. */
interface DistributionFacts {
  workloadIdentity: boolean;
  /** The --distribution value of az connectedk8s connect. */
  connectAs: string;
  source: string;
}

/**
 * Workload identity federation on Arc-enabled Kubernetes (GA since November 2025) is supported on these
 * distributions only; elsewhere (EKS, GKE, RKE2, others) the cluster's own issuer is not federated by Arc.
 */
export const ARC_DISTRIBUTION_FACTS: Record<ArcClusterAnswers['distribution'], DistributionFacts> = {
  k3s: {
    connectAs: 'k3s',
    workloadIdentity: true,
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity',
  },
  'aks-hybrid': {
    connectAs: 'aks_workload',
    workloadIdentity: true,
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity',
  },
  openshift: {
    connectAs: 'openshift',
    workloadIdentity: true,
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity',
  },
  tanzu: {
    connectAs: 'tkg',
    workloadIdentity: true,
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity',
  },
  eks: {
    connectAs: 'eks',
    workloadIdentity: false,
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity',
  },
  gke: {
    connectAs: 'gke',
    workloadIdentity: false,
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity',
  },
  rke2: {
    connectAs: 'rancher_rke',
    workloadIdentity: false,
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity',
  },
  other: {
    connectAs: 'generic',
    workloadIdentity: false,
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/workload-identity',
  },
};

export interface ArcExtension {
  /** The extension resource name on the connected cluster. */
  name: string;
  extensionType: string;
  what: string;
  source: string;
}

/**
 * The cluster extensions an Arc-enabled cluster gets, each standing in for what AKS has built in. `when` names the
 * plan component that turns it on (Flux whenever the repository is known).
 */
export const ARC_EXTENSIONS = {
  flux: {
    name: 'flux',
    extensionType: 'microsoft.flux',
    what: 'Flux, reconciling the cluster entry point',
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/extensions-release#flux-gitops',
  },
  containerInsights: {
    name: 'azuremonitor-containers',
    extensionType: 'Microsoft.AzureMonitor.Containers',
    what: 'Container Insights, into the environment workspace',
    source: 'https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable',
  },
  keyVaultCsi: {
    name: 'akvsecretsprovider',
    extensionType: 'Microsoft.AzureKeyVaultSecretsProvider',
    what: 'the Secrets Store CSI driver with the Azure Key Vault provider',
    source: 'https://learn.microsoft.com/azure/azure-arc/kubernetes/tutorial-akv-secrets-provider',
  },
  azurePolicy: {
    name: 'azurepolicy',
    extensionType: 'Microsoft.PolicyInsights',
    what: 'Azure Policy (Gatekeeper)',
    source: 'https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes',
  },
} as const satisfies Record<string, ArcExtension>;

const ARC_NETWORK = 'https://learn.microsoft.com/azure/azure-arc/kubernetes/network-requirements';

/**
 * Deploy-time contract, one row per feature of an Arc-enabled cluster: the outbound endpoints it needs from the
 * cluster's network (HTTPS 443; websockets for *.servicebus.windows.net), each row citing its document. Unlike the
 * AKS egress, nothing in Azure opens them: the runbook lists the rows a platform's Arc clusters need, for the team
 * that runs their firewall or proxy. `{region}` is the region the clusters are connected in.
 */
export interface ArcEgressContract {
  rule: string;
  /** Why the cluster calls these endpoints. */
  why: string;
  needed: (cluster: ClusterPlan) => boolean;
  fqdns: readonly string[];
  sources: readonly string[];
}

export const ARC_EGRESS_CONTRACTS: readonly ArcEgressContract[] = [
  {
    rule: 'arc-agents',
    why: 'the agents register the cluster, push status, fetch configuration and get Azure Resource Manager tokens',
    needed: () => true,
    fqdns: [
      'management.azure.com',
      '{region}.dp.kubernetesconfiguration.azure.com',
      'login.microsoftonline.com',
      '{region}.login.microsoft.com',
      'login.windows.net',
    ],
    sources: [ARC_NETWORK],
  },
  {
    rule: 'arc-images',
    why: 'images of the Arc agents and of the cluster extensions',
    needed: () => true,
    fqdns: ['mcr.microsoft.com', '*.data.mcr.microsoft.com'],
    sources: [ARC_NETWORK],
  },
  {
    rule: 'arc-identity',
    why: "the connected cluster's managed identity certificates",
    needed: () => true,
    fqdns: ['gbl.his.arc.azure.com', '*.his.arc.azure.com'],
    sources: [ARC_NETWORK],
  },
  {
    rule: 'arc-onboarding',
    why: 'az connectedk8s connect downloads kubectl while it onboards the cluster',
    needed: (c) => c.onboarding !== undefined,
    fqdns: ['dl.k8s.io'],
    sources: [ARC_NETWORK],
  },
  {
    rule: 'cluster-connect',
    why: 'cluster connect (az connectedk8s proxy), through which the admin and team groups reach the API server',
    needed: (c) => c.onboarding !== undefined,
    fqdns: [
      'guestnotificationservice.azure.com',
      '*.guestnotificationservice.azure.com',
      'sts.windows.net',
      '*.servicebus.windows.net',
      '{region}.obo.arc.azure.com:8084',
    ],
    sources: [ARC_NETWORK, 'https://learn.microsoft.com/azure/azure-arc/kubernetes/cluster-connect'],
  },
  {
    rule: 'azure-rbac',
    why: 'Azure RBAC on the cluster resolves users and groups',
    needed: (c) => c.onboarding?.azureRbac === true,
    fqdns: ['graph.microsoft.com'],
    sources: [ARC_NETWORK, 'https://learn.microsoft.com/azure/azure-arc/kubernetes/azure-rbac'],
  },
  {
    rule: 'arc-extensions',
    why: 'the cluster extensions this platform installs (Flux, Container Insights, Key Vault, Azure Policy)',
    needed: (c) => c.capabilities.extensions === 'arc',
    fqdns: ['linuxgeneva-microsoft.azurecr.io'],
    sources: [ARC_NETWORK, 'https://learn.microsoft.com/azure/azure-arc/kubernetes/conceptual-extensions'],
  },
  {
    rule: 'azure-portal',
    why: 'managing the connected cluster in the Azure portal',
    needed: (c) => c.onboarding !== undefined,
    fqdns: ['*.arc.azure.net'],
    sources: [ARC_NETWORK],
  },
];

/** The rows any of the given clusters needs, in table order. */
export function arcEgress(clusters: readonly ClusterPlan[]): ArcEgressContract[] {
  return ARC_EGRESS_CONTRACTS.filter((row) => clusters.some((c) => c.kind === 'arc' && row.needed(c)));
}

const AKS_CAPABILITIES = (answers: Answers): ClusterCapabilities => ({
  nodeOsPatching: kuredDeployed(answers) ? 'kured' : 'aks-channel',
  secrets: 'csi-addon',
  extensions: 'aks',
  workloadIdentity: answers.identity.podIdentity === 'workload-identity',
  loadBalancer: 'azure-internal',
  gatewayApi: answers.ingress.implementation !== 'none',
});

/**
 * Arc: no AKS node OS channel exists, so the distribution patches the OS and Kured reboots the nodes, unless the
 * answers declined Kured outright.
 */
function arcCapabilities(answers: Answers, arc: ArcClusterAnswers): ClusterCapabilities {
  return {
    nodeOsPatching: answers.upgrades.kured.enabled === false ? 'none' : 'kured',
    secrets: 'csi-extension',
    extensions: 'arc',
    workloadIdentity:
      answers.identity.podIdentity === 'workload-identity' && ARC_DISTRIBUTION_FACTS[arc.distribution].workloadIdentity,
    loadBalancer: 'distribution',
    gatewayApi: false,
  };
}

/** Team pods mount Key Vault secrets, signing in with a pod identity an Arc cluster must support too. */
function mountsKeyVault(answers: Answers): boolean {
  return (
    answers.secrets.keyVaultCsi &&
    answers.identity.podIdentity !== 'none' &&
    answers.teams.some((team) => team.keyVaultSecrets.length > 0)
  );
}

export function planClusters(
  answers: Answers,
  environments: { name: string; names: { resourceGroup: { value: string }; cluster: { value: string } } }[],
): ClusterPlan[] {
  return [
    ...environments.map(
      (env): ClusterPlan => ({
        entryPoint: env.name,
        kind: 'aks',
        environment: env.name,
        resourceGroup: env.names.resourceGroup.value,
        clusterName: env.names.cluster.value,
        distribution: 'aks',
        capabilities: AKS_CAPABILITIES(answers),
        runsTeamApps: true,
        onboarding: undefined,
      }),
    ),
    ...answers.arc.clusters.map((arc): ClusterPlan => {
      const capabilities = arcCapabilities(answers, arc);
      return {
        entryPoint: arc.name,
        kind: 'arc',
        environment: arc.environment,
        resourceGroup: arc.resourceGroup,
        clusterName: arc.name,
        distribution: arc.distribution,
        capabilities,
        runsTeamApps: !mountsKeyVault(answers) || capabilities.workloadIdentity,
        onboarding: {
          distribution: ARC_DISTRIBUTION_FACTS[arc.distribution].connectAs,
          workloadIdentity: capabilities.workloadIdentity,
          azureRbac: answers.identity.entraId && answers.identity.authorization === 'azure-rbac',
        },
      };
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Fleet Manager

export interface FleetStage {
  name: string;
  /** Update groups of the stage: one per environment, named after it. */
  groups: string[];
  afterStageWaitInSeconds: number;
  /**
   * The pipeline environment whose approval releases the stage in a pipeline-driven update run: the stage's
   * production environment if it has one, else its first.
   */
  approvalEnvironment: string;
  /**
   * Display name of the approval gate before the stage in the pipelines' strategy; undefined for the first stage,
   * which starts with the run.
   */
  approvalGate: string | undefined;
}

export interface FleetMember {
  /** Member name: the environment, which is also its update group. */
  name: string;
  group: string;
  resourceGroup: string;
  clusterName: string;
}

export interface FleetPlan {
  resourceGroup: string;
  name: string;
  /** The strategy the auto-upgrade profiles follow: the stages with a soak between them, never waiting for a person. */
  strategy: string;
  /** The strategy the upgrade pipelines run: the same stages, each after the first behind an approval gate. */
  pipelineStrategy: string;
  members: FleetMember[];
  stages: FleetStage[];
  /** Auto-upgrade profiles: Kubernetes versions (a Fleet channel) and node images, each through the strategy. */
  autoUpgrade: { name: string; channel: 'Stable' | 'Rapid' | 'NodeImage' }[];
}

export function planFleet(
  answers: Answers,
  platform: string,
  location: string,
  environments: {
    name: string;
    production: boolean;
    names: { resourceGroup: { value: string }; cluster: { value: string } };
  }[],
): FleetPlan | undefined {
  if (!answers.fleet.enabled) return undefined;
  const production = new Set(environments.filter((e) => e.production).map((e) => e.name));
  const stages = (answers.fleet.stages ?? defaultFleetStages(environments)).map(
    (stage, i): FleetStage => ({
      name: stage.name,
      groups: stage.environments,
      afterStageWaitInSeconds: stage.afterStageWaitInSeconds,
      approvalEnvironment: stage.environments.find((e) => production.has(e)) ?? stage.environments[0]!,
      approvalGate: i === 0 ? undefined : `Approve ${stage.name}`,
    }),
  );
  const names = fleetNames(platform, location);
  const { autoUpgradeChannel, nodeOsUpgradeChannel } = answers.upgrades;
  const kubernetes = autoUpgradeChannel === 'stable' ? 'Stable' : autoUpgradeChannel === 'rapid' ? 'Rapid' : undefined;
  return {
    resourceGroup: names.resourceGroup.value,
    name: names.fleet.value,
    strategy: 'staged',
    pipelineStrategy: 'staged-approvals',
    members: environments.map((env) => ({
      name: env.name,
      group: env.name,
      resourceGroup: env.names.resourceGroup.value,
      clusterName: env.names.cluster.value,
    })),
    stages,
    autoUpgrade: [
      ...(kubernetes ? [{ name: 'kubernetes', channel: kubernetes } as const] : []),
      ...(nodeOsUpgradeChannel === 'NodeImage' || autoUpgradeChannel === 'node-image'
        ? [{ name: 'node-image', channel: 'NodeImage' } as const]
        : []),
    ],
  };
}
