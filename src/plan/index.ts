import type { Answers, TeamAnswers } from '../answers/schema.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../versions.js';
import { deriveHubSubnets, maxPodsPerNode, spokeSubnetsInUse, type SpokeSubnetRole } from '../answers/network.js';
import { filebeatBlocker } from './filebeat.js';
import { planIngress, type IngressPlan } from './ingress.js';
import { grafanaAdminFromKeyVault } from './grafana.js';
import { alertmanagerEmail } from './alertmanager.js';
import { planOsDisk, type OsDiskAnswer } from '../azure/vm-sizes.js';
import { environmentNames, hubNames, type DerivedName } from '../answers/names.js';
import { planClusters, planFleet, type ClusterPlan, type FleetPlan } from './hybrid.js';
import {
  autoUpgradeInWindow,
  clusterUpgradeChannels,
  kuredDeployed,
  nodeOsUpgradeInWindow,
} from '../answers/upgrades.js';

// answers -> plan: every decision the output depends on is taken here, once. Renderers only read the plan: their type,
// Plan, holds no answers; the AnsweredPlan buildPlan returns adds them for the metadata area (.yo-rc.json) and upgrade.

export interface Subnet {
  role: SpokeSubnetRole;
  name: string;
  cidr: string;
}

export interface NodePool {
  name: string;
  mode: 'System' | 'User';
  vmSize: string;
  minCount: number;
  maxCount: number;
  zones: string[];
  /** Explicit on every pool: the answer, or maxPodsPerNode's default for the plugin. */
  maxPods: number;
  /** Ephemeral where the VM size's cache or temp disk holds it (planOsDisk). */
  osDiskType: 'Ephemeral' | 'Managed';
  osDiskSizeGB: number;
  spot: boolean;
  taints: string[];
  labels: Record<string, string>;
}

export interface StopStartSchedule {
  days: string[];
  startTime: string;
  stopTime: string;
  timeZone: string;
}

export interface EnvironmentPlan {
  name: string;
  production: boolean;
  addressSpace: string;
  names: {
    resourceGroup: DerivedName;
    cluster: DerivedName;
    nodeResourceGroup: DerivedName;
    virtualNetwork: DerivedName;
    keyVault: DerivedName;
    containerRegistry: DerivedName;
    logKeyVault: DerivedName;
    logStorage: DerivedName;
  };
  subnets: Subnet[];
  pools: NodePool[];
  skuTier: 'Free' | 'Standard';
  /** Production pays for zone redundancy where it is an option rather than a default (Managed Grafana). */
  zoneRedundant: boolean;
  stopStart: StopStartSchedule | undefined;
}

export interface TeamPlan {
  name: string;
  namespace: string;
  serviceAccount: string;
  identityName: string;
  groupObjectId: string | undefined;
  keyVaultSecrets: string[];
  syncAsKubernetesSecret: boolean;
  useSpot: boolean;
}

export interface HubPlan {
  mode: 'create' | 'existing' | 'none';
  names: { resourceGroup: DerivedName; virtualNetwork: DerivedName } | undefined;
  addressSpace: string | undefined;
  subnets: { name: string; cidr: string }[];
  vnetResourceId: string | undefined;
  firewallPrivateIp: string | undefined;
}

/** Something the output leaves out because an answer is missing; shown in the run summary and the README. */
export interface Omission {
  what: string;
  because: string;
  fix: string;
}

