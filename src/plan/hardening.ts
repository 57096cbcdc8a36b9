import { centralZoneId, PRIVATE_DNS_ZONES } from './private-dns.js';
import { CONTROL_PLANE_SCRAPES, monitoringStorageClass } from './observability.js';
import { AUTOSCALER_PROFILE } from './node-pools.js';
import type { Plan } from './index.js';
import { AUTOMATIC_CLUSTER, AUTOMATIC_POD_READINESS_SLA } from '../azure/aks-automatic.js';
import { INGRESS_CONTRACTS, wafMode } from './ingress.js';

// The well-architected settings this platform sets, as docs/hardening.md lists them for a security review: each row
// names its value as the plan decided it, why, and the generated file that carries it with the text that proves it.
// The docs renderer refuses a row whose file lacks that text, and a test checks every preset.

export interface HardeningRow {
  area: string;
  setting: string;
  value: string;
  why: string;
  /** The generated file where the setting lives. */
  file: string;
  /** Text of that file that sets it. */
  evidence: string;
  /** The Azure Well-Architected or product guidance it follows. */
  source: string;
}

const AKS_WAF = 'https://learn.microsoft.com/azure/well-architected/service-guides/azure-kubernetes-service';
const CLUSTER = 'infra/modules/cluster.bicep';

