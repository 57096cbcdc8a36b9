import { SILENT_ALERTS } from '../../plan/alertmanager.js';
import { joinWords } from '../../util/words.js';
import { FILEBEAT } from '../../plan/filebeat.js';
import { FILEBEAT_IMAGE, HELM_CHARTS, PSRULE_MODULES } from '../../versions.js';
import { GATEWAY_CONTROLLER_ROOT } from '../gitops/controllers.js';
import { GATEWAY_CERTIFICATE_ROOT } from '../gitops/gateway.js';
import { PSRULE_BASELINE, planExclusions, planSuppressions } from '../../plan/psrule.js';
import type { Plan } from '../../plan/index.js';
import { centralZoneId } from '../../plan/private-dns.js';
import { AUTOSCALER_PROFILE } from '../../plan/node-pools.js';
import { CONTROL_PLANE_SCRAPES, MONITORING_VOLUMES, monitoringStorageClass } from '../../plan/observability.js';
import {
  environmentInfraNames,
  firewallApplicationRules,
  firewallNetworkRules,
  hubInfraNames,
  REGISTRY_UNTAGGED_RETENTION_DAYS,
} from '../../plan/infra.js';
import { FLUX } from '../../plan/contracts.js';
import { FLUX_MULTI_TENANCY_SETTING, FLUX_TENANCY_CONSTRAINTS } from '../../plan/flux-tenancy.js';
import {
  FLEET_OPERATOR_ROLE,
  JOB_SCOPES,
  identityFor,
  pipelineIdentities,
  planJobRoles,
  upgradesThroughFleet,
} from '../../plan/pipeline-identities.js';
import { POLICY_DEFINITIONS, RESTRICTED_VOLUME_TYPES } from '../../azure/policy-definitions.js';
import {
  AKS_EVENT_TYPES,
  ALERT_RULES,
  RECORDING_RULE_GROUPS,
  UPGRADE_NOTIFICATIONS,
  upgradeNotificationKinds,
} from '../../plan/alerts.js';
import { allowedRegistries, podSecurityDefinition, policyEffect, policyExcludedNamespaces } from '../../plan/policy.js';
import { GATEWAY, INGRESS_CONTRACTS, wafMode, wafPolicyName } from '../../plan/ingress.js';
import { AUTOMATIC_CLUSTER, AUTOMATIC_FIXED_ANSWERS, AUTOMATIC_POD_READINESS_SLA } from '../../azure/aks-automatic.js';

// One decision record per topic of the platform design: the choice the answers made, the alternatives with their
// trade-offs, and what follows. Text lives here as data; templates/docs/decisions/decision.md.ejs lays it out.

export interface DecisionOption {
  id: string;
  name: string;
  summary: string;
  pros: string[];
  cons: string[];
}