export interface Components {
  /**
   * The cluster is AKS Automatic (cluster.sku): AKS manages the system nodes, node auto-provisioning the user nodes,
   * and the answers it fixes were applied before the plan (src/answers/cluster-sku.ts, src/azure/aks-automatic.ts).
   */
  automatic: boolean;
  firewallInHub: boolean;
  egressThroughFirewall: boolean;
  /** Outbound through a NAT gateway on the node subnet. */
  natGateway: boolean;
  privateCluster: boolean;
  apiServerVnetIntegration: boolean;
  userAssignedKubeletIdentity: boolean;
  workloadIdentity: boolean;
  aadPodIdentity: boolean;
  /** Each team gets an Azure identity (federated under workload identity, assigned by AAD Pod Identity otherwise). */
  teamAzureIdentities: boolean;
  entraId: boolean;
  azureRbac: boolean;
  kubernetesRbacBindings: boolean;
  keyVaultCsi: boolean;
  /**
   * The admin groups write the secrets team workloads mount: Key Vault Secrets Officer on the environment vault, which
   * is private, so they write from a network that reaches its private endpoint. Needs the groups' object IDs.
   */
  vaultSecretsOfficers: boolean;
  kured: boolean;
  /** A public API server that admits only the answered ranges (cluster.authorizedIpRanges). */
  authorizedIpRanges: boolean;
  /** Kubernetes auto-upgrades run in the weekly maintenance window (an auto-upgrade channel is on). */
  autoUpgradeWindow: boolean;
  /** Node OS updates run in the weekly maintenance window (NodeImage or SecurityPatch channel). */
  nodeOsUpgradeWindow: boolean;
  /** A pipeline rolls out node images weekly: the answered node OS channel (Unmanaged, None) leaves them to nobody. */
  nodeImagePipeline: boolean;
  spotPools: boolean;
  stopStart: boolean;
  containerInsights: boolean;
  managedPrometheus: boolean;
  managedGrafana: boolean;
  ossObservability: boolean;
  /**
   * Grafana (oss stack) reads Azure Monitor with its own managed identity. Only workload identity can hand Grafana
   * that identity here, so this decides the identity, its role, GRAFANA_CLIENT_ID and the data source together.
   */
  grafanaAzureMonitor: boolean;
  eventHubsStreaming: boolean;
  filebeat: boolean;
  /**
   * Azure Policy (the AKS add-on, the Arc extension) assigns the pod security initiative and the allowed images policy
   * to each cluster.
   */
  policyAssignments: boolean;
  /** Alertmanager (oss stack) emails observability.alertEmails through observability.smtp. */
  alertmanagerEmail: boolean;
  /** Alertmanager signs in to the mail server with a password from Key Vault (observability.smtp.username). */
  alertmanagerSmtpAuth: boolean;
  /** Platform alerts notify an action group (observability.alertEmails). */
  actionGroup: boolean;
  fluxConfiguration: boolean;
  githubActions: boolean;
  azureDevOps: boolean;
  /** Microsoft Defender for Containers profile on each cluster. */
  defender: boolean;
  /** Arc-enabled clusters get extensions and entry points. */
  arc: boolean;
  /** A Fleet Manager updates the AKS clusters in stages. */
  fleet: boolean;
}

/** The cluster network as answered, with the conditions the output branches on decided here. */
export interface NetworkPlan {
  egress: Answers['network']['egress'];
  plugin: Answers['network']['plugin'];
  /** Kubenet: pods take pod-CIDR addresses routed through a route table. */
  kubenet: boolean;
  /** Azure CNI in overlay mode (networkPluginMode overlay). */
  overlay: boolean;
  dataplane: Answers['network']['dataplane'];
  networkPolicy: Answers['network']['networkPolicy'];
  /** A network policy engine enforces NetworkPolicy objects. */
  networkPoliciesEnforced: boolean;
  /** Kube-proxy runs (Cilium replaces it, except under kubenet). */
  kubeProxy: boolean;
  /** The private pod CIDR; undefined under Azure CNI, where pods take VNet addresses. */
  podCidr: string | undefined;
  serviceCidr: string;
  dnsServiceIp: string;
  /** The central (hub) private DNS zones the answers name, by key; the environment creates the others. */
  privateDnsZones: Answers['network']['privateDnsZones'];
}

/** The cluster settings the output carries as values. */
export interface ClusterSettings {
  /** The cluster SKU as answered; components.automatic is the flag renderers branch on. */
  sku: Answers['cluster']['sku'];
  kubernetesVersion: string;
  osSku: Answers['cluster']['osSku'];
  podSecurityStandard: Answers['cluster']['podSecurityStandard'];
  /** Registries answered besides those of the workloads this repository deploys. */
  allowedRegistries: string[];
  /** The ranges a public API server admits (used when components.authorizedIpRanges). */
  authorizedIpRanges: string[];
}

export interface IdentityPlan {
  podIdentity: Answers['identity']['podIdentity'];
  kubeletIdentity: Answers['identity']['kubeletIdentity'];
  authorization: Answers['identity']['authorization'];
  disableLocalAccounts: boolean;
  adminGroupObjectIds: string[];
}