export function hardeningRows(plan: Plan): HardeningRow[] {
  const c = plan.components;
  const rows: HardeningRow[] = [];
  const row = (r: HardeningRow) => rows.push(r);

  row(
    c.privateCluster
      ? {
          area: 'Control plane',
          setting: 'Private API server',
          value: 'enablePrivateCluster: true',
          why: 'No management endpoint on the internet; Flux pulls from inside the cluster.',
          file: CLUSTER,
          evidence: 'enablePrivateCluster: true',
          source: 'https://learn.microsoft.com/azure/aks/private-clusters',
        }
      : {
          area: 'Control plane',
          setting: 'API server authorized IP ranges',
          value: c.authorizedIpRanges
            ? plan.cluster.authorizedIpRanges.join(', ')
            : 'none (any address, Entra ID sign-in still applies)',
          why: 'A public API server admits only known networks.',
          file: CLUSTER,
          evidence: c.authorizedIpRanges ? 'authorizedIPRanges: authorizedIpRanges' : 'enablePrivateCluster: false',
          source: 'https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges',
        },
  );
  row({
    area: 'Control plane',
    setting: 'Run command',
    value: 'disableRunCommand: true',
    why: 'Nothing in this platform runs commands through AKS; the path would bypass the network boundary.',
    file: CLUSTER,
    evidence: 'disableRunCommand: true',
    source: 'https://learn.microsoft.com/azure/aks/access-private-cluster#disable-run-command',
  });
  row({
    area: 'Identity',
    setting: 'Local accounts',
    value: plan.identity.disableLocalAccounts ? 'disabled' : 'enabled',
    why: 'Every access is an audited Entra ID identity, never the static cluster-admin kubeconfig.',
    file: CLUSTER,
    evidence: `disableLocalAccounts: ${plan.identity.disableLocalAccounts}`,
    source: 'https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad',
  });
  if (c.entraId)
    row({
      area: 'Identity',
      setting: 'Kubernetes authorization',
      value: c.azureRbac ? 'Azure RBAC for Kubernetes' : 'Kubernetes RBAC bound to Entra groups',
      why: c.azureRbac
        ? 'Grants are Azure role assignments, reviewed in Bicep.'
        : 'Grants are RoleBindings in Git, reviewed in pull requests.',
      file: CLUSTER,
      evidence: `enableAzureRBAC: ${c.azureRbac}`,
      source: 'https://learn.microsoft.com/azure/aks/manage-azure-rbac',
    });
  if (c.workloadIdentity)
    row({
      area: 'Identity',
      setting: 'Workload identity',
      value: 'enabled, with the OIDC issuer',
      why: 'Pods get federated Azure identities; no secrets for Azure access.',
      file: CLUSTER,
      evidence: 'workloadIdentity: {',
      source: 'https://learn.microsoft.com/azure/aks/workload-identity-overview',
    });
  if (c.defender)
    row({
      area: 'Security',
      setting: 'Microsoft Defender for Containers',
      value: 'enabled',
      why: 'Runtime threat detection on the nodes.',
      file: CLUSTER,
      evidence: 'securityMonitoring: {',
      source: 'https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction',
    });
  row({
    area: 'Security',
    setting: 'Image Cleaner',
    value: 'every 168 hours',
    why: 'Unused, possibly vulnerable images are removed from the nodes.',
    file: CLUSTER,
    evidence: 'intervalHours: 168',
    source: 'https://learn.microsoft.com/azure/aks/image-cleaner',
  });
  if (c.policyAssignments)
    row({
      area: 'Security',
      setting: 'Azure Policy add-on',
      value: 'enabled',
      why: 'Gatekeeper enforces the policies assigned to the cluster.',
      file: CLUSTER,
      evidence: 'azurepolicy: {',
      source: 'https://learn.microsoft.com/azure/aks/use-azure-policy',
    });
  row({
    area: 'Network',
    setting: 'Network policy',
    value: plan.network.networkPolicy,
    why: 'Team namespaces are default-deny; only declared traffic flows.',
    file: CLUSTER,
    evidence: `networkPolicy: '${plan.network.networkPolicy}'`,
    source: 'https://learn.microsoft.com/azure/aks/use-network-policies',
  });
  const outbound = c.egressThroughFirewall
    ? 'userDefinedRouting'
    : c.natGateway
      ? 'userAssignedNATGateway'
      : 'loadBalancer';
  row({
    area: 'Network',
    setting: 'Outbound type',
    value: outbound,
    why: c.egressThroughFirewall
      ? 'All egress goes through the hub firewall, which allows only the FQDNs AKS and the add-ons need.'
      : 'The egress path the answers chose; routing through a firewall is the landing-zone option.',
    file: CLUSTER,
    evidence: `outboundType: '${outbound}'`,
    source: 'https://learn.microsoft.com/azure/aks/egress-outboundtype',
  });
  row({
    area: 'Network',
    setting: 'No SSH or RDP sideways',
    value: 'deny-ssh-rdp-to-vnet on every spoke NSG',
    why: 'A compromised node, pod or endpoint cannot move laterally over SSH or RDP.',
    file: 'infra/modules/network.bicep',
    evidence: "'deny-ssh-rdp-to-vnet'",
    source: 'https://learn.microsoft.com/security/benchmark/azure/mcsb-network-security#ns-1',
  });
  const zones = PRIVATE_DNS_ZONES.filter((zone) => zone.used(plan));
  const central = zones.filter((zone) => centralZoneId(plan, zone.key) !== undefined);
  row({
    area: 'Network',
    setting: 'Private DNS zones',
    value:
      central.length === 0
        ? 'created per environment'
        : `${central.length} of ${zones.length} owned by the landing zone hub`,
    why: 'Private endpoints resolve inside the network; in a landing zone the hub owns the privatelink zones.',
    file: 'infra/main.bicep',
    evidence: central.length === 0 ? 'modules/private-dns-zone.bicep' : '/providers/Microsoft.Network/privateDnsZones/',
    source:
      'https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/private-link-and-dns-integration-at-scale',
  });
  if (plan.ingress?.alb) {
    const ruleSets = INGRESS_CONTRACTS['application-gateway-for-containers'].waf.ruleSets;
    row({
      area: 'Network',
      setting: 'Web application firewall',
      value: `Application Gateway for Containers WAF policy on the Gateway's frontend: ${ruleSets.map((r) => `${r.ruleSetType} ${r.ruleSetVersion}`).join(', ')}; ${plan.environments.map((env) => `${env.name} ${wafMode(env)}`).join(', ')}`,
      why: 'Every request to the platform Gateway passes the managed rules; production blocks, other environments log so rules are tuned first.',
      file: 'infra/modules/ingress-agc.bicep',
      evidence: `ruleSetType: '${ruleSets[0]?.ruleSetType ?? ''}'`,
      source: 'https://learn.microsoft.com/azure/application-gateway/for-containers/web-application-firewall',
    });
  }
  row({
    area: 'Data',
    setting: 'Key Vault',
    value: 'RBAC authorisation, purge protection, no public access',
    why: 'Secrets are reachable only through the private endpoint, and cannot be destroyed for good by mistake.',
    file: 'infra/modules/key-vault.bicep',
    evidence: 'enablePurgeProtection: true',
    source: 'https://learn.microsoft.com/azure/key-vault/general/security-features',
  });
  row({
    area: 'Data',
    setting: 'Container registry',
    value: 'Premium, no admin user, no public access, export disabled',
    why: 'Images are pulled by the kubelet identity over the private endpoint; no shared credentials.',
    file: 'infra/modules/registry.bicep',
    evidence: 'adminUserEnabled: false',
    source: 'https://learn.microsoft.com/azure/container-registry/container-registry-private-link',
  });
  if (c.eventHubsStreaming)
    row({
      area: 'Data',
      setting: 'Event Hubs namespace',
      value: 'no public access, private endpoint, Azure Monitor as a trusted service',
      why: 'The log stream is reachable only from the spoke.',
      file: 'infra/modules/event-hubs.bicep',
      evidence: "publicNetworkAccess: 'Disabled'",
      source: 'https://learn.microsoft.com/azure/event-hubs/private-link-service',
    });
  for (const env of plan.environments) {
    const ephemeral = env.pools.filter((pool) => pool.osDiskType === 'Ephemeral');
    row({
      area: 'Reliability',
      setting: `Control-plane tier (${env.name})`,
      value: env.skuTier,
      why: c.automatic
        ? `AKS Automatic is always the Standard tier: the API server uptime SLA and a pod readiness SLA (${AUTOMATIC_POD_READINESS_SLA}).`
        : env.production
          ? 'Production gets the uptime SLA.'
          : 'Non-production runs without the SLA.',
      file: `infra/${env.name}.bicepparam`,
      evidence: `param skuTier = '${env.skuTier}'`,
      source: 'https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers',
    });
    // Automatic has no pools of ours: AKS hosts the system nodes, node auto-provisioning the rest.
    if (c.automatic) continue;
    row({
      area: 'Reliability',
      setting: `Ephemeral OS disks (${env.name})`,
      value: `${ephemeral.length} of ${env.pools.length} pools (${env.pools.map((p) => `${p.name}: ${p.osDiskType} ${p.osDiskSizeGB} GiB`).join(', ')})`,
      why: 'Faster scaling and reimaging, lower latency, no disk cost; where the VM size cannot hold it, a managed disk.',
      file: `infra/${env.name}.bicepparam`,
      evidence: `osDiskType: '${env.pools[0]?.osDiskType ?? 'Managed'}'`,
      source: 'https://learn.microsoft.com/azure/aks/concepts-storage#ephemeral-os-disk',
    });
  }
  if (c.automatic) {
    row({
      area: 'Reliability',
      setting: 'Cluster SKU',
      value: `${AUTOMATIC_CLUSTER.sku.name} (${AUTOMATIC_CLUSTER.sku.tier} tier)`,
      why: 'AKS Automatic decides node provisioning, system nodes, networking, safeguards and upgrade channels itself (docs/decisions, cluster SKU).',
      file: CLUSTER,
      evidence: `name: '${AUTOMATIC_CLUSTER.sku.name}'`,
      source: AUTOMATIC_CLUSTER.sources.sku,
    });
    row({
      area: 'Reliability',
      setting: 'Node provisioning',
      value: 'node auto-provisioning (Karpenter) with the default NodePools; AKS-managed system nodes',
      why: 'Nodes are sized from the pending pods and bin-packed; the system nodes run outside the subscription.',
      file: CLUSTER,
      evidence: `mode: '${AUTOMATIC_CLUSTER.nodeProvisioningProfile.mode}'`,
      source: AUTOMATIC_CLUSTER.sources.nodeProvisioning,
    });
  } else
    row({
      area: 'Reliability',
      setting: 'Cluster autoscaler profile',
      value: `scale down after ${AUTOSCALER_PROFILE['scale-down-unneeded-time']} unneeded, ${AUTOSCALER_PROFILE['max-graceful-termination-sec']} s graceful termination`,
      why: "aks-baseline's values: nodes leave only when idle, pods get time to drain.",
      file: CLUSTER,
      evidence: 'autoScalerProfile: {',
      source: AKS_WAF,
    });
  const channels = plan.upgradeChannels;
  row({
    area: 'Operations',
    setting: 'Upgrade channels',
    value: plan.fleet
      ? `Kubernetes ${channels.upgradeChannel}, node OS ${channels.nodeOsUpgradeChannel} on the cluster; Fleet Manager runs the staged updates`
      : `Kubernetes ${channels.upgradeChannel}, node OS ${channels.nodeOsUpgradeChannel}, in the weekly window`,
    why: 'Patches arrive without a person, inside a window (or a staged rollout) the team chose.',
    file: CLUSTER,
    evidence: `nodeOSUpgradeChannel: '${channels.nodeOsUpgradeChannel}'`,
    source: 'https://learn.microsoft.com/azure/aks/auto-upgrade-cluster',
  });
  row({
    area: 'Operations',
    setting: 'Control-plane logs',
    value: 'API server, controller manager, scheduler, autoscaler, admin audit, guard',
    why: 'Every change to the cluster is recorded in the environment workspace.',
    file: CLUSTER,
    evidence: "category: 'kube-audit-admin'",
    source: 'https://learn.microsoft.com/azure/aks/monitor-aks-reference#resource-logs',
  });
  if (c.ossObservability) {
    const storage = monitoringStorageClass(plan);
    row({
      area: 'Operations',
      setting: 'Monitoring state',
      value: `persistent volumes (${storage.name}); ${CONTROL_PLANE_SCRAPES.filter((s) => !s.enabled(plan))
        .map((s) => s.component)
        .join(', ')} not scraped`,
      why: 'A restart loses no metrics, silences or dashboards, and no alert fires forever for parts AKS manages.',
      file: 'infrastructure/controllers/kube-prometheus-stack/release.yaml',
      evidence: `storageClassName: ${storage.name}`,
      source: 'https://learn.microsoft.com/azure/aks/azure-csi-disk-storage-provision',
    });
    if (plan.observability.smtp) {
      row({
        area: 'Operations',
        setting: 'Alertmanager email',
        value: `${plan.observability.smtp.smarthost}, TLS required${c.alertmanagerSmtpAuth ? ', password from Key Vault' : ''}`,
        why: 'Alerts reach the on-call team over an encrypted connection; the mail password never enters Git or a Kubernetes Secret.',
        file: 'infrastructure/controllers/kube-prometheus-stack/release.yaml',
        evidence: 'smtp_require_tls: true',
        source: 'https://prometheus.io/docs/alerting/latest/configuration/#email_config',
      });
    }
  }
  return rows;
}

/** The rows whose file does not carry the evidence: a generator bug, listed for the error. */
export function unprovenRows(rows: HardeningRow[], files: ReadonlyMap<string, string>): HardeningRow[] {
  return rows.filter((r) => !(files.get(r.file) ?? '').includes(r.evidence));
}