export interface Decision {
  slug: string;
  title: string;
  context: string;
  options: DecisionOption[];
  chosen: string;
  /** The concrete settings that follow from the choice. */
  details: string[];
  consequences: string[];
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function landingZone(plan: Plan): Decision {
  const { hub } = plan;
  return {
    slug: 'landing-zone',
    title: 'Landing zone network topology',
    context:
      'Every environment needs a network before it needs a cluster. Landing zones usually follow hub and spoke: a hub holds the shared connectivity (firewall, gateway to the on-premises network, Bastion) and every workload landing zone is a spoke VNet peered to it. The teams that own the landing zone, the platform and the applications have to agree on it, because address ranges, DNS and egress rules constrain all three.',
    options: [
      {
        id: 'create',
        name: 'Hub and spoke, hub created here',
        summary:
          'This repository deploys a hub VNet with Azure Firewall and Bastion and peers every environment spoke to it.',
        pros: ['Self-contained: one repository builds the whole topology', 'Central egress control from day one'],
        cons: [
          'Azure Firewall is a fixed monthly cost',
          'An organisation with a connectivity team usually owns the hub elsewhere',
        ],
      },
      {
        id: 'existing',
        name: 'Hub and spoke, existing hub',
        summary:
          'Spokes peer to a hub that the landing zone already has; its firewall private IP is the next hop for egress.',
        pros: [
          'Fits an Azure landing zone (CAF) where connectivity is owned centrally',
          'Reuses ExpressRoute/VPN and on-premises DNS',
        ],
        cons: [
          'Firewall rules for AKS must be requested from the hub owners',
          'Peering back from the hub needs rights in the hub subscription',
        ],
      },
      {
        id: 'none',
        name: 'Standalone spokes',
        summary: 'Each environment is an isolated VNet with no hub.',
        pros: ['Cheapest and simplest', 'No dependency on another team'],
        cons: ['No central egress inspection', 'No private connectivity to other networks'],
      },
    ],
    chosen: hub.mode,
    details: [
      ...(hub.mode === 'create'
        ? [
            `Hub VNet ${hub.addressSpace} with ${hub.subnets.map((s) => `${s.name} ${s.cidr}`).join(', ')}`,
            'Azure Firewall and the public IPs of the firewall and Bastion are zone-redundant (zones 1, 2 and 3) wherever the region has availability zones: pickZones reads the zones of each resource type at deployment, so no region list is kept here',
            `Firewall and Bastion logs go to the hub workspace ${hubInfraNames(plan).logAnalytics}, the firewall's in its resource-specific AZFW* tables`,
          ]
        : []),
      ...(hub.mode === 'existing'
        ? [
            `Hub VNet ${hub.vnetResourceId ?? ''}`,
            ...(hub.firewallPrivateIp ? [`Hub firewall ${hub.firewallPrivateIp}`] : []),
          ]
        : []),
      ...plan.environments.map(
        (env) =>
          `Spoke ${env.names.virtualNetwork.value}: ${env.addressSpace} (${env.subnets.map((s) => `${s.name} ${s.cidr}`).join(', ')})`,
      ),
    ],
    consequences: [
      'Address ranges of the hub and every spoke are distinct, so they can be peered and routed.',
      'Each spoke holds separate subnets for nodes, ingress, private endpoints and access, so NSGs and routes apply per purpose.',
    ],
  };
}

function privateCluster(plan: Plan): Decision {
  const c = plan.components;
  return {
    slug: 'private-cluster-and-egress',
    title: 'Private API server and outbound traffic',
    context:
      'In a hub-and-spoke topology the Kubernetes API server is commonly made private: it gets no public endpoint and is reachable only from the VNet and peered networks. This does not make applications private; ingress is a separate choice. Many landing zones also force outbound traffic through a firewall, and AKS then needs a known list of FQDNs (the AzureKubernetesService FQDN tag plus what each add-on uses) to pull images and patches; every other image the cluster runs needs its registry allowed too, with the CDN that registry redirects downloads to.',
    options: [
      {
        id: 'private',
        name: 'Private cluster',
        summary:
          'The API server is reached through a private endpoint (or API server VNet integration) inside the spoke.',
        pros: ['No management endpoint on the internet', 'Flux pulls from Git, so GitOps needs no inbound access'],
        cons: [
          'kubectl needs a host in the VNet or a VPN (run command is disabled)',
          'Private DNS zone to manage and link',
        ],
      },
      {
        id: 'public',
        name: 'Public API server',
        summary: 'The API server has a public endpoint protected by Entra ID authentication.',
        pros: ['Simple access for people and hosted CI runners'],
        cons: ['A public management endpoint to defend (restrict with authorized IP ranges)'],
      },
    ],
    chosen: c.privateCluster ? 'private' : 'public',
    details: [
      `API server VNet integration: ${yesNo(c.apiServerVnetIntegration)}`,
      `Outbound type: ${c.egressThroughFirewall ? 'userDefinedRouting through the hub firewall (0.0.0.0/0 routed to it)' : c.natGateway ? 'managed NAT gateway' : 'Standard load balancer'}`,
      ...(c.egressThroughFirewall
        ? [
            ...firewallApplicationRules(plan).map((rule) =>
              rule.sources.length > 0
                ? `Firewall rule ${rule.name}: ${rule.description} (${rule.sources.join(', ')})`
                : `Firewall rule ${rule.name}: ${rule.description} (and the CDN hosts downloads redirect to)`,
            ),
            ...firewallNetworkRules(plan).map(
              (rule) =>
                `Network rule ${rule.name}: ${rule.protocols.join('/')} ${rule.ports.join(', ')} to ${rule.destinations.join(', ')}: ${rule.description} (${rule.sources.join(', ')})`,
            ),
            `No rule for UDP 1194, TCP 9000 or NTP: konnectivity carries node-to-control-plane traffic over HTTPS in the AzureKubernetesService tag${c.privateCluster ? ', the private API server is reached inside the spoke' : ''}, and nodes take their time from the Azure host (https://learn.microsoft.com/azure/aks/outbound-rules-control-egress)`,
          ]
        : []),
    ],
    consequences: [
      ...(c.privateCluster
        ? [
            'Pipelines never reach the API server: they deploy through Azure Resource Manager (Bicep, az aks start/stop/upgrade) and Flux pulls from inside the cluster, so run command (az aks command invoke) is disabled; it would otherwise bypass the private network boundary.',
            'Operators use the access subnet (Bastion or a jump host) or a peered network.',
          ]
        : ['Restrict the API server to known IP ranges once the operators and CI addresses are known.']),
      ...(c.egressThroughFirewall
        ? [
            'An image from a registry the firewall does not allow fails to pull: push it to the environment registry, or add the registry and its CDN hosts to the firewall rules.',
          ]
        : []),
    ],
  };
}

function networkPlugin(plan: Plan): Decision {
  const { network } = plan;
  return {
    slug: 'network-plugin',
    title: 'Network plugin, dataplane and network policy',
    context:
      "The article's advice still holds: without IP address constraints, stay with Azure CNI; consider kubenet only to save addresses. Since then Azure CNI Overlay gives CNI's performance and features while taking pod addresses from a private range, which is what kubenet was chosen for, and kubenet retires in 2028. Azure CNI powered by Cilium adds an eBPF dataplane that also enforces network policy.",
    options: [
      {
        id: 'azure-cni-overlay',
        name: 'Azure CNI Overlay',
        summary: 'Nodes take VNet addresses; pods take addresses from a private pod CIDR that every cluster may reuse.',
        pros: ['Frugal with VNet addresses, scales to large clusters', 'Works with the Cilium dataplane'],
        cons: ['Pods are not directly addressable from outside the cluster (traffic is SNATed to the node IP)'],
      },
      {
        id: 'azure-cni',
        name: 'Azure CNI (flat)',
        summary: 'Every pod gets an address of the node subnet.',
        pros: ['Pods directly routable from peered networks'],
        cons: ['Needs large subnets planned up front'],
      },
      {
        id: 'kubenet',
        name: 'Kubenet',
        summary: 'Pods take addresses from a private range, routed through a route table.',
        pros: ['Saves VNet addresses'],
        cons: [
          'Retires March 2028',
          'No Azure network policy, no Cilium, no AAD pod identity',
          'Route table limit of 400 nodes',
        ],
      },
    ],
    chosen: network.plugin,
    details: [
      `Dataplane: ${network.dataplane}`,
      `Network policy: ${network.networkPolicy}`,
      ...(network.podCidr === undefined ? [] : [`Pod CIDR: ${network.podCidr}`]),
      `Service CIDR: ${network.serviceCidr}, DNS service IP ${network.dnsServiceIp}`,
      ...plan.environments.map((env) =>
        plan.components.automatic
          ? `${env.name} nodes: system nodes managed by AKS Automatic on ${env.subnets.find((s) => s.role === 'systemNodes')?.name}, user nodes from node auto-provisioning's default NodePools on ${env.subnets.find((s) => s.role === 'nodes')?.name}`
          : `${env.name} pools: ${env.pools.map((p) => `${p.name} ${p.vmSize}, ${p.minCount}-${p.maxCount} nodes, ${p.maxPods} pods per node, ${p.osDiskType.toLowerCase()} ${p.osDiskSizeGB} GiB OS disk`).join('; ')}`,
      ),
      `The node subnet is checked to hold every node at the pools' maximum plus upgrade surge${network.podCidr === undefined ? ', each reserving maxPods + 1 addresses' : ' (pods take pod-CIDR addresses)'}; maxPods is fixed when a pool is created`,
      `OS disks are ephemeral (on the VM cache or temp disk: faster scaling and reimaging, no disk cost) where the VM size holds them, managed otherwise; the cluster autoscaler profile is aks-baseline's (scale down after ${AUTOSCALER_PROFILE['scale-down-unneeded-time']} unneeded, ${AUTOSCALER_PROFILE['max-graceful-termination-sec']} s graceful termination, nodes with system pods or local storage kept)`,
    ],
    consequences: [
      !network.networkPoliciesEnforced
        ? 'No network policy engine: the team namespaces get no default-deny NetworkPolicy.'
        : 'Each team namespace starts from a default-deny NetworkPolicy with explicit allowances.',
      ...(network.kubenet
        ? [
            "Kubenet routes pods through a route table: infra/modules/network.bicep declares it, attaches it to snet-nodes and grants the cluster's user-assigned identity Network Contributor on it before the cluster exists (https://learn.microsoft.com/azure/aks/configure-kubenet#bring-your-own-subnet-and-route-table-with-kubenet). Left to AKS, the table it attaches would be detached by the next deployment of the VNet. A route table cannot be swapped under an existing cluster: a kubenet cluster created without this table keeps AKS's until it is rebuilt.",
          ]
        : []),
    ],
  };
}

function clusterIdentities(plan: Plan): Decision {
  return {
    slug: 'cluster-identities',
    title: 'Cluster and kubelet identities',
    context:
      'Separation of concerns: the cluster (control plane) identity manages Azure resources for AKS (VNet integration, route tables, load balancers, disks); the kubelet identity pulls images. By default the kubelet uses an identity AKS creates; bringing your own lets it hold AcrPull and nothing else.',
    options: [
      {
        id: 'user-assigned',
        name: 'User-assigned cluster identity and bring-your-own kubelet identity',
        summary:
          'Both identities are created by this repository before the cluster, with least-privilege role assignments.',
        pros: [
          'Roles are granted before the cluster exists, no race on first deploy',
          'The kubelet identity can pull images and do nothing else',
          'Identities survive cluster re-creation (blue/green)',
        ],
        cons: ['Two more resources to manage'],
      },
      {
        id: 'cluster-managed',
        name: 'AKS-managed kubelet identity',
        summary: 'A user-assigned cluster identity; AKS creates the kubelet identity in the node resource group.',
        pros: ['Fewer resources'],
        cons: [
          'The kubelet identity changes when the cluster is re-created',
          'Its AcrPull grant is made after the cluster exists',
        ],
      },
    ],
    chosen: plan.identity.kubeletIdentity,
    details: ['Cluster identity: user-assigned managed identity (never a service principal with a secret)'],
    consequences: [
      'The control-plane identity gets Network Contributor only on the subnets and route table it manages, never on the subscription.',
    ],
  };
}

function podIdentity(plan: Plan): Decision {
  return {
    slug: 'workload-identity',
    title: 'Identities for workloads',
    context:
      'Applications need to reach Azure resources (SQL, Storage, Key Vault) without credentials in Secrets or environment variables. The article used AAD Pod Identity for this. It was deprecated in 2022 and archived in 2023; Microsoft Entra Workload ID replaced it: a Kubernetes service account token, issued by the cluster OIDC issuer, is exchanged for an Entra token through a federated credential.',
    options: [
      {
        id: 'workload-identity',
        name: 'Microsoft Entra Workload ID',
        summary: 'Per team a user-assigned identity with a federated credential for the team service account.',
        pros: ['Supported, no in-cluster component intercepting IMDS', 'Works with any Azure SDK'],
        cons: ['One federated credential per service account'],
      },
      {
        id: 'aad-pod-identity',
        name: 'AAD Pod Identity (deprecated)',
        summary: 'NMI daemonset intercepts IMDS calls and hands out identities bound by AzureIdentityBinding.',
        pros: ['Matches existing estates built with it'],
        cons: [
          'Deprecated and archived: no security fixes',
          'Not with kubenet',
          'NMI adds latency and a privileged daemonset',
        ],
      },
      {
        id: 'none',
        name: 'No pod identity',
        summary: 'Workloads get no Azure identity.',
        pros: ['Nothing to run'],
        cons: ['Workloads fall back to secrets for Azure access'],
      },
    ],
    chosen: plan.identity.podIdentity,
    details: plan.teams.map(
      (team) =>
        `Team ${team.name}: identity ${team.identityName} for service account ${team.namespace}/${team.serviceAccount}`,
    ),
    consequences: [
      'The cluster runs with the OIDC issuer enabled; identity client IDs reach the manifests through the deployment outputs, not by hand.',
    ],
  };
}

function accessControl(plan: Plan): Decision {
  const { identity } = plan;
  return {
    slug: 'entra-id-and-rbac',
    title: 'Entra ID integration and Kubernetes authorization',
    context:
      'How people and automation sign in to the cluster is separate from the cluster identities. With Entra ID integration users authenticate with their Entra account (kubelogin for non-interactive use). Authorization is either Kubernetes RBAC bound to Entra group object IDs, or Azure RBAC for Kubernetes, where grants are Azure role assignments.',
    options: [
      {
        id: 'azure-rbac',
        name: 'Entra ID with Azure RBAC for Kubernetes',
        summary:
          'Grants are Azure role assignments (AKS RBAC Reader/Writer/Admin/Cluster Admin) at cluster or namespace scope, in Bicep.',
        pros: ['One place to audit access for Azure and Kubernetes', 'Access reviews and PIM apply'],
        cons: ['Custom Kubernetes roles need Azure custom role definitions'],
      },
      {
        id: 'kubernetes-rbac',
        name: 'Entra ID with Kubernetes RBAC',
        summary: 'RoleBindings in Git bind Entra group object IDs to Kubernetes roles, reconciled by Flux.',
        pros: ['Portable: the same RBAC model as any Kubernetes', 'Fine-grained roles in plain YAML'],
        cons: ['Access lives in Git and in Azure AD separately'],
      },
    ],
    chosen: identity.authorization,
    details: [
      `Entra ID integration: ${yesNo(plan.components.entraId)}`,
      `Local accounts disabled: ${yesNo(identity.disableLocalAccounts)}`,
      identity.adminGroupObjectIds.length > 0
        ? `Cluster admin groups: ${identity.adminGroupObjectIds.join(', ')}`
        : 'Cluster admin groups: none given yet (see the README)',
    ],
    consequences: [
      'Exactly one of the two grant mechanisms exists in the repository, so access is never defined twice.',
    ],
  };
}

function secrets(plan: Plan): Decision {
  return {
    slug: 'secrets-management',
    title: 'Secrets management',
    context:
      'Kubernetes Secrets live in etcd, encrypted at rest by AKS. Keeping the source of truth in Azure Key Vault gives rotation, audit and access policies in one place; the Secrets Store CSI driver mounts Key Vault objects into pods and can sync them to Kubernetes Secrets for workloads that need environment variables.',
    options: [
      {
        id: 'csi',
        name: 'Key Vault with the Secrets Store CSI driver add-on',
        summary: 'One Key Vault per environment with RBAC authorization; each team identity reads only its secrets.',
        pros: ['No secret in Git or in the pipeline', 'Rotation reaches pods on the poll interval'],
        cons: ['Workloads must mount the volume (or opt in to sync)'],
      },
      {
        id: 'kubernetes',
        name: 'Kubernetes Secrets only',
        summary: 'Secrets are created in the cluster by the pipeline or by hand.',
        pros: ['Nothing extra to run'],
        cons: ['Secret values pass through pipelines', 'No central rotation or audit'],
      },
    ],
    chosen: plan.components.keyVaultCsi ? 'csi' : 'kubernetes',
    details: plan.components.keyVaultCsi
      ? [
          `Rotation poll interval: ${plan.secrets.rotationPollInterval}`,
          'Key Vault: RBAC authorization, purge protection, private endpoint',
        ]
      : [],
    consequences: [
      'The repository holds no secret values; it names the Key Vault objects each team reads.',
      'Vault names are fixed per environment and subscription, and purge protection keeps a deleted vault (and its name) for 90 days: re-creating a deleted environment fails with a name conflict until the vault is recovered. Recover it with `az keyvault recover --name <vault>` (find it with `az keyvault list-deleted`), then deploy again, which adopts it with its secrets; purging it early is impossible by design.',
    ],
  };
}

function ingress(plan: Plan): Decision {
  const gateway = plan.ingress;
  const contract = INGRESS_CONTRACTS['app-routing-gateway'];
  const agc = INGRESS_CONTRACTS['application-gateway-for-containers'];
  const listener = gateway?.certificateName ? 'HTTPS on 443' : 'HTTP on 80';
  const alb = gateway?.alb;
  return {
    slug: 'ingress',
    title: 'Ingress: the Kubernetes Gateway API',
    context:
      'Teams need a way to expose HTTP services, and the platform needs to keep that way narrow: one entry point it owns, certificates it manages, no team creating its own load balancers. The Kubernetes Gateway API splits exactly these roles: the platform owns the Gateway (listeners, certificates, which namespaces may attach), teams own HTTPRoutes in their namespaces. The Ingress API and its most common controller, ingress-nginx, are retired upstream, and Azure supports the managed NGINX of the application routing add-on only until November 2026.',
    options: [
      {
        id: 'app-routing-gateway',
        name: 'Application routing add-on, Gateway API implementation',
        summary: `AKS runs a sidecar-less Istio control plane for Gateway API resources only (GatewayClass \`${contract.gatewayClassName}\`), with the managed Gateway API CRDs; its operator syncs a Key Vault certificate for a listener and runs external-dns for Azure DNS.`,
        pros: [
          'Managed by AKS: control plane upgraded in place with the cluster, autoscaled gateway proxies with disruption budgets',
          'Key Vault certificates (rotations picked up) and Azure DNS records through workload identity, without hand-written SecretProviderClasses',
          'An internal address on the ingress subnet is one answer',
          "Microsoft's successor to the managed NGINX add-on and the default of AKS Automatic",
        ],
        cons: [
          'No request size limits, rate limiting or EnvoyFilter; no TLSRoute passthrough yet',
          'Cannot run beside the Istio service mesh add-on',
          'The gateway proxies run in the cluster and use its nodes; WAF needs a front such as Application Gateway',
        ],
      },
      {
        id: 'application-gateway-for-containers',
        name: 'Application Gateway for Containers',
        summary: `An Azure L7 load balancer outside the cluster (GatewayClass \`${agc.gatewayClassName}\`) with a WAF policy (${agc.waf.ruleSets.map((r) => `${r.ruleSetType} ${r.ruleSetVersion}`).join(', ')}; Prevention in production, Detection elsewhere). Bring-your-own deployment: the Bicep owns the traffic controller, its association with the ingress subnet (delegated to ${agc.subnet.delegation}, /${agc.subnet.maximumPrefixLength} or larger), the Gateway's frontend and the WAF policy, attached to the frontend through a security policy; the ALB Controller (Helm chart ${agc.controller.chart} ${HELM_CHARTS['alb-controller'].version}, a Flux HelmRelease) programs it under its own workload identity.`,
        pros: [
          'Proxies outside the cluster, near-real-time updates, autoscaled and zone-redundant by Azure',
          'WAF with the Default Rule Set and the bot manager on every request',
          'Traffic arrives from its own subnet, so a firewall default route on the nodes causes no asymmetric routing',
        ],
        cons: [
          'Frontends are public only (no private frontend address), so an internal-only platform cannot use it',
          'Azure CNI or Azure CNI Overlay only (kubenet pod addresses are not routable from its subnet)',
          'Per-hour, per-capacity-unit and WAF charges; a /24 subnet and a controller identity to own',
          'Not offered in every region: check the supported regions before choosing it',
          'Its AKS add-on (ingressProfile.applicationLoadBalancer) is still in preview, so the controller is a Helm release the platform upgrades',
        ],
      },
      {
        id: 'managed-nginx',
        name: 'Managed NGINX (application routing with ingress-nginx)',
        summary:
          'The Ingress API with NGINX. Retired upstream (March 2026) and out of Azure support after November 2026: never generated. The add-on is deployed with its default NGINX controller switched off (`defaultIngressControllerType: None`).',
        pros: ['Familiar annotations'],
        cons: ['No security fixes', 'Annotations instead of a role-oriented API'],
      },
      {
        id: 'none',
        name: 'No ingress',
        summary: 'No Gateway; teams cannot expose services (their quota allows no LoadBalancer Services).',
        pros: ['Nothing reachable from outside the cluster'],
        cons: ['Teams cannot expose anything without a platform change'],
      },
    ],
    chosen: gateway ? gateway.implementation : 'none',
    details: gateway
      ? [
          `Gateway \`${GATEWAY.name}\` in namespace \`${GATEWAY.namespace}\`, class \`${gateway.gatewayClassName}\`, listener ${listener}; it admits HTTPRoutes from namespaces labelled \`${GATEWAY.routeLabel}: "true"\` (every team namespace)`,
          alb
            ? `Application Gateway for Containers \`${alb.trafficController}\` in each environment resource group: association \`${alb.association}\` in \`snet-${alb.subnetRole}\` (delegated), frontend \`${alb.frontend}\` (the Gateway's ${agc.frontendAddressType} address), WAF policy \`${wafPolicyName(alb, '<environment>')}\` through security policy \`${alb.securityPolicy}\` (${plan.environments.map((env) => `${env.name}: ${wafMode(env)}`).join(', ')}); the Gateway's ${agc.albIdAnnotation} annotation is the traffic controller's resource ID, passed by the deployment to Flux`
            : gateway.internal
              ? 'Load balancer: internal, on the ingress subnet (`snet-ingress`); its NSG admits the virtual network (peered networks included) on the listener port'
              : 'Load balancer: public; the node subnet NSG admits the Internet on the listener port (AKS does not edit NSGs it does not own)',
          ...(alb
            ? [
                `ALB Controller: Helm chart \`${agc.controller.chart}\` ${HELM_CHARTS['alb-controller'].version} from MCR in namespace \`${agc.controller.namespace}\` (layer \`${GATEWAY_CONTROLLER_ROOT}\`, before the Gateway, on AKS clusters only); identity \`id-alb-<environment>\` federated with service account \`${agc.controller.serviceAccount}\` in \`${agc.controller.namespace}\`, holding AppGw for Containers Configuration Manager on the environment resource group, Network Contributor on \`snet-${alb.subnetRole}\` and Reader on the node resource group, as the bring-your-own deployment documents. The chart installs the Gateway API CRDs itself, so the AKS managed Gateway API installation stays off (AKS supports it only with its own add-ons).`,
                "The WAF policy is attached on the Azure side (a security policy on the frontend) rather than with the controller's `WebApplicationFirewallPolicy` custom resource, whose schema no package publishes for validation; the controller then needs no rights on the WAF policy.",
              ]
            : []),
          gateway.dnsZone
            ? alb
              ? `DNS: the deployment writes \`<team>-<environment>.${gateway.dnsZone.name}\` as CNAME records of the frontend's generated FQDN in the ${gateway.dnsZone.private ? 'private' : 'public'} zone ${gateway.dnsZone.resourceId} (the frontend, and so its FQDN, lives as long as the deployment keeps it); no external-dns and no in-cluster DNS rights`
              : `DNS: external-dns publishes \`<team>-<environment>.${gateway.dnsZone.name}\` in the ${gateway.dnsZone.private ? 'private' : 'public'} zone ${gateway.dnsZone.resourceId}; the Gateway identity holds ${gateway.dnsZone.private ? 'Private DNS Zone Contributor' : 'DNS Zone Contributor'} on that zone only`
            : 'DNS: no zone was answered, so no records are managed (see the README); routes answer any host on the listener',
          gateway.certificateName
            ? alb
              ? `TLS: Key Vault certificate \`${gateway.certificateName}\` (a wildcard for the zone) in each environment vault, synced by the Secrets Store CSI driver into the Secret the listener references, kept current by a small pod in \`${GATEWAY.namespace}\` (layer \`${GATEWAY_CERTIFICATE_ROOT}\`, which nothing waits for); the Gateway identity holds Key Vault Secrets User on that certificate's secret only`
              : `TLS: Key Vault certificate \`${gateway.certificateName}\` (a wildcard for the zone) in each environment vault; the Gateway identity holds Key Vault Secrets User on that certificate's secret only, and the unversioned URI lets renewals through`
            : 'TLS: no certificate was answered, so the Gateway listens on HTTP only (see the README)',
          alb
            ? 'Teams: quota keeps `services.loadbalancers: 0`; each team has a Service and an HTTPRoute for its example, and a NetworkPolicy admitting the association subnet (where the AGC proxies connect from) to the example port'
            : 'Teams: quota keeps `services.loadbalancers: 0`; each team has a Service and an HTTPRoute for its example, and a NetworkPolicy admitting the Gateway namespace to the example port',
        ]
      : [],
    consequences: gateway
      ? [
          alb
            ? plan.components.egressThroughFirewall
              ? 'The frontend is public while the nodes send everything else through the hub firewall: client traffic enters and leaves through the association subnet, which has no firewall route. The ALB Controller reaches Azure Resource Manager and Entra ID through the AzureKubernetesService FQDN tag, but the configuration endpoints Azure assigns to the traffic controller are not a fixed list: allow the hosts of the deployment output `agcConfigurationEndpoints` in the firewall policy after the first deployment (see the README).'
              : 'The frontend is public and every request passes the WAF policy; watch the WAF logs in Detection environments before a rule change reaches production.'
            : plan.components.egressThroughFirewall
              ? 'Egress goes through the hub firewall (0.0.0.0/0 on the node subnet), so a public Gateway address would route asymmetrically: replies leave through the firewall, which drops them. The Gateway is internal; publish it the way aks-baseline does, with a public entry point in a subnet without the firewall route (Application Gateway with WAF forwarding to the internal address), or with a DNAT rule on the firewall. Neither is generated: both need the address the Gateway gets.'
              : 'The Gateway address is reachable from where its load balancer is exposed; put a WAF in front for internet-facing production traffic.',
          'The platform team changes listeners and certificates; teams change only their routes, in their namespaces.',
        ]
      : ['Exposing a service later is an answer change (`ingress.implementation`) and a regeneration.'],
  };
}

function upgrades(plan: Plan): Decision {
  const u = plan.upgrades;
  return {
    slug: 'upgrades-and-patching',
    title: 'Kubernetes upgrades, node images and OS patches',
    context:
      'Patches, node image upgrades and Kubernetes upgrades all reboot or replace nodes, so workloads must tolerate it (PodDisruptionBudgets). The article patches the OS in place and reboots with Kured, upgrades node images with the CLI, and upgrades Kubernetes control plane first, then node pools, with a surge setting. AKS now automates both with upgrade channels inside planned maintenance windows. A blue/green alternative deploys a new cluster at the target version, moves workloads, tests, then switches traffic.',
    options: [
      {
        id: 'NodeImage',
        name: 'Managed node OS channel (NodeImage)',
        summary: 'AKS rolls out a fresh node image weekly in the maintenance window; no Kured needed.',
        pros: ['Patched, reimaged nodes with no in-cluster agent', 'Respects PodDisruptionBudgets and max surge'],
        cons: ['Weekly node replacement'],
      },
      {
        id: 'SecurityPatch',
        name: 'SecurityPatch channel',
        summary: 'AKS applies security patches without reimaging, rebooting when needed.',
        pros: ['Fewer reimages'],
        cons: ['Nodes drift from the base image between upgrades'],
      },
      {
        id: 'Unmanaged',
        name: 'Unmanaged OS updates with Kured',
        summary:
          'Ubuntu/Azure Linux install security updates themselves; Kured cordons, drains and reboots nodes one at a time in a reboot window.',
        pros: ["The article's proven approach", 'Reboot window under your control'],
        cons: ['Kured to run and keep updated', 'Node images still need upgrading separately (scheduled pipeline)'],
      },
      {
        id: 'None',
        name: 'No automatic OS updates',
        summary: 'Nothing is applied automatically.',
        pros: ['Full manual control'],
        cons: ['Unpatched nodes unless someone acts'],
      },
    ],
    chosen: u.nodeOsUpgradeChannel,
    details: [
      `Kubernetes auto-upgrade channel: ${u.autoUpgradeChannel}`,
      `Maintenance window: ${u.maintenanceWindow.dayOfWeek} ${u.maintenanceWindow.startTime} (UTC${u.maintenanceWindow.utcOffset}) for ${u.maintenanceWindow.durationHours} hours`,
      `Max surge: ${u.maxSurge}`,
      `Kured: ${plan.components.kured ? `yes, ${u.kured.rebootDays.join(', ')} ${u.kured.startTime}-${u.kured.endTime} ${u.kured.timeZone}` : 'no'}`,
      'Kubernetes minor upgrades: manually dispatched pipeline, control plane first, then each node pool with the configured surge; blue/green (a new cluster per upgrade) remains the fallback for risky jumps',
    ],
    consequences: [
      'Platform components carry PodDisruptionBudgets so drains never take them down entirely.',
      'AKS upgrades and patches only running clusters, so the maintenance window lies on a working day in working hours: an environment stopped outside working hours must be running in it, and the answers refuse a window outside the hours any stop/start environment runs.',
      ...(plan.components.kured
        ? [
            "Kured reboots a node only inside its window and only while the cluster runs (its window ends on the day it starts), so the window lies in working hours too: the answers refuse one with no whole window a week in the hours a stop/start environment runs, and `aks-platform validate` checks the Kured release against the stop/start pipeline's schedule (rule kured-window).",
          ]
        : []),
      'A deployment keeps the Kubernetes version a cluster runs when it is newer than the pinned one (after the upgrade pipeline or an auto-upgrade), because AKS refuses downgrades; the pin is the version new clusters start with.',
      "Each team's example workload has a PodDisruptionBudget (maxUnavailable 1) and spreads its replicas over zones and nodes: production's two replicas keep serving through a drain, and one replica elsewhere never blocks it. `aks-platform validate` reports a multi-replica workload without one (rule workload-disruption).",
    ],
  };
}

function cost(plan: Plan): Decision {
  const stopped = plan.environments.filter((env) => env.stopStart);
  const spot = plan.environments.filter((env) => env.pools.some((pool) => pool.spot));
  return {
    slug: 'cost-controls',
    title: 'Cost controls: start/stop and spot node pools',
    context:
      'Development and test clusters rarely need to run outside working hours. AKS can stop a cluster, deallocating every node, and start it again; a scheduled pipeline does that on a timetable. Spot node pools use spare Azure capacity at a discount, with no SLA and eviction at any time: "built-in chaos engineering at low cost", only for workloads designed for it. User pools can also scale to zero; system pools cannot.',
    options: [
      {
        id: 'both',
        name: 'Scheduled stop/start and spot pools',
        summary: 'Non-production clusters stop outside working hours; interruptible workloads run on spot nodes.',
        pros: ['Largest saving'],
        cons: ['Workloads must tolerate eviction and cold starts'],
      },
      {
        id: 'stop-start',
        name: 'Scheduled stop/start only',
        summary: 'Clusters stop outside working hours.',
        pros: ["Saves most of a dev cluster's cost"],
        cons: ['Nothing runs at night (no overnight tests)'],
      },
      {
        id: 'spot',
        name: 'Spot pools only',
        summary: 'Interruptible workloads run on spot nodes.',
        pros: ['Saving without downtime windows'],
        cons: ['Evictions at any time'],
      },
      {
        id: 'none',
        name: 'Neither',
        summary: 'Clusters run around the clock on regular VMs.',
        pros: ['Simplest'],
        cons: ['Highest cost'],
      },
    ],
    chosen:
      stopped.length > 0 && spot.length > 0
        ? 'both'
        : stopped.length > 0
          ? 'stop-start'
          : spot.length > 0
            ? 'spot'
            : 'none',
    details: [
      ...stopped.map(
        (env) =>
          `${env.name}: runs ${env.stopStart!.days.join(', ')} ${env.stopStart!.startTime}-${env.stopStart!.stopTime} ${env.stopStart!.timeZone}, stopped otherwise`,
      ),
      ...spot.map(
        (env) =>
          `${env.name}: spot pool ${env.pools.find((p) => p.spot)!.vmSize}, ${env.pools.find((p) => p.spot)!.minCount}-${env.pools.find((p) => p.spot)!.maxCount} nodes, Delete eviction, max price -1 (pay up to the on-demand price)`,
      ),
    ],
    consequences: [
      'Only workloads that tolerate the spot taint land on spot nodes; platform components never do.',
      ...(stopped.length > 0
        ? [
            'AKS changes only running clusters: a deployment starts a schedule-stopped cluster first and stops it again when its schedule has it off at that hour, so a stopped environment never fails a deployment or blocks the next one.',
          ]
        : []),
    ],
  };
}

function observability(plan: Plan): Decision {
  const o = plan.observability;
  return {
    slug: 'observability',
    title: 'Observability stack',
    context:
      "For an Azure-only platform, Azure Monitor and Container Insights give metrics, logs and a cluster view with nothing to operate, and the platform's other Azure services report to the same place. A platform that spans clouds is better served by the same tools everywhere: Prometheus, Grafana and ELK, with Grafana's Azure Monitor data source for Azure's own metrics.",
    options: [
      {
        id: 'azure-monitor',
        name: 'Azure Monitor with Container Insights',
        summary:
          'Log Analytics with Container Insights, optionally Azure Managed Prometheus and Azure Managed Grafana.',
        pros: ['Nothing to run in the cluster', 'One pane with every Azure service'],
        cons: ['Azure-only; ingestion is billed per GB'],
      },
      {
        id: 'oss',
        name: 'Prometheus and Grafana via Flux, logs to an external Elasticsearch',
        summary:
          'kube-prometheus-stack in the cluster; Grafana reads Azure Monitor through workload identity; Filebeat ships the Azure log stream to an Elasticsearch and Kibana the organisation already runs (Elastic Cloud or its own), which this repository does not deploy.',
        pros: ['Same dashboards and alerts on every cloud'],
        cons: ['The team operates and upgrades the stack'],
      },
    ],
    chosen: o.stack,
    details: [
      `Container Insights: ${yesNo(plan.components.containerInsights)}`,
      `Managed Prometheus: ${yesNo(plan.components.managedPrometheus)}, Managed Grafana: ${yesNo(plan.components.managedGrafana)}`,
      `Log retention: ${o.logRetentionDays} days`,
      ...(plan.components.ossObservability ? ossDetails(plan) : []),
    ],
    consequences: [
      'Control-plane diagnostic logs always go to Log Analytics, whichever stack serves dashboards.',
      ...(plan.components.ossObservability
        ? [
            'Elasticsearch and Kibana are external: the clusters run only Filebeat. Running Elasticsearch in every platform cluster (with the ECK operator, say) would make each cluster a stateful database to size, back up and upgrade, under the Elastic License, while one external deployment serves every cluster and cloud; the answer observability.elasticsearchUrl names it.',
          ]
        : []),
    ],
  };
}

/** What the open-source stack keeps on disk and which control-plane targets it leaves out (src/plan/observability.ts). */
function ossDetails(plan: Plan): string[] {
  const storage = monitoringStorageClass(plan);
  return [
    `Prometheus, Alertmanager and Grafana keep their state on persistent volumes of the ${storage.name} class (${storage.skuName}${storage.create ? ', created by this repository because the pools span availability zones' : ', built into AKS'}): ${Object.entries(
      MONITORING_VOLUMES,
    )
      .map(([part, v]) => `${part} ${v.size} for ${v.keeps}`)
      .join('; ')}`,
    ...CONTROL_PLANE_SCRAPES.filter((scrape) => !scrape.enabled(plan)).map(
      (scrape) =>
        `${scrape.component} is neither scraped nor alerted on: it ${scrape.why}, so its target would be down forever`,
    ),
  ];
}

function logStreaming(plan: Plan): Decision {
  return {
    slug: 'log-streaming',
    title: 'Streaming diagnostic logs to Event Hubs',
    context:
      "Azure diagnostic settings can stream every service's logs to a storage account or an Event Hubs namespace. From Event Hubs, Filebeat (or a SIEM) consumes the stream and writes it to Elasticsearch, so platform services that are not in Kubernetes still reach the external log store.",
    options: [
      {
        id: 'stream',
        name: 'Stream to Event Hubs',
        summary: 'Diagnostic settings send to Log Analytics and an Event Hubs namespace per environment.',
        pros: ['External log stores and SIEMs receive Azure logs in near real time'],
        cons: ['Event Hubs throughput units to size and pay for'],
      },
      {
        id: 'none',
        name: 'Log Analytics only',
        summary: 'Diagnostic logs stay in Log Analytics.',
        pros: ['No extra moving parts'],
        cons: ['External tools must query Log Analytics'],
      },
    ],
    chosen: plan.components.eventHubsStreaming ? 'stream' : 'none',
    details: plan.components.eventHubsStreaming ? [...eventHubsNetworkDetails(plan), ...filebeatDetails(plan)] : [],
    consequences: [
      'Diagnostic categories are the same in both destinations, so nothing is visible in one and missing in the other.',
      ...(plan.components.eventHubsStreaming
        ? [
            'A consumer outside the spoke and its peered networks (a SaaS SIEM, say) cannot reach the namespace: give it a private endpoint of its own, or open the namespace firewall to its addresses in infra/modules/event-hubs.bicep.',
          ]
        : []),
      ...(plan.components.filebeat
        ? [
            'Rotating a key (Event Hubs rule, storage account) and redeploying updates the vault; restart the Filebeat Deployment so it reads the new value.',
            'When Filebeat gains workload identity support for its Event Hubs input, the connection strings and their vault can go, and local authentication can be turned off once Azure Monitor can stream without a SAS rule.',
          ]
        : []),
    ],
  };
}

/** How the namespace is reached and signed in to: private endpoint, trusted Azure Monitor, the two SAS rules. */
function eventHubsNetworkDetails(plan: Plan): string[] {
  const central = centralZoneId(plan, 'eventHubs');
  return [
    `The namespace has no public endpoint (publicNetworkAccess Disabled, default action Deny); consumers reach it through its private endpoint in the spoke, registered in ${central ? `the hub's zone ${central}` : "the environment's privatelink.servicebus.windows.net zone"}`,
    'Azure Monitor streams the diagnostic settings in as a trusted Microsoft service (trustedServiceAccessEnabled), which a private endpoint alone would block',
    'Local (SAS) authentication stays on, as narrowly as it goes: diagnostic settings can only stream through a namespace authorization rule, which Azure requires to hold Manage, Listen and Send (`diagnostics-send`, used by nothing else)' +
      (plan.components.filebeat
        ? ', and Filebeat reads with a Listen-only rule of its own; its Event Hubs input signs in with a connection string (see below), so Entra-only authentication would cut it off'
        : ''),
  ];
}

function filebeatDetails(plan: Plan): string[] {
  const o = plan.observability;
  return plan.components.filebeat
    ? [
        `Filebeat (${FILEBEAT_IMAGE}, two replicas in \`${FILEBEAT.namespace}\`) ships the stream to ${o.elasticsearch?.url ?? ''} through the consumer group \`${FILEBEAT.consumerGroup}\`, with checkpoints in a storage account of its own`,
        "Filebeat authenticates with a Listen-only Event Hubs connection string and a storage connection string: its Event Hubs input has no AKS workload identity mode (elastic/beats#48835), and its managed identity mode would use the node's identity, shared by every pod on the node",
        `The deployment writes those credentials and the Elasticsearch API key (pipeline secret ${FILEBEAT.apiKeyVariable}) to a Key Vault only the Filebeat workload identity can read; the Secrets Store CSI driver hands them to Filebeat`,
      ]
    : [
        'Filebeat is not deployed by this repository: a log shipper of your own consumes the Event Hubs namespace (see the README)',
      ];
}

function pipelineIdentityRecord(plan: Plan): Decision {
  const identities = pipelineIdentities(plan);
  return {
    slug: 'pipeline-identities',
    title: 'Pipeline identities and their roles',
    context:
      'The pipelines sign in to Azure to preview, deploy, stop, start and upgrade. Whoever can open a pull request can change any workflow in it, so whatever a pull request run can sign in as is open to every contributor before review. Deploying needs broad rights (the templates create resource groups and role assignments); previewing needs none of them.',
    options: [
      {
        id: 'per-job',
        name: 'One identity per kind of job',
        summary:
          'A read-only plan identity for pull requests, a deploy identity per deployment trusting only its environment, an operator per cluster for stop/start and upgrades.',
        pros: [
          'A pull request can read and preview, never change anything',
          'A deployment approved for dev cannot touch what only prod may change through its environment',
          'Schedules run with rights on one cluster only',
        ],
        cons: ['More identities, repository variables and service connections to set up once'],
      },
      {
        id: 'single',
        name: 'One identity for everything',
        summary:
          'Contributor and RBAC Administrator on the subscription, trusted by pull requests, the branch and every environment.',
        pros: ['One credential to set up'],
        cons: ['Anyone who can open a pull request can act on the subscription before review'],
      },
      {
        id: 'no-preview',
        name: 'No Azure sign-in on pull requests',
        summary: 'Pull requests build and lint only; what-if runs after merge.',
        pros: ['Nothing to trust on pull requests'],
        cons: ['Reviewers approve changes without seeing what they do in Azure'],
      },
    ],
    chosen: 'per-job',
    details: [
      ...planJobRoles(plan).map(
        (row) =>
          `${row.job}: ${row.identity} identity, ${row.scope === 'subscription' ? 'on the subscription' : `on ${JOB_SCOPES[row.scope]}`}; ${row.why} (${row.source})`,
      ),
      ...identities.map(
        (i) =>
          `${i.name}: ${i.githubSubjects.length > 0 ? `trusts ${i.githubSubjects.map((s) => s.subject).join(', ')}` : 'no GitHub subjects yet (no repository owner)'}; Azure DevOps service connection ${i.serviceConnection}`,
      ),
    ],
    consequences: [
      'What-if runs with --validation-level ProviderNoRbac, which checks read instead of write permissions, so Reader and the what-if action suffice.',
      'GitHub environments must be limited to the deployment branch, or a pull request could claim one and with it a deploy identity; Azure DevOps service connections other than the plan one need a branch control check.',
      "The operator role is granted on each cluster by that environment's deployment, so it exists only once the cluster does.",
    ],
  };
}

/** The decision records, in the order they are numbered. */
function deploymentScope(plan: Plan): Decision {
  return {
    slug: 'deployment-scope',
    title: 'Bicep deployment scope',
    context:
      'A Bicep deployment targets a resource group, a subscription, a management group or the tenant. The scope decides who can run it, what it may create, and whether the resource groups themselves are part of the code.',
    options: [
      {
        id: 'subscription',
        name: 'Subscription scope',
        summary: 'Each deployment creates its resource groups and deploys into them through modules.',
        pros: [
          'Resource groups, their tags and the cross-group wiring (hub peering, DNS) are code too',
          'One command per environment, from an empty subscription',
        ],
        cons: ['The deploying identity needs rights on the subscription, not just a resource group'],
      },
      {
        id: 'resourceGroup',
        name: 'Resource group scope',
        summary: 'Resource groups are created beforehand, by hand or another pipeline; the deployment fills one.',
        pros: ['The deploying identity can be limited to one resource group'],
        cons: [
          'Resource groups and the hub side of peerings live outside the code',
          'Every new environment starts with a manual step',
        ],
      },
      {
        id: 'managementGroup',
        name: 'Management group scope',
        summary: 'One deployment spans subscriptions, as landing zone vending does.',
        pros: ['Fits subscription vending'],
        cons: ['Far broader rights than a platform team usually holds'],
      },
    ],
    chosen: 'subscription',
    details: [
      ...(plan.hub.mode === 'create' ? ['infra/hub.bicep creates the hub resource group and runs first'] : []),
      ...plan.environments.map(
        (env) => `infra/main.bicep with infra/${env.name}.bicepparam creates ${env.names.resourceGroup.value}`,
      ),
    ],
    consequences: [
      'The deploy identities need Contributor and Role Based Access Control Administrator on the subscription, because the templates create resource groups and role assignments; pull requests never sign in as them (see the pipeline identities record).',
      'Deploy with az deployment sub create (and what-if) and a location for the deployment metadata.',
    ],
  };
}

function gitopsTenancy(plan: Plan): Decision {
  return {
    slug: 'gitops-multi-tenancy',
    title: 'Flux under the AKS extension: multi-tenancy',
    context:
      "The AKS Flux extension installs Flux with multi-tenancy enforced: its controllers apply every object by impersonating a flux-applier service account that the extension creates only in the fluxConfiguration's namespace, and they refuse references across namespaces. Manifests written for a plain Flux install (a HelmRelease in its workload's namespace) never reconcile there.",
    options: [
      {
        id: 'enforce',
        name: 'Keep enforcement; all Flux objects in the configuration namespace',
        summary: `Every HelmRepository, HelmRelease and Kustomization lives in ${FLUX.namespace}; HelmReleases install into their namespaces with targetNamespace, as Azure/gitops-flux2-kustomize-helm-mt does.`,
        pros: ['The secure default of the extension stays on', 'No cross-namespace references to audit'],
        cons: ['Manifests copied from plain Flux examples need their namespaces moved'],
      },
      {
        id: 'opt-out',
        name: 'Turn enforcement off (multiTenancy.enforce=false)',
        summary: 'The controllers apply as their own service accounts and objects may live anywhere.',
        pros: ['Plain Flux examples work unchanged'],
        cons: [
          "Any Flux object can act with the controllers' cluster-wide rights",
          'A deliberate weakening to explain',
        ],
      },
    ],
    chosen: 'enforce',
    details: [
      `Extension setting ${FLUX_MULTI_TENANCY_SETTING.key}=${FLUX_MULTI_TENANCY_SETTING.value} (written explicitly in infra/modules/flux.bicep)`,
      ...FLUX_TENANCY_CONSTRAINTS.map((c) => `${c.rule} (${c.source})`),
    ],
    consequences: [
      `\`aks-platform validate\` reports a Flux object outside ${FLUX.namespace}, a cross-namespace sourceRef or dependsOn, and a HelmRelease without targetNamespace (rule flux-tenancy).`,
      "Helm keeps each release's history in the workload namespace (storageNamespace), so helm list -n <namespace> shows it.",
    ],
  };
}

function hybridManagement(plan: Plan): Decision {
  const arc = plan.clusters.filter((c) => c.kind === 'arc');
  return {
    slug: 'hybrid-management',
    title: 'Clusters outside Azure',
    context:
      'The article closes on managing every cluster, on Azure, on-premises or in another cloud, from one place with one consistent platform. Clusters this repository does not create still need the same GitOps tree, monitoring, secrets, policy and access as its AKS clusters.',
    options: [
      {
        id: 'arc',
        name: 'Azure Arc-enabled Kubernetes',
        summary:
          'Each cluster is connected once (az connectedk8s connect); Bicep then adds the Flux, Container Insights, Key Vault secrets provider and Azure Policy extensions and the role assignments, and Flux reconciles its own entry point clusters/<name>, which applies the overlays of its environment.',
        pros: [
          'One control plane: the same Flux configuration, Azure Monitor workspace, Key Vault, policy and Entra groups as AKS',
          'Outbound-only agents, proxy support',
          'Workload identity federation on k3s, AKS on Azure Local, OpenShift and Tanzu',
        ],
        cons: [
          'Connecting is a manual step from inside the network of the cluster',
          'No AKS node OS channel (Kured reboots after the distribution patches) and no Azure load balancer',
          'Workload identity not federated on EKS, GKE, RKE2 and other distributions',
          'Fleet Manager update runs cover AKS members only',
        ],
      },
      {
        id: 'flux-bootstrap',
        name: 'Flux bootstrapped on each cluster by hand',
        summary: 'flux bootstrap per cluster, secrets and monitoring per cloud.',
        pros: ['No Azure dependency on the cluster'],
        cons: ['Every cluster is wired differently: monitoring, secrets, access and policy per cloud'],
      },
      {
        id: 'none',
        name: 'AKS only',
        summary: 'Every cluster of the platform is an AKS cluster this repository creates.',
        pros: ['Nothing to connect; one kind of cluster'],
        cons: ['Clusters elsewhere stay outside the platform'],
      },
    ],
    chosen: arc.length > 0 ? 'arc' : 'none',
    details:
      arc.length > 0
        ? [
            ...arc.map(
              (c) =>
                `${c.entryPoint}: ${c.distribution} in ${c.resourceGroup}, environment ${c.environment}; workload identity ${yesNo(c.capabilities.workloadIdentity)}; team apps ${yesNo(c.runsTeamApps)}`,
            ),
            'Onboarding: infra/arc/connect.sh and docs/arc-onboarding.md (outbound endpoints, proxy flags)',
          ]
        : ['No Arc-enabled clusters: add them to arc.clusters and re-run the generator'],
    consequences:
      arc.length > 0
        ? [
            'An Arc cluster deploys with its environment, after it has been connected.',
            'What each cluster supports is decided per cluster in the plan, so the entry points of Arc clusters differ from those of AKS only where the cluster needs it.',
          ]
        : ['Clusters outside Azure are not managed by this repository.'],
  };
}

function multiClusterUpdates(plan: Plan): Decision {
  const fleet = plan.fleet;
  return {
    slug: 'multi-cluster-updates',
    title: 'Updating many clusters',
    context:
      'Every environment runs its own cluster, and each one needs Kubernetes minor upgrades and new node images. Updating them one by one in the same maintenance window lets a bad version reach production as soon as it reaches dev.',
    options: [
      {
        id: 'fleet',
        name: 'Azure Kubernetes Fleet Manager (hubless)',
        summary:
          'Every AKS cluster is a fleet member in the update group of its environment; an update strategy orders the groups into stages with a soak time between them; auto-upgrade profiles start staged update runs for new versions and node images, and the upgrade pipelines start, watch and approve runs.',
        pros: [
          'Staged roll-out with soak time, stoppable as a whole',
          'One update run instead of a loop of per-cluster jobs',
          'No hub cluster to run or pay for',
        ],
        cons: [
          'Another Azure resource and role to manage',
          'Minor versions and node images leave the clusters own channels (patches and SecurityPatch stay with AKS)',
          'Arc-enabled clusters are not members',
        ],
      },
      {
        id: 'per-cluster',
        name: 'Per-cluster channels and pipelines',
        summary: 'Each cluster follows its auto-upgrade channels; the pipeline upgrades clusters one after the other.',
        pros: ['Nothing beyond AKS itself'],
        cons: ['No soak time between environments unless the pipeline waits', 'Upgrade order lives in YAML'],
      },
    ],
    chosen: fleet ? 'fleet' : 'per-cluster',
    details: fleet
      ? [
          `Fleet: ${fleet.name} in ${fleet.resourceGroup}`,
          `Members: ${fleet.members.map((m) => `${m.clusterName} (group ${m.group})`).join(', ')}`,
          `Stages: ${fleet.stages.map((s) => `${s.name} [${s.groups.join(', ')}]${s.afterStageWaitInSeconds > 0 ? `, then ${s.afterStageWaitInSeconds}s` : ''}`).join(' → ')}`,
          `Auto-upgrade profiles: ${fleet.autoUpgrade.map((p) => `${p.name} (${p.channel})`).join(', ') || 'none'}, through the strategy ${fleet.strategy} (soak times, no approval gates)`,
          ...(upgradesThroughFleet(plan)
            ? [
                `Upgrade pipelines: one update run each through the strategy ${fleet.pipelineStrategy}, with an approval gate before ${joinWords(fleet.stages.slice(1).map((s) => `${s.name} (approved in the ${s.approvalEnvironment} environment)`)) || 'no stage'}`,
              ]
            : []),
        ]
      : [
          `Kubernetes auto-upgrade channel ${plan.upgrades.autoUpgradeChannel}, node OS ${plan.upgrades.nodeOsUpgradeChannel}`,
        ],
    consequences: fleet
      ? [
          'infra/fleet.bicep deploys after the environments, whose clusters it adds as members.',
          ...(upgradesThroughFleet(plan)
            ? [
                `The upgrade pipelines drive update runs as ${identityFor(plan, 'fleet', 'fleet').name}, which holds ${FLEET_OPERATOR_ROLE.name} on the fleet only (no narrower built-in role can run update runs and approve gates); a job per stage waits while its stage runs, so a long stage needs runners that allow long jobs.`,
              ]
            : []),
        ]
      : ['Turn on fleet.enabled once the environments must be updated in stages.'],
  };
}

function policy(plan: Plan): Decision {
  const c = plan.components;
  const definition = podSecurityDefinition(plan);
  return {
    slug: 'azure-policy',
    title: 'Azure Policy for Kubernetes: pod security and allowed registries',
    context:
      "The Azure Policy add-on runs Gatekeeper in each cluster, but nothing is enforced until policies are assigned. aks-baseline assigns the built-in pod security initiative and the allowed images policy to every cluster, auditing first and denying where it matters. The platform's own components (the system add-ons, Gatekeeper, Flux, and the controllers this repository deploys) need more than a team workload may have, so their namespaces are excluded by name.",
    options: [
      {
        id: 'baseline',
        name: 'Pod security baseline initiative',
        summary: `${POLICY_DEFINITIONS.baseline.displayName} (${POLICY_DEFINITIONS.baseline.id}).`,
        pros: [
          'Blocks privileged containers, host namespaces, host networking and host paths',
          'Works with every workload this repository generates, Key Vault CSI mounts included',
        ],
        cons: ['Allows root users and any capability in the default set'],
      },
      {
        id: 'restricted',
        name: 'Pod security restricted initiative',
        summary: `${POLICY_DEFINITIONS.restricted.displayName} (${POLICY_DEFINITIONS.restricted.id}), as aks-baseline assigns it.`,
        pros: ['Non-root users and groups, no privilege escalation, a seccomp profile, dropped capabilities'],
        cons: [
          `Only ${RESTRICTED_VOLUME_TYPES.join(', ')} volumes: no CSI volumes, so teams cannot mount Key Vault secrets (the answers refuse the combination)`,
        ],
      },
      {
        id: 'none',
        name: 'No assignment (add-on off)',
        summary: 'cluster.azurePolicy=false: no Gatekeeper and no policy in the cluster.',
        pros: ['No admission webhook on the request path'],
        cons: ['Nothing stops a privileged pod or an image from an unknown registry'],
      },
    ],
    chosen: c.policyAssignments ? plan.cluster.podSecurityStandard : 'none',
    details: c.policyAssignments
      ? [
          `infra/modules/policy.bicep assigns ${definition.displayName} and ${POLICY_DEFINITIONS.allowedImages.displayName} (${POLICY_DEFINITIONS.allowedImages.id}) at the scope of each cluster`,
          ...plan.environments.map(
            (env) => `${env.name}: effect ${policyEffect(env)}${env.production ? ' (production)' : ''}`,
          ),
          `Excluded namespaces: ${policyExcludedNamespaces(plan).join(', ')}`,
          `Allowed registries: the environment's container registry${allowedRegistries(plan).length > 0 ? `, ${allowedRegistries(plan).join(', ')}` : ''}`,
        ]
      : ['No policy is assigned; the README lists none'],
    consequences: [
      'Outside production a violation is reported in the Azure Policy compliance view and the team fixes it before the same manifest reaches production, where it is refused at admission.',
      'A namespace for a new platform component needs an exclusion in infra/modules/policy.bicep; `aks-platform validate` checks that every exclusion names a namespace that exists and that no team namespace is excluded.',
      'Images from other registries are imported into the environment registry (az acr import) or listed in cluster.allowedRegistries.',
    ],
  };
}

function alerting(plan: Plan): Decision {
  const c = plan.components;
  const emails = plan.observability.alertEmails;
  return {
    slug: 'alerting',
    title: 'Alerting and AKS events',
    context:
      'A platform nobody is told about fails silently: a node that stops being Ready, pods that restart, nodes under CPU or memory pressure and deployments that never become available must reach the on-call team. AKS also announces new Kubernetes versions, the end of support of the running one and node pool upgrades, as Event Grid events.',
    options: [
      {
        id: 'azure-monitor',
        name: 'Azure Monitor action group and managed Prometheus rule groups',
        summary:
          "An action group with the answered addresses, Azure's recording rules and the recommended alerts as prometheusRuleGroups, and log search alerts for upgrade runs.",
        pros: ['No alerting component to run in the cluster', 'The same notification path for every Azure alert'],
        cons: ['Needs managed Prometheus for the metric alerts'],
      },
      {
        id: 'oss',
        name: 'kube-prometheus-stack rules and Alertmanager',
        summary:
          "The chart's default PrometheusRules (KubeNodeNotReady, KubePodCrashLooping, KubeDeploymentReplicasMismatch and the node-exporter rules) fire in the cluster's Alertmanager, which emails the answered addresses through the answered mail server (observability.smtp).",
        pros: ['Portable across clouds'],
        cons: [
          'A mail server to run or rent, reachable from the nodes; Azure Firewall carries no SMTP, so not behind the hub firewall',
        ],
      },
    ],
    chosen: c.ossObservability ? 'oss' : 'azure-monitor',
    details: [
      c.actionGroup
        ? `Action groups ${plan.environments.map((env) => environmentInfraNames(plan, env).actionGroup).join(', ')} email ${emails.join(', ')} with the common alert schema`
        : 'No action group: observability.alertEmails is empty, so alerts fire in Azure Monitor but notify nobody',
      ...(c.managedPrometheus
        ? [
            `Recording rule groups ${RECORDING_RULE_GROUPS.map((g) => `${g.prefix}-<cluster>`).join(' and ')}, as Azure creates them from the portal or the CLI`,
            `PlatformAlerts-<cluster>: ${ALERT_RULES.map((r) => r.alert).join(', ')}`,
          ]
        : ['No managed Prometheus, so no Prometheus rule groups in Azure Monitor']),
      `Event Grid system topic evgt-<cluster> (Microsoft.ContainerService.ManagedClusters) publishes ${AKS_EVENT_TYPES.map((t) => t.replace('Microsoft.ContainerService.', '')).join(', ')}; its delivery failures go to Log Analytics`,
      ...(c.actionGroup && upgradeNotificationKinds(plan).length > 0
        ? [
            `Log search alerts over Resource Graph (the AKS communication manager) notify the action group of ${upgradeNotificationKinds(plan).join(' and ')} runs; each rule's identity holds Reader on the environment resource group`,
          ]
        : []),
      ...(plan.observability.smtp
        ? [
            `Alertmanager emails ${emails.join(', ')} from ${plan.observability.smtp.from} through ${plan.observability.smtp.smarthost} (TLS required${c.alertmanagerSmtpAuth ? `, signed in as ${plan.observability.smtp.username} with the password Key Vault hands it through the Secrets Store CSI driver` : ', without signing in'}), grouped by alert, cluster and namespace and repeated every 12 hours; ${SILENT_ALERTS.join(' and ')}, which fire by design, notify nobody`,
          ]
        : []),
      `Registry: untagged manifests are deleted after ${REGISTRY_UNTAGGED_RETENTION_DAYS} days (retention policy, a preview feature of Premium registries)`,
    ],
    consequences: [
      `Event Grid cannot deliver AKS events to an action group: its Azure Monitor alert destination takes Key Vault and Health Resources events only (${UPGRADE_NOTIFICATIONS.monitorAlertDestination}). Subscribe a Function, Logic App, webhook or Event Hubs to the topic to act on the other events.`,
      "Alert severities follow Azure's recommendations (3 for node and deployment problems, 4 for container level); tune them in the rule group, not by silencing the action group.",
      ...(c.ossObservability && !c.alertmanagerEmail
        ? [
            'With the open-source stack and no mail server answered, Alertmanager keeps the chart\'s "null" receiver: answer observability.smtp, or route it to your receiver in the kube-prometheus-stack values (alertmanager.config).',
          ]
        : []),
    ],
  };
}

function wellArchitected(plan: Plan, others: Decision[]): Decision {
  const suppressions = planSuppressions(plan);
  const exclusions = planExclusions(plan);
  const title = (slug: string) =>
    slug === 'well-architected-baseline' ? 'this record' : (others.find((d) => d.slug === slug)?.title ?? slug);
  return {
    slug: 'well-architected-baseline',
    title: 'Well-architected baseline: PSRule for Azure',
    context:
      "PSRule for Azure is Microsoft's rule set for the Azure Well-Architected Framework (500+ rules, 50+ of them for AKS); Azure Verified Modules and the Azure landing zones run it in CI. It expands every parameter file with its template, the way a deployment would, and checks the resulting resources. A baseline names the rules that apply. Some rules the platform fails on purpose; those failures have to be written down with their reason, or nobody can tell them from the gaps.",
    options: [
      {
        id: 'default',
        name: `${PSRULE_BASELINE}, module version pinned`,
        summary:
          "Microsoft's recommended baseline: every generally available rule, at the version of PSRule for Azure the pipeline installs.",
        pros: [
          'The rules platform teams and Microsoft reviews hold Azure code to',
          'New rules arrive only when the module version is raised, in a reviewed change',
        ],
        cons: ['Some rules contradict deliberate choices and need a suppression with a reason'],
      },
      {
        id: 'dated',
        name: 'A dated GA baseline (Azure.GA_YYYY_MM)',
        summary: 'The rules released up to a date, unchanged when the module is upgraded.',
        pros: ['Upgrading the module never adds a failing rule'],
        cons: ['Marked obsolete after a few releases; moving on is a manual step'],
      },
      {
        id: 'all',
        name: 'Azure.All',
        summary: 'Every rule, preview rules included.',
        pros: ['The strictest check'],
        cons: ['Preview rules change between releases and fail builds on untested advice'],
      },
    ],
    chosen: 'default',
    details: [
      `Pull requests run PSRule ${PSRULE_MODULES.PSRule} with PSRule.Rules.Azure ${PSRULE_MODULES['PSRule.Rules.Azure']} and the ${PSRULE_BASELINE} baseline over every infra/*.bicepparam and the bootstrap template; results appear in the job summary, and any failure outside ps-rule.yaml fails the check`,
      ...suppressions.map(
        (s) => `Suppressed: ${s.rule} on ${s.targets.join(', ')}. ${s.reason} (decision: ${title(s.decision)})`,
      ),
      ...exclusions.map((e) => `Left out: ${e.rule}. ${e.reason} (decision: ${title(e.decision)})`),
    ],
    consequences: [
      'Suppressions follow the answers: regenerating after an answer changes (more nodes, a private API server, authorized ranges, Kubernetes RBAC to Azure RBAC) removes the suppression it no longer needs, and the rule applies again.',
      'To tighten: change the baseline group in ps-rule.yaml to a dated GA baseline or Azure.All, or raise a threshold under configuration (e.g. AZURE_AKS_CLUSTER_USER_POOL_MINIMUM_NODES); remove a suppression only together with the change that makes the rule pass.',
      'A new PSRule for Azure version is one reviewed change of the pinned version, with the new failures fixed or suppressed in the same pull request.',
    ],
  };
}

function clusterSku(plan: Plan): Decision {
  const automatic = plan.components.automatic;
  const fixed = AUTOMATIC_FIXED_ANSWERS.map(
    (row) => `${row.path}: ${JSON.stringify(row.value)}, because the Automatic SKU ${row.because} (${row.source})`,
  );
  return {
    slug: 'cluster-sku',
    title: 'Cluster SKU: AKS Standard or AKS Automatic',
    context: `AKS Automatic is a cluster SKU that takes many decisions itself: AKS creates, scales and upgrades the system nodes outside the subscription, node auto-provisioning (Karpenter) creates user nodes from the pending pods, and networking, identity, safeguards and upgrade channels are preconfigured and cannot be turned off. Microsoft recommends it as the starting point for most production workloads (${AUTOMATIC_CLUSTER.sources.sku}). This generator's Standard cluster already sets most of the same things explicitly; the choice is who decides them, and what the platform gives up in exchange.`,
    options: [
      {
        id: 'standard',
        name: 'AKS Standard: every setting from the answers',
        summary:
          'The platform team chooses and owns the node pools (sizes, zones, OS disks, spot), the network plugin, identities, upgrade channels and patching.',
        pros: [
          'Full control: VM sizes, spot pools, Kured, any upgrade channel, Fleet Manager staged updates',
          'Free tier outside production, and clusters that stop at night',
          'Kubernetes RBAC, kubenet or flat Azure CNI where an estate needs them',
        ],
        cons: [
          'System and user pools to size, patch and upgrade',
          'No pod readiness SLA; the uptime SLA only on the Standard tier',
        ],
      },
      {
        id: 'automatic',
        name: 'AKS Automatic (sku.name Automatic, Standard tier)',
        summary:
          'AKS runs the system nodes and provisions user nodes itself; deployment safeguards and baseline pod security are enforced; the cluster upgrades itself on the stable and NodeImage channels in the maintenance window.',
        pros: [
          `A pod readiness SLA: ${AUTOMATIC_POD_READINESS_SLA}, beside the 99.95% API server uptime SLA`,
          'No system pool to run: the managed system nodes are not billed to the subscription',
          'Nodes sized and bin-packed from the pending pods; node images patched without Kured',
          'Hardened defaults that cannot drift: deployment safeguards and baseline pod security standards in Enforce mode, node resource group lockdown',
        ],
        cons: [
          'Less control: the answers the SKU fixes (below) cannot be chosen, and workloads that break a safeguard (no readiness or liveness probe, the latest tag, requests below 100m CPU or 100Mi memory are raised) are refused or changed at admission',
          'Standard tier in every environment, dev included, and no stop/start: a stopped cluster with managed system nodes is not supported',
          'No spot or fixed-size agent pools from this repository: spot capacity needs a Karpenter NodePool you write',
          'No Fleet Manager staged updates (the channels are fixed), no Windows nodes, no Dapr or Azure Machine Learning extensions',
          'No in-place migration from the Base SKU: switching an existing environment means a new cluster',
          'Generally available in a subset of regions only',
        ],
      },
    ],
    chosen: plan.cluster.sku,
    details: [
      ...(automatic
        ? [
            `sku: { name: '${AUTOMATIC_CLUSTER.sku.name}', tier: '${AUTOMATIC_CLUSTER.sku.tier}' }, nodeProvisioningProfile: { mode: '${AUTOMATIC_CLUSTER.nodeProvisioningProfile.mode}', defaultNodePools: '${AUTOMATIC_CLUSTER.nodeProvisioningProfile.defaultNodePools}' } (${AUTOMATIC_CLUSTER.sources.nodeProvisioning})`,
            `Managed system nodes in the spoke: hostedSystemProfile names snet-system-nodes (/26) and snet-nodes, together with the delegated snet-api-server, all in the same VNet; the cluster identity holds Network Contributor on the spoke VNet, as node auto-provisioning in a custom VNet needs (${AUTOMATIC_CLUSTER.sources.hostedSystemProfile}, ${AUTOMATIC_CLUSTER.sources.customVnet})`,
            "Team capacity comes from node auto-provisioning's default NodePools (on-demand, D-family VMs). This repository writes no Karpenter NodePool or AKSNodeClass: no schema of those CRDs ships with it to validate them against, so a team that needs spot or GPU capacity adds a NodePool (karpenter.sh/v1) itself",
          ]
        : ['Automatic is not chosen; with cluster.sku automatic the SKU would fix these answers:']),
      ...fixed.map((line) => (automatic ? `Fixed: ${line}` : line)),
    ],
    consequences: [
      'What the platform team still owns under either SKU: this GitOps repository and Flux, the spoke network (subnets, NSGs, egress, DNS, the hub firewall rules), the identities and their role assignments, team namespaces with their quotas, network policies and access, Key Vault and the registry, policy assignments and their exceptions (deployment safeguard namespace exclusions included), alerts, the maintenance window, and cost.',
      'No preset chooses Automatic: starter saves cost with a Free-tier dev cluster that stops at night and spot pools, which Automatic rules out; enterprise stages updates through Fleet Manager; multicloud binds Kubernetes RBAC to Entra groups. A platform that wants Automatic sets cluster.sku=automatic; the answers it fixes are not asked and are refused when given otherwise.',
      'Each team example workload sets readiness and liveness probes and requests at or above the safeguard minimums, so it is admitted unchanged under Automatic; `aks-platform validate` reports a team workload that would be refused (rule automatic-safeguards).',
      "Under Automatic the safeguards check the platform's own releases too (for example the oss stack's kube-prometheus-stack and Filebeat): a chart whose pods lack a probe is refused until its namespace is excluded from the deployment safeguards, an exception the platform team owns and reviews like any other policy exception.",
      'The cluster SKU cannot move from Base to Automatic in place: changing cluster.sku on a deployed environment means creating a new cluster and moving the workloads (https://learn.microsoft.com/azure/aks/automatic/aks-automatic-sku-migration).',
    ],
  };
}

export function planDecisions(plan: Plan): Decision[] {
  const topics = [
    landingZone,
    privateCluster,
    networkPlugin,
    clusterIdentities,
    podIdentity,
    accessControl,
    secrets,
    upgrades,
    cost,
    observability,
    logStreaming,
    deploymentScope,
    ...(plan.components.githubActions || plan.components.azureDevOps ? [pipelineIdentityRecord] : []),
    hybridManagement,
    multiClusterUpdates,
    ingress,
  ].map((make) => make(plan));
  // Records added since are numbered after the existing ones, so an upgrade renames no record a team has linked to.
  const tenancy = gitopsTenancy(plan);
  const sku = clusterSku(plan);
  return [...topics, wellArchitected(plan, [...topics, tenancy, sku]), policy(plan), alerting(plan), tenancy, sku];
}