/** The upgrade settings as answered; upgradeChannels holds the channels the AKS clusters carry. */
export interface UpgradePlan {
  autoUpgradeChannel: Answers['upgrades']['autoUpgradeChannel'];
  nodeOsUpgradeChannel: Answers['upgrades']['nodeOsUpgradeChannel'];
  maintenanceWindow: Answers['upgrades']['maintenanceWindow'];
  maxSurge: string;
  kured: Answers['upgrades']['kured'];
  /** Fleet Manager rolls out the node images stage by stage: the answered NodeImage channel moved to the fleet. */
  nodeImagesByFleet: boolean;
}

export interface ObservabilityPlan {
  stack: Answers['observability']['stack'];
  logRetentionDays: number;
  alertEmails: string[];
  /** The Elasticsearch Filebeat ships to, as answered (used when components.filebeat). */
  elasticsearch: ElasticsearchEndpoint | undefined;
  /** The mail server Alertmanager (oss stack) emails alertEmails through; set when components.alertmanagerEmail. */
  smtp: { smarthost: string; from: string; username: string | undefined } | undefined;
}

export interface ElasticsearchEndpoint {
  url: string;
  hostname: string;
  /** HTTPS port: 443 when the URL names none. */
  port: number;
  /** host:port as the URL writes it. */
  host: string;
}

/** What the renderers read: every decision as a named field, and no answers. */
export interface Plan {
  generator: { name: string; version: string };
  /** The preset the answers started from, recorded in .yo-rc.json. */
  preset: string | undefined;
  /** The catalog template the answers started from, recorded in .yo-rc.json so its policy is checked again later. */
  catalog: CatalogRecord | undefined;
  organisation: string;
  platform: string;
  location: string;
  hub: HubPlan;
  environments: EnvironmentPlan[];
  /** Every cluster the GitOps tree serves: one AKS cluster per environment, then the Arc-enabled clusters. */
  clusters: ClusterPlan[];
  fleet: FleetPlan | undefined;
  /** The upgrade channels the AKS clusters carry (a fleet takes some of them over). */
  upgradeChannels: { upgradeChannel: string; nodeOsUpgradeChannel: string };
  teams: TeamPlan[];
  components: Components;
  /** The platform Gateway teams attach routes to; undefined when ingress is none. */
  ingress: IngressPlan | undefined;
  /** Where Flux pulls from; `private` means it needs the FLUX_GIT_TOKEN pipeline secret to sign in. */
  gitRepository: { owner: string; repo: string; url: string; branch: string; private: boolean } | undefined;
  repositoryName: string;
  network: NetworkPlan;
  cluster: ClusterSettings;
  identity: IdentityPlan;
  upgrades: UpgradePlan;
  observability: ObservabilityPlan;
  secrets: { rotationPollInterval: string };
  /** The branch the pipelines deploy from and Flux pulls; the Azure DevOps service connection's base name. */
  delivery: { branch: string; azureDevOpsServiceConnection: string };
  omissions: Omission[];
}

const SUBNET_NAMES: Record<SpokeSubnetRole, string> = {
  nodes: 'snet-nodes',
  ingress: 'snet-ingress',
  privateEndpoints: 'snet-private-endpoints',
  access: 'snet-access',
  apiServer: 'snet-api-server',
  systemNodes: 'snet-system-nodes',
};

/** The plan with the answers it was built from: only the metadata area (.yo-rc.json) and upgrade read them. */
export interface AnsweredPlan extends Plan {
  answers: Answers;
}

function planPools(env: Answers['environments'][number], defaultMaxPods: number): NodePool[] {
  const disk = (pool: { vmSize: string; osDiskType: OsDiskAnswer; osDiskSizeGB?: number | undefined }) => {
    const { type, sizeGB } = planOsDisk(pool.vmSize, pool.osDiskType, pool.osDiskSizeGB);
    return { osDiskType: type, osDiskSizeGB: sizeGB };
  };
  const sized = (pool: Answers['environments'][number]['systemPool']) => ({
    vmSize: pool.vmSize,
    minCount: pool.minCount,
    maxCount: pool.maxCount,
    zones: pool.zones,
    maxPods: pool.maxPods ?? defaultMaxPods,
    ...disk(pool),
  });
  const pools: NodePool[] = [
    // The system pool runs only critical add-ons (CriticalAddonsOnly), so team workloads cannot starve CoreDNS or Flux.
    {
      name: 'system',
      mode: 'System',
      ...sized(env.systemPool),
      spot: false,
      taints: ['CriticalAddonsOnly=true:NoSchedule'],
      labels: {},
    },
    { name: 'user', mode: 'User', ...sized(env.userPool), spot: false, taints: [], labels: {} },
  ];
  if (env.spotPool.enabled) {
    pools.push({
      name: 'spot',
      mode: 'User',
      vmSize: env.spotPool.vmSize,
      minCount: env.spotPool.minCount,
      maxCount: env.spotPool.maxCount,
      zones: env.userPool.zones,
      maxPods: env.spotPool.maxPods ?? defaultMaxPods,
      ...disk({ vmSize: env.spotPool.vmSize, osDiskType: 'auto' }),
      spot: true,
      // AKS adds this taint to every spot node; declaring it keeps the template and the cluster in agreement. The
      // matching label (kubernetes.azure.com/scalesetpriority=spot) is AKS's own: the kubernetes.azure.com prefix is
      // reserved, so it is not declared.
      taints: ['kubernetes.azure.com/scalesetpriority=spot:NoSchedule'],
      labels: {},
    });
  }
  return pools;
}

function planTeam(team: TeamAnswers): TeamPlan {
  return {
    name: team.name,
    namespace: team.name,
    serviceAccount: `${team.name}-workload`,
    identityName: `id-${team.name}`,
    groupObjectId: team.entraGroupObjectId,
    keyVaultSecrets: team.keyVaultSecrets,
    syncAsKubernetesSecret: team.syncAsKubernetesSecret,
    useSpot: team.useSpot,
  };
}

function planOmissions(
  answers: Answers,
  components: Components,
  teams: TeamPlan[],
  clusters: ClusterPlan[],
  ingress: IngressPlan | undefined,
): Omission[] {
  const omissions: Omission[] = [];
  if (ingress && !ingress.dnsZone) {
    omissions.push({
      what: 'DNS records for the team hostnames of the platform Gateway',
      because: 'no ingress.dnsZoneResourceId was given, so the Azure DNS zone to write records into is unknown',
      fix: '--set ingress.dnsZoneResourceId=/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/dnszones/<zone>',
    });
  }
  if (ingress?.alb && components.egressThroughFirewall) {
    omissions.push({
      what: 'Hub firewall rule for the configuration endpoints of Application Gateway for Containers, which the ALB Controller sends its configuration to',
      because:
        'Azure assigns them when it creates the traffic controller and publishes no fixed FQDN list for them, so no rule can name them before the first deployment',
      fix: 'after the first deployment, allow the hosts of the deployment output agcConfigurationEndpoints in the hub firewall policy',
    });
  }
  if (ingress && !ingress.certificateName) {
    omissions.push({
      what: 'HTTPS listener of the platform Gateway (it listens on HTTP only)',
      because: 'no ingress.certificateName was given, so there is no Key Vault certificate to terminate TLS with',
      fix: '--set ingress.certificateName=<certificate name in each environment Key Vault>',
    });
  }
  if (!answers.delivery.github.owner) {
    omissions.push({
      what: 'Flux configuration (the AKS GitOps extension pointing at this repository)',
      because: 'no GitHub owner was given, so the repository URL Flux should pull from is unknown',
      fix: '--set delivery.github.owner=<owner>',
    });
  }
  if (components.entraId && answers.identity.adminGroupObjectIds.length === 0) {
    omissions.push({
      what: 'cluster admin group',
      because: 'no Entra group object ID was given in identity.adminGroupObjectIds',
      fix: '--set identity.adminGroupObjectIds=[<group-object-id>]',
    });
  }
  if (
    components.keyVaultCsi &&
    teams.some((team) => team.keyVaultSecrets.length > 0) &&
    !components.vaultSecretsOfficers
  ) {
    omissions.push({
      what: 'Key Vault Secrets Officer for the platform admins (who write the secrets the team workloads mount)',
      because: components.entraId
        ? 'no Entra group object ID was given in identity.adminGroupObjectIds'
        : 'Entra ID integration is off, so there are no admin groups',
      fix: `${components.entraId ? '' : '--set identity.entraId=true '}--set identity.adminGroupObjectIds=[<group-object-id>]`,
    });
  }
  if (!components.privateCluster && answers.cluster.authorizedIpRanges.length === 0) {
    omissions.push({
      what: 'API server authorized IP ranges',
      because:
        'no cluster.authorizedIpRanges were given, so the public API server accepts connections from any address (Entra ID sign-in still applies)',
      fix: '--set \'cluster.authorizedIpRanges=["<your public CIDR>"]\'',
    });
  }
  if (!components.actionGroup) {
    omissions.push({
      what: 'alert notifications (the action group)',
      because:
        'no observability.alertEmails were given, so the platform alerts fire in Azure Monitor but notify nobody',
      fix: '--set \'observability.alertEmails=["<on-call address>"]\'',
    });
  }
  teams.forEach((team, i) => {
    if (!team.groupObjectId) {
      omissions.push({
        what: `access for team ${team.name}`,
        because: `no Entra group object ID was given in teams.${i}.entraGroupObjectId`,
        fix: `--set teams.${i}.entraGroupObjectId=<group-object-id>`,
      });
    }
  });
  if (components.ossObservability && !components.alertmanagerEmail) {
    omissions.push({
      what: "Alertmanager's email receiver (the oss stack's alerts fire in Prometheus and Alertmanager, and notify nobody)",
      because:
        answers.network.egress === 'firewall'
          ? 'the hub firewall carries no SMTP, so Alertmanager has no mail server it can reach'
          : answers.observability.alertEmails.length === 0
            ? 'no observability.alertEmails were given'
            : 'no observability.smtp.smarthost and observability.smtp.from were given',
      fix:
        answers.network.egress === 'firewall'
          ? '--set network.egress=natGateway --set observability.smtp.smarthost=<host:port> --set observability.smtp.from=<sender>'
          : '--set observability.smtp.smarthost=<host:port> --set observability.smtp.from=<sender> (and observability.alertEmails)',
    });
  }
  if (components.ossObservability && !grafanaAdminFromKeyVault(components)) {
    omissions.push({
      what: 'Grafana in kube-prometheus-stack (Prometheus and Alertmanager stay)',
      because:
        "Grafana's admin credentials come from Key Vault through the Secrets Store CSI driver with workload identity, which these answers turn off, and the chart's own default login is never deployed",
      fix: '--set secrets.keyVaultCsi=true --set identity.podIdentity=workload-identity',
    });
  }
  for (const [i, arc] of answers.arc.clusters.entries()) {
    if (clusters.find((c) => c.entryPoint === arc.name)?.runsTeamApps === false) {
      omissions.push({
        what: `team apps on the Arc cluster ${arc.name}`,
        because: `its distribution (${arc.distribution}) has no Arc workload identity federation, so the teams' Key Vault mounts could not sign in`,
        fix: `--set arc.clusters.${i}.distribution=<k3s|aks-hybrid|openshift|tanzu>, or run the team apps on the AKS clusters only`,
      });
    }
  }
  const filebeat = components.ossObservability && components.eventHubsStreaming ? filebeatBlocker(answers) : undefined;
  if (filebeat) {
    omissions.push({
      what: 'Filebeat shipping the Event Hubs log stream to Elasticsearch',
      because: filebeat.because,
      fix: filebeat.fix,
    });
  }
  return omissions;
}

/** Where Filebeat ships to, for the firewall rule and the READMEs: host name and HTTPS port (443 when the URL names none). */
function elasticsearchEndpoint(url: string | undefined): ElasticsearchEndpoint | undefined {
  if (!url) return undefined;
  const { hostname, port, host } = new URL(url);
  return { url, hostname, port: Number(port || 443), host };
}

export interface CatalogRecord {
  source: string;
  commit?: string;
  template: string;
  version: string;
}

/** Builds the plan from answers that passed validation (validateAnswers). */
export function buildPlan(answers: Answers, preset?: string, catalog?: CatalogRecord): AnsweredPlan {
  const { organisation, platform, location } = answers;
  const environments: EnvironmentPlan[] = answers.environments.map((env) => {
    const names = environmentNames(platform, organisation, env.name, location);
    const subnets = spokeSubnetsInUse(env, answers).map((s) => {
      if (!s.range)
        throw new Error(
          `plan: subnet ${s.role} of ${env.name} was not allocated; validateAnswers should have refused these answers`,
        );
      return {
        role: s.role,
        name: SUBNET_NAMES[s.role],
        cidr: s.range.cidr,
      };
    });
    return {
      name: env.name,
      production: env.production,
      addressSpace: env.addressSpace,
      names,
      subnets,
      // Automatic has no agent pools of ours: AKS hosts the system nodes, Karpenter NodePools the user nodes.
      pools: answers.cluster.sku === 'automatic' ? [] : planPools(env, maxPodsPerNode(answers.network.plugin)),
      // Automatic is always the Standard tier (uptime and pod readiness SLAs).
      skuTier: env.production || answers.cluster.sku === 'automatic' ? 'Standard' : 'Free',
      zoneRedundant: env.production,
      stopStart: env.stopStart.enabled
        ? {
            days: env.stopStart.days,
            startTime: env.stopStart.startTime,
            stopTime: env.stopStart.stopTime,
            timeZone: env.stopStart.timeZone,
          }
        : undefined,
    };
  });

  const hubMode = answers.network.hub.mode;
  const hub: HubPlan = {
    mode: hubMode,
    names: hubMode === 'create' ? hubNames(platform, location) : undefined,
    addressSpace: hubMode === 'create' ? answers.network.hub.addressSpace : undefined,
    subnets:
      hubMode === 'create'
        ? deriveHubSubnets(answers.network.hub.addressSpace).map(({ name, range }) => {
            if (!range) throw new Error(`plan: hub subnet ${name} was not allocated`);
            return { name, cidr: range.cidr };
          })
        : [],
    vnetResourceId: hubMode === 'existing' ? answers.network.hub.vnetResourceId : undefined,
    firewallPrivateIp: hubMode === 'existing' ? answers.network.hub.firewallPrivateIp : undefined,
  };

  const teams = answers.teams.map(planTeam);
  const { identity, observability, delivery } = answers;
  const oss = observability.stack === 'oss';
  const components: Components = {
    automatic: answers.cluster.sku === 'automatic',
    firewallInHub: hubMode === 'create',
    egressThroughFirewall: answers.network.egress === 'firewall',
    natGateway: answers.network.egress === 'natGateway',
    privateCluster: answers.cluster.privateCluster,
    apiServerVnetIntegration: answers.cluster.apiServerVnetIntegration,
    userAssignedKubeletIdentity: identity.kubeletIdentity === 'user-assigned',
    workloadIdentity: identity.podIdentity === 'workload-identity',
    aadPodIdentity: identity.podIdentity === 'aad-pod-identity',
    teamAzureIdentities: identity.podIdentity === 'workload-identity' || identity.podIdentity === 'aad-pod-identity',
    entraId: identity.entraId,
    azureRbac: identity.entraId && identity.authorization === 'azure-rbac',
    kubernetesRbacBindings: identity.entraId && identity.authorization === 'kubernetes-rbac',
    keyVaultCsi: answers.secrets.keyVaultCsi,
    vaultSecretsOfficers: identity.entraId && identity.adminGroupObjectIds.length > 0,
    kured: kuredDeployed(answers),
    authorizedIpRanges: !answers.cluster.privateCluster && answers.cluster.authorizedIpRanges.length > 0,
    autoUpgradeWindow: autoUpgradeInWindow(answers),
    nodeOsUpgradeWindow: nodeOsUpgradeInWindow(answers),
    nodeImagePipeline: ['Unmanaged', 'None'].includes(answers.upgrades.nodeOsUpgradeChannel),
    spotPools: environments.some((env) => env.pools.some((pool) => pool.spot)),
    stopStart: environments.some((env) => env.stopStart !== undefined),
    containerInsights: !oss,
    managedPrometheus: !oss && observability.managedPrometheus,
    managedGrafana: !oss && observability.managedGrafana,
    ossObservability: oss,
    grafanaAzureMonitor: oss && identity.podIdentity === 'workload-identity',
    eventHubsStreaming: observability.eventHubsStreaming,
    filebeat: oss && observability.eventHubsStreaming && filebeatBlocker(answers) === undefined,
    policyAssignments: answers.cluster.azurePolicy,
    alertmanagerEmail: alertmanagerEmail(answers),
    alertmanagerSmtpAuth: alertmanagerEmail(answers) && observability.smtp.username !== undefined,
    actionGroup: observability.alertEmails.length > 0,
    fluxConfiguration: delivery.github.owner !== undefined,
    githubActions: delivery.githubActions,
    azureDevOps: delivery.azureDevOps,
    arc: answers.arc.clusters.length > 0,
    defender: answers.cluster.defender,
    fleet: answers.fleet.enabled,
  };

  const clusters = planClusters(answers, environments);
  const repositoryName = delivery.github.repo ?? `${organisation}-${platform}-platform`;
  const gitRepository = delivery.github.owner
    ? {
        owner: delivery.github.owner,
        repo: repositoryName,
        url: `https://github.com/${delivery.github.owner}/${repositoryName}`,
        branch: delivery.github.branch,
        private: delivery.github.private,
      }
    : undefined;

  const ingress = planIngress(answers, components.egressThroughFirewall);
  const { network, cluster, upgrades } = answers;

  return {
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
    preset,
    catalog,
    answers,
    organisation,
    platform,
    location,
    hub,
    environments,
    clusters,
    fleet: planFleet(answers, platform, location, environments),
    upgradeChannels: clusterUpgradeChannels(answers),
    teams,
    components,
    ingress,
    gitRepository,
    repositoryName,
    network: {
      egress: network.egress,
      plugin: network.plugin,
      kubenet: network.plugin === 'kubenet',
      overlay: network.plugin === 'azure-cni-overlay',
      dataplane: network.dataplane,
      networkPolicy: network.networkPolicy,
      networkPoliciesEnforced: network.networkPolicy !== 'none',
      kubeProxy: network.plugin === 'kubenet' || network.dataplane !== 'cilium',
      podCidr: network.plugin === 'azure-cni' ? undefined : network.podCidr,
      serviceCidr: network.serviceCidr,
      dnsServiceIp: network.dnsServiceIp,
      privateDnsZones: network.privateDnsZones,
    },
    cluster: {
      sku: cluster.sku,
      kubernetesVersion: cluster.kubernetesVersion,
      osSku: cluster.osSku,
      podSecurityStandard: cluster.podSecurityStandard,
      allowedRegistries: cluster.allowedRegistries,
      authorizedIpRanges: cluster.authorizedIpRanges,
    },
    identity: {
      podIdentity: identity.podIdentity,
      kubeletIdentity: identity.kubeletIdentity,
      authorization: identity.authorization,
      disableLocalAccounts: identity.disableLocalAccounts,
      adminGroupObjectIds: identity.adminGroupObjectIds,
    },
    upgrades: {
      autoUpgradeChannel: upgrades.autoUpgradeChannel,
      nodeOsUpgradeChannel: upgrades.nodeOsUpgradeChannel,
      maintenanceWindow: upgrades.maintenanceWindow,
      maxSurge: upgrades.maxSurge,
      kured: upgrades.kured,
      nodeImagesByFleet: answers.fleet.enabled && upgrades.nodeOsUpgradeChannel === 'NodeImage',
    },
    observability: {
      stack: observability.stack,
      logRetentionDays: observability.logRetentionDays,
      alertEmails: observability.alertEmails,
      elasticsearch: elasticsearchEndpoint(observability.elasticsearchUrl),
      smtp: components.alertmanagerEmail
        ? {
            smarthost: observability.smtp.smarthost ?? '',
            from: observability.smtp.from ?? '',
            username: observability.smtp.username,
          }
        : undefined,
    },
    secrets: { rotationPollInterval: answers.secrets.rotationPollInterval },
    delivery: { branch: delivery.github.branch, azureDevOpsServiceConnection: delivery.azureDevOpsServiceConnection },
    omissions: planOmissions(answers, components, teams, clusters, ingress),
  };
}
