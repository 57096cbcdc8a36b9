import * as z from 'zod';
import { CIDR_PATTERN, IPV4_PATTERN, parseCidr } from '../util/cidr.js';
import { BRANCH_PATTERN, GITHUB_OWNER_PATTERN, GITHUB_REPO_PATTERN } from '../util/names.js';
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_MINORS } from '../versions.js';

// The single source of truth for answers: types, defaults, the prompts' wording (title) and help (description),
// and the JSON Schema shipped for answers files. Semantic rules that span fields live in validate.ts.

/** A question's wording and help, carried as schema metadata so prompts and the JSON Schema never drift apart. */
function ask<T extends z.ZodType>(schema: T, title: string, description: string): T {
  return schema.meta({ title, description });
}

const CIDR_REGEX = new RegExp(CIDR_PATTERN);
const cidr = () =>
  z
    .string()
    .regex(
      new RegExp(CIDR_PATTERN),
      'must be an IPv4 CIDR such as 10.1.0.0/16 (octets 0-255 without leading zeros, prefix 0-32)',
    )
    .superRefine((value, ctx) => {
      const parsed = parseCidr(value);
      if ('error' in parsed && CIDR_REGEX.test(value))
        ctx.addIssue({ code: 'custom', message: parsed.error, params: { fix: parsed.fix } });
    });
const ipv4 = () =>
  z
    .string()
    .regex(new RegExp(IPV4_PATTERN), 'must be an IPv4 address such as 10.0.0.4 (octets 0-255 without leading zeros)');
const { oldest, newest } = SUPPORTED_KUBERNETES_MINORS;
const kubernetesVersion = () =>
  z
    .string()
    .regex(/^1\.\d{2}(\.\d{1,3})?$/, 'must be a Kubernetes version such as 1.35 or 1.35.2')
    .superRefine((value, ctx) => {
      const minor = Number(value.split('.')[1]);
      if (/^1\.\d{2}/.test(value) && (minor < oldest || minor > newest))
        ctx.addIssue({
          code: 'custom',
          message: `is not a Kubernetes minor AKS supports (1.${oldest} to 1.${newest})`,
          params: { fix: `use a version from 1.${oldest} to 1.${newest}, e.g. ${DEFAULT_KUBERNETES_VERSION}` },
        });
    });
const time = () => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time HH:MM such as 19:00');
const guid = () =>
  z
    .string()
    .regex(
      /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/,
      'must be a GUID such as 00000000-0000-0000-0000-000000000000',
    );

/**
 * A private DNS zone the landing zone's hub owns: in an Azure landing zone policy denies privatelink.* zones in the
 * spokes, so the environment references the hub's zone instead of creating its own (src/plan/private-dns.ts).
 */
const privateDnsZoneId = (title: string, description: string) =>
  ask(
    z
      .string()
      .regex(
        /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Network\/privateDnsZones\/[a-z0-9.-]+$/i,
        'must be a private DNS zone resource ID: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone>',
      )
      .optional(),
    title,
    `${description} Without it the environment creates the zone and links it to its spoke.`,
  );

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const weekday = z.enum(WEEKDAYS);
const WORKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;

const nodePool = (defaults: { vmSize: string; minCount: number; maxCount: number }) =>
  z
    .object({
      vmSize: ask(
        z
          .string()
          .regex(/^Standard_[A-Za-z0-9_]+$/, 'must be an Azure VM size such as Standard_D4ds_v5')
          .default(defaults.vmSize),
        'VM size',
        'Azure VM size of the pool, e.g. Standard_D4ds_v5. Ephemeral OS disks need a size with a local temp disk (the "d" sizes).',
      ),
      minCount: ask(
        z.number().int().min(0).max(1000).default(defaults.minCount),
        'Minimum nodes',
        'Cluster autoscaler lower bound.',
      ),
      maxCount: ask(
        z.number().int().min(1).max(1000).default(defaults.maxCount),
        'Maximum nodes',
        'Cluster autoscaler upper bound.',
      ),
      zones: ask(
        z.array(z.enum(['1', '2', '3'])).default(['1', '2', '3']),
        'Availability zones',
        'Zones the pool spreads over. Use all three in regions that have them; an empty list means no zone pinning.',
      ),
      maxPods: ask(
        z.number().int().min(10).max(250).optional(),
        'Pods per node',
        'Maximum pods per node, fixed when the pool is created. Defaults to 250 with Azure CNI Overlay, 110 with kubenet and 50 with flat Azure CNI, where every pod takes a node-subnet address (the subnet must hold maxCount plus surge nodes times maxPods + 1).',
      ),
      osDiskType: ask(
        z.enum(['auto', 'Ephemeral', 'Managed']).default('auto'),
        'OS disk type',
        "auto: an ephemeral OS disk (on the VM's cache or temp disk: faster, no disk cost) where the VM size holds it, a managed disk otherwise, with a warning. Ephemeral: required, refused when the size cannot hold it. Managed: always a managed disk.",
      ),
      osDiskSizeGB: ask(
        z.number().int().min(30).max(2048).optional(),
        'OS disk size (GiB)',
        "Defaults to 128 where the VM size's cache or temp disk holds it, else 64 (aks-baseline's system pool size) where that fits, else 128 on a managed disk. An ephemeral OS disk must fit the cache or temp disk.",
      ),
    })
    .strict();

const environment = z
  .object({
    name: ask(
      z.string().regex(/^[a-z][a-z0-9]{1,7}$/, 'must be 2-8 lowercase letters or digits, starting with a letter'),
      'Environment name',
      'Short name used in every resource name of the environment, e.g. dev, test, prod (2-8 lowercase letters or digits).',
    ),
    production: ask(
      z.boolean().default(false),
      'Production?',
      'Production environments get the Standard (SLA) control-plane tier, deployment approvals and never stop on a schedule by default.',
    ),
    addressSpace: ask(
      cidr(),
      'Spoke address space',
      'The environment spoke VNet range. A /16 leaves room for everything; the subnets are carved from it unless given below. Must not overlap the hub or another environment.',
    ),
    subnets: z
      .object({
        nodes: ask(
          cidr().optional(),
          'Node subnet',
          'Node (and with flat Azure CNI, pod) addresses. Derived from the address space when omitted.',
        ),
        apiServer: ask(
          cidr().optional(),
          'API server subnet',
          'Delegated subnet for API server VNet integration, at least /28. Derived when omitted.',
        ),
        privateEndpoints: ask(
          cidr().optional(),
          'Private endpoint subnet',
          'Private endpoints of Key Vault and the container registry. Derived when omitted.',
        ),
        ingress: ask(
          cidr().optional(),
          'Ingress subnet',
          'Internal load balancers and ingress controllers; with Application Gateway for Containers, its delegated association subnet (at least /24). Derived when omitted.',
        ),
        access: ask(
          cidr().optional(),
          'Access subnet',
          'Jump hosts or build agents that reach a private API server. Derived when omitted.',
        ),
        systemNodes: ask(
          cidr().optional(),
          'System node subnet (AKS Automatic)',
          'cluster.sku automatic only: the subnet the AKS-managed system nodes join, at least /26. Derived when omitted.',
        ),
      })
      .strict()
      .prefault({}),
    systemPool: nodePool({ vmSize: 'Standard_D4ds_v5', minCount: 2, maxCount: 3 }).prefault({}),
    userPool: nodePool({ vmSize: 'Standard_D4ds_v5', minCount: 2, maxCount: 6 }).prefault({}),
    spotPool: z
      .object({
        enabled: ask(
          z.boolean().default(false),
          'Add a spot node pool?',
          'Spot VMs use spare Azure capacity at a deep discount but can be evicted at any time and have no SLA: only for workloads built to be interrupted. Nodes carry the kubernetes.azure.com/scalesetpriority=spot taint.',
        ),
        vmSize: ask(
          z
            .string()
            .regex(/^Standard_[A-Za-z0-9_]+$/)
            .default('Standard_D4ds_v5'),
          'Spot VM size',
          'VM size of the spot pool; pick one with spare capacity in the region.',
        ),
        minCount: ask(
          z.number().int().min(0).max(1000).default(0),
          'Spot minimum nodes',
          'Autoscaler lower bound; 0 lets the pool empty itself.',
        ),
        maxCount: ask(z.number().int().min(1).max(1000).default(3), 'Spot maximum nodes', 'Autoscaler upper bound.'),
        maxPods: ask(
          z.number().int().min(10).max(250).optional(),
          'Spot pods per node',
          'Maximum pods per spot node; the same default and subnet check as the other pools.',
        ),
      })
      .strict()
      .prefault({}),
    stopStart: z
      .object({
        enabled: ask(
          z.boolean().default(false),
          'Stop the cluster outside working hours?',
          'A scheduled pipeline runs az aks stop / az aks start, deallocating all nodes (and the control plane) while stopped. For dev/test only.',
        ),
        days: ask(
          z
            .array(weekday)
            .min(1)
            .default([...WORKDAYS]),
          'Working days',
          'Days on which the cluster is started in the morning and stopped in the evening; it stays stopped on the other days.',
        ),
        startTime: ask(
          time().default('07:00'),
          'Start time',
          'Local time (HH:MM) at which the cluster starts on working days.',
        ),
        stopTime: ask(
          time().default('19:00'),
          'Stop time',
          'Local time (HH:MM) at which the cluster stops on working days.',
        ),
        timeZone: ask(
          z.string().default('Europe/Amsterdam'),
          'Time zone',
          'IANA time zone of the times above, e.g. Europe/Amsterdam. Schedulers that run in UTC get converted times.',
        ),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** A name that becomes a namespace or an entry point folder: a DNS label of at most 32 characters. */
const dnsLabel = () =>
  z
    .string()
    .regex(
      /^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$/,
      'must be a DNS label: lowercase letters, digits and hyphens, at most 32 characters',
    );

const team = z
  .object({
    name: ask(dnsLabel(), 'Team name', 'Becomes the team namespace and the prefix of its identity.'),
    entraGroupObjectId: ask(
      guid().optional(),
      "Team's Entra group object ID",
      'Object ID of the Entra ID group whose members may deploy to the team namespace. Without it no access is granted and the README says so.',
    ),
    keyVaultSecrets: ask(
      z
        .array(
          z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, 'must be a Key Vault secret name: letters, digits and hyphens'),
        )
        .default([]),
      'Key Vault secrets',
      'Names of the Key Vault secrets the team workload mounts through the Secrets Store CSI driver.',
    ),
    syncAsKubernetesSecret: ask(
      z.boolean().default(false),
      'Also sync them to a Kubernetes Secret?',
      'Needed only for workloads that read secrets from environment variables; a mounted volume is the safer default.',
    ),
    useSpot: ask(
      z.boolean().default(false),
      'Run the team workloads on spot nodes?',
      'Adds the spot toleration and node affinity to the team example workload. Only for interruptible workloads.',
    ),
  })
  .strict();

/** Kubernetes distributions an Arc-enabled cluster may run; what each supports is in plan/hybrid.ts. */
export const ARC_DISTRIBUTIONS = ['k3s', 'aks-hybrid', 'openshift', 'tanzu', 'eks', 'gke', 'rke2', 'other'] as const;

const arcCluster = z
  .object({
    name: ask(
      dnsLabel(),
      'Arc cluster name',
      'Name of the Arc-enabled cluster (the connectedClusters resource) and of its GitOps entry point clusters/<name>.',
    ),
    resourceGroup: ask(
      z.string().min(1).max(90),
      'Arc cluster resource group',
      'Resource group the cluster is (or will be) connected into with az connectedk8s connect.',
    ),
    environment: ask(
      z.string(),
      'Environment overlay',
      'Which environment the cluster belongs to: it gets that overlay of the GitOps tree and reports to its workspace.',
    ),
    distribution: ask(
      z.enum(ARC_DISTRIBUTIONS).default('k3s'),
      'Kubernetes distribution',
      'What the cluster runs; decides what it supports, e.g. workload identity federation (k3s, aks-hybrid, openshift, tanzu).',
    ),
  })
  .strict();

const fleetStage = z
  .object({
    name: ask(
      z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?$/, 'must be lowercase letters, digits and hyphens, at most 50'),
      'Stage name',
      'Name of the update stage, e.g. nonprod.',
    ),
    environments: ask(
      z.array(z.string()).min(1),
      'Environments of the stage',
      'The environments whose clusters update together in this stage; every environment in exactly one stage.',
    ),
    afterStageWaitInSeconds: ask(
      z.number().int().min(0).max(604800).default(3600),
      'Wait after the stage (seconds)',
      'Soak time before the next stage starts.',
    ),
  })
  .strict();

export const answersSchema = z
  .object({
    organisation: ask(
      z
        .string()
        .regex(/^[a-z][a-z0-9]{1,9}$/, 'must be 2-10 lowercase letters or digits, starting with a letter')
        .default('contoso'),
      'Organisation short name',
      'Used in globally unique names (Key Vault, container registry): 2-10 lowercase letters or digits.',
    ),
    platform: ask(
      z
        .string()
        .regex(/^[a-z][a-z0-9]{1,11}$/, 'must be 2-12 lowercase letters or digits, starting with a letter')
        .default('core'),
      'Platform name',
      'Short name of this platform, used in every resource name: 2-12 lowercase letters or digits.',
    ),
    location: ask(
      z
        .string()
        .regex(/^[a-z]+[a-z0-9]*$/, 'must be an Azure region name such as westeurope')
        .default('westeurope'),
      'Azure region',
      'Region of every resource, e.g. westeurope, northeurope, eastus2. Prefer a region with availability zones.',
    ),
    environments: ask(
      z
        .array(environment)
        .min(1)
        .prefault([
          {
            name: 'dev',
            addressSpace: '10.1.0.0/16',
            systemPool: { minCount: 1, maxCount: 3 },
            userPool: { minCount: 1, maxCount: 3 },
            stopStart: { enabled: true },
          },
          { name: 'prod', production: true, addressSpace: '10.2.0.0/16' },
        ]),
      'Environments',
      'Each environment is one spoke VNet and one cluster with its own sizes and schedules.',
    ),
    network: z
      .object({
        hub: z
          .object({
            mode: ask(
              z.enum(['create', 'existing', 'none']).default('none'),
              'Hub network',
              'create: this repo deploys a hub VNet with Azure Firewall and Bastion. existing: peer to a hub your landing zone already has. none: standalone spokes (no central egress control).',
            ),
            addressSpace: ask(
              cidr().default('10.0.0.0/22'),
              'Hub address space',
              'Range of the hub VNet this repo creates (at least /24 for firewall, firewall management, Bastion and gateway subnets).',
            ),
            vnetResourceId: ask(
              z
                .string()
                .regex(
                  /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+$/i,
                  'must be a VNet resource ID: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>',
                )
                .optional(),
              'Existing hub VNet resource ID',
              'Full resource ID of the hub VNet to peer with.',
            ),
            firewallPrivateIp: ask(
              ipv4().optional(),
              'Hub firewall private IP',
              'Private IP of the hub firewall (Azure Firewall or an NVA) that egress is routed to.',
            ),
          })
          .strict()
          .prefault({}),
        privateDnsZones: z
          .object({
            aksApiServer: privateDnsZoneId(
              'Central zone: private API server',
              'Resource ID of the hub-owned privatelink.<region>.azmk8s.io zone (or a subzone of it). The cluster identity gets Private DNS Zone Contributor on it, so the deploying identity needs the right to assign roles there.',
            ),
            keyVault: privateDnsZoneId(
              'Central zone: Key Vault',
              'Resource ID of the hub-owned privatelink.vaultcore.azure.net zone.',
            ),
            containerRegistry: privateDnsZoneId(
              'Central zone: container registry',
              'Resource ID of the hub-owned privatelink.azurecr.io zone.',
            ),
            blob: privateDnsZoneId(
              'Central zone: blob storage',
              'Resource ID of the hub-owned privatelink.blob.core.windows.net zone (Filebeat checkpoints).',
            ),
            eventHubs: privateDnsZoneId(
              'Central zone: Event Hubs',
              'Resource ID of the hub-owned privatelink.servicebus.windows.net zone.',
            ),
          })
          .strict()
          .prefault({}),
        egress: ask(
          z.enum(['firewall', 'loadBalancer', 'natGateway']).default('loadBalancer'),
          'Outbound traffic',
          'firewall: 0.0.0.0/0 is routed to the hub firewall (userDefinedRouting) and only the FQDNs AKS and the chosen add-ons need are allowed. loadBalancer: the AKS default. natGateway: a managed NAT gateway for many outbound flows.',
        ),
        plugin: ask(
          z.enum(['azure-cni-overlay', 'azure-cni', 'kubenet']).default('azure-cni-overlay'),
          'Network plugin',
          "azure-cni-overlay: pods get addresses from a private pod CIDR, nodes from the subnet; today's default, frugal with VNet addresses. azure-cni: every pod gets a VNet address (directly routable, needs a large subnet). kubenet: the article's address-saving option, retiring in 2028; no Azure network policy or Cilium.",
        ),
        dataplane: ask(
          z.enum(['cilium', 'azure']).default('cilium'),
          'Network dataplane',
          'cilium: eBPF dataplane (Azure CNI powered by Cilium) with built-in network policy. azure: the classic iptables dataplane.',
        ),
        networkPolicy: ask(
          z.enum(['cilium', 'calico', 'azure', 'none']).default('cilium'),
          'Network policy engine',
          'Enforces the default-deny NetworkPolicies of the team namespaces. cilium needs the cilium dataplane; kubenet supports calico only.',
        ),
        podCidr: ask(
          cidr().default('192.168.0.0/16'),
          'Pod CIDR',
          'Private pod range for overlay and kubenet; may be reused by every cluster, must not overlap any VNet.',
        ),
        serviceCidr: ask(
          cidr().default('172.16.0.0/16'),
          'Service CIDR',
          'Kubernetes service range; must not overlap any VNet or the pod CIDR.',
        ),
        dnsServiceIp: ask(
          ipv4().default('172.16.0.10'),
          'DNS service IP',
          'Cluster DNS address, inside the service CIDR.',
        ),
      })
      .strict()
      .prefault({}),
    cluster: z
      .object({
        sku: ask(
          z.enum(['standard', 'automatic']).default('standard'),
          'Cluster SKU',
          'standard: every cluster setting follows these answers. automatic: AKS Automatic decides node provisioning (Karpenter NodePools), managed system nodes, Azure CNI Overlay with Cilium, Entra ID with Azure RBAC, workload identity, deployment safeguards and the stable/NodeImage upgrade channels itself, with a pod readiness SLA; the answers it fixes are not asked, and values it does not allow are refused (see the cluster-sku decision record).',
        ),
        kubernetesVersion: ask(
          kubernetesVersion().default(DEFAULT_KUBERNETES_VERSION),
          'Kubernetes version',
          'Minor (1.35) lets the auto-upgrade channel pick patches; a full version pins it.',
        ),
        privateCluster: ask(
          z.boolean().default(true),
          'Private API server?',
          'The API server gets no public endpoint; it is reachable from the VNet (and peered networks) only. Flux inside the cluster needs no inbound access, and pipelines deploy through Azure Resource Manager only (run command stays disabled).',
        ),
        authorizedIpRanges: ask(
          z.array(cidr()).max(200).default([]),
          'API server authorized IP ranges',
          'Public API server only: the public CIDRs allowed to reach it, e.g. your offices and the egress of self-hosted runners (the cluster egress through the load balancer or NAT gateway is added at deployment). Required when a production environment has a public API server; never guessed.',
        ),
        apiServerVnetIntegration: ask(
          z.boolean().default(false),
          'API server VNet integration?',
          'Projects the API server into a delegated subnet of the spoke instead of a private endpoint; makes toggling private access possible without redeploying.',
        ),
        osSku: ask(
          z.enum(['AzureLinux', 'Ubuntu']).default('AzureLinux'),
          'Node OS',
          "AzureLinux: Microsoft's minimal container host. Ubuntu: the long-standing default.",
        ),
        defender: ask(
          z.boolean().default(true),
          'Microsoft Defender for Containers?',
          'Runtime threat detection on the nodes; billed per vCore.',
        ),
        azurePolicy: ask(
          z.boolean().default(true),
          'Azure Policy add-on?',
          'Gatekeeper-based policy with Azure Policy assignments: the pod security initiative and the allowed registries policy, audited outside production and enforced (deny) in production.',
        ),
        podSecurityStandard: ask(
          z.enum(['baseline', 'restricted']).default('baseline'),
          'Pod security standard (Azure Policy)',
          "The built-in Kubernetes pod security initiative assigned to each cluster. baseline: no privileged pods, host namespaces or host paths. restricted: also non-root users, dropped capabilities, a seccomp profile and only configMap, emptyDir, projected, secret, downwardAPI and PVC volumes (no CSI volumes, so no Key Vault mounts in team namespaces). The platform's own namespaces are excluded.",
        ),
        allowedRegistries: ask(
          z
            .array(
              z
                .string()
                .regex(
                  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?(\/[a-z0-9._-]+)*$/,
                  'must be a registry host, optionally with a path, such as myregistry.azurecr.io or ghcr.io/contoso',
                ),
            )
            .max(20)
            .default([]),
          'Additional allowed registries',
          "Registries team workloads may pull from besides the environment's container registry and the registries of the workloads this repository deploys, e.g. ghcr.io/contoso. Audited outside production, denied in production.",
        ),
      })
      .strict()
      .prefault({}),
    identity: z
      .object({
        kubeletIdentity: ask(
          z.enum(['user-assigned', 'cluster-managed']).default('user-assigned'),
          'Kubelet identity',
          'user-assigned: bring your own kubelet identity that can only pull from the container registry. cluster-managed: AKS creates it in the node resource group.',
        ),
        podIdentity: ask(
          z.enum(['workload-identity', 'aad-pod-identity', 'none']).default('workload-identity'),
          'Pod identity',
          "workload-identity: federated credentials on the cluster OIDC issuer, the supported way. aad-pod-identity: the article's option, deprecated and archived since 2023, kept for existing estates; not with kubenet.",
        ),
        entraId: ask(
          z.boolean().default(true),
          'Entra ID integration?',
          'Users sign in with Entra ID (kubelogin for automation); required for Azure RBAC and for group bindings.',
        ),
        adminGroupObjectIds: ask(
          z.array(guid()).default([]),
          'Cluster admin group object IDs',
          'Entra group object IDs that become cluster admins. Without one no human admin is configured and the README says how to add it.',
        ),
        authorization: ask(
          z.enum(['azure-rbac', 'kubernetes-rbac']).default('azure-rbac'),
          'Kubernetes authorization',
          'azure-rbac: grants are Azure role assignments, managed in Bicep. kubernetes-rbac: RoleBindings to Entra group object IDs, managed in Git by Flux.',
        ),
        disableLocalAccounts: ask(
          z.boolean().default(true),
          'Disable local accounts?',
          'Removes the static cluster-admin kubeconfig so every access is an audited Entra ID identity.',
        ),
      })
      .strict()
      .prefault({}),
    ingress: z
      .object({
        implementation: ask(
          z.enum(['app-routing-gateway', 'application-gateway-for-containers', 'none']).default('app-routing-gateway'),
          'Ingress',
          "How teams expose HTTP services, always through the Kubernetes Gateway API: the platform owns one Gateway, teams attach HTTPRoutes. app-routing-gateway: the application routing add-on's managed Istio Gateway API implementation (GatewayClass approuting-istio), with Key Vault certificates and Azure DNS records managed for you. application-gateway-for-containers: an Azure L7 load balancer outside the cluster (GatewayClass azure-alb-external) with a WAF policy (Prevention in production, Detection elsewhere), programmed by the ALB Controller; needs Azure CNI or Azure CNI Overlay, workload identity and a /24 ingress subnet, and its frontend is public. none: no ingress. Managed NGINX (ingress-nginx) is retired and never generated.",
        ),
        publicLoadBalancer: ask(
          z.boolean().optional(),
          'Public Gateway address?',
          'app-routing-gateway only (Application Gateway for Containers frontends are public): a public load balancer address (true) or an internal one on the ingress subnet (false). Defaults to public, and to internal when egress goes through the hub firewall, where a public address would route asymmetrically; publish it through the firewall (DNAT) or an Application Gateway instead.',
        ),
        dnsZoneResourceId: ask(
          z
            .string()
            .regex(
              /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/(dnszones|privateDnsZones)\/[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i,
              'must be an Azure DNS zone resource ID: /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/dnszones/<zone> (or privateDnsZones/<zone>)',
            )
            .optional(),
          'DNS zone resource ID',
          'Azure DNS zone (public, or private for internal Gateways) that records for team hostnames (<team>-<environment>.<zone>) go into. Without it no DNS records are managed and the README says so; it is never guessed.',
        ),
        certificateName: ask(
          z
            .string()
            .regex(/^[0-9a-zA-Z-]{1,127}$/, 'must be a Key Vault certificate name: letters, digits and hyphens')
            .optional(),
          'TLS certificate (Key Vault certificate name)',
          'Name of a wildcard certificate for *.<zone> in each environment Key Vault; the Gateway terminates HTTPS with it and picks up renewals. Without it the Gateway listens on HTTP only and the README says so.',
        ),
      })
      .strict()
      .prefault({}),
    teams: ask(
      z.array(team).prefault([{ name: 'team-a', keyVaultSecrets: ['app-config'] }]),
      'Teams',
      'Each team gets a namespace, quotas, a default-deny network policy, an Azure identity for its workloads and access for its Entra group.',
    ),
    secrets: z
      .object({
        keyVaultCsi: ask(
          z.boolean().default(true),
          'Key Vault through the Secrets Store CSI driver?',
          'Secrets stay in Key Vault and are mounted into pods by the AKS add-on; nothing secret is stored in Git or etcd unless syncing is chosen.',
        ),
        rotationPollInterval: ask(
          z
            .string()
            .regex(/^\d+[smh]$/, 'must be a duration such as 2m')
            .default('2m'),
          'Rotation poll interval',
          'How often the CSI driver re-reads Key Vault so rotated secrets reach the pods.',
        ),
      })
      .strict()
      .prefault({}),
    upgrades: z
      .object({
        autoUpgradeChannel: ask(
          z.enum(['none', 'patch', 'stable', 'rapid', 'node-image']).default('patch'),
          'Kubernetes auto-upgrade channel',
          'patch: latest patch of the chosen minor, applied in the maintenance window (recommended). stable/rapid: also minor upgrades. none: upgrades are run by the pipeline only.',
        ),
        nodeOsUpgradeChannel: ask(
          z.enum(['NodeImage', 'SecurityPatch', 'Unmanaged', 'None']).default('NodeImage'),
          'Node OS upgrade channel',
          "NodeImage: weekly node image roll-out in the maintenance window (recommended). SecurityPatch: patches without reimaging. Unmanaged: the OS patches itself and Kured reboots nodes (the article's approach). None: nothing automatic.",
        ),
        maintenanceWindow: z
          .object({
            // A working day at working hours: environments that stop outside working hours must run in the window,
            // or AKS never upgrades them; upgrades with surge and disruption budgets need no night.
            dayOfWeek: ask(
              weekday.default('Tuesday'),
              'Maintenance day',
              'Day of the weekly window for auto-upgrades and node OS updates. Environments stopped on a schedule must be running in it.',
            ),
            startTime: ask(
              time().default('09:00'),
              'Maintenance start',
              'Start of the window (HH:MM), at the maintenance UTC offset.',
            ),
            durationHours: ask(
              z.number().int().min(4).max(24).default(4),
              'Maintenance duration (hours)',
              'At least 4 hours, as AKS requires.',
            ),
            utcOffset: ask(
              z
                .string()
                .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'must be a UTC offset such as +01:00')
                .default('+00:00'),
              'Maintenance UTC offset',
              'The time zone of the maintenance start as an offset from UTC, e.g. +01:00 (AKS takes an offset, not a zone name).',
            ),
          })
          .strict()
          .prefault({}),
        maxSurge: ask(
          z
            .union([
              z.number().int().min(1),
              z
                .string()
                .regex(/^([1-9]\d?%|100%|[1-9]\d*)$/, 'must be a node count (e.g. 1) or a percentage (e.g. 33%)'),
            ])
            .transform(String)
            .default('33%'),
          'Max surge',
          'Extra nodes added while a pool upgrades: more is faster, fewer is cheaper.',
        ),
        kured: z
          .object({
            enabled: ask(
              z.boolean().optional(),
              'Deploy Kured?',
              'Kured reboots nodes that need it after OS patches, one at a time, cordoning and draining first. Defaults to on when the node OS channel is Unmanaged.',
            ),
            // Working days at working hours, as Kured's own documentation suggests: someone is around when a node does
            // not come back, and environments that stop outside working hours are running (a stopped cluster never
            // reboots). Drains respect the PodDisruptionBudgets, one node at a time.
            rebootDays: ask(
              z
                .array(weekday)
                .min(1)
                .default([...WORKDAYS]),
              'Kured reboot days',
              'Days on which Kured may reboot nodes. Environments stopped on a schedule must be running in at least one window.',
            ),
            startTime: ask(time().default('09:00'), 'Kured window start', 'Earliest local time for reboots.'),
            endTime: ask(
              time().default('15:00'),
              'Kured window end',
              'Latest local time for reboots, later the same day (the window does not cross midnight).',
            ),
            timeZone: ask(z.string().default('UTC'), 'Kured time zone', 'IANA time zone of the reboot window.'),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    observability: z
      .object({
        stack: ask(
          z.enum(['azure-monitor', 'oss']).default('azure-monitor'),
          'Observability stack',
          'azure-monitor: Container Insights in Log Analytics, one pane with the rest of Azure (best for an Azure-only platform). oss: Prometheus and Grafana deployed by Flux, and Filebeat shipping logs to an Elasticsearch you run elsewhere (not deployed here), portable across clouds.',
        ),
        managedPrometheus: ask(
          z.boolean().default(true),
          'Azure Managed Prometheus?',
          'Prometheus metrics in an Azure Monitor workspace, without running Prometheus yourself.',
        ),
        managedGrafana: ask(
          z.boolean().default(true),
          'Azure Managed Grafana?',
          'Dashboards over Managed Prometheus and Azure Monitor.',
        ),
        eventHubsStreaming: ask(
          z.boolean().default(false),
          'Stream diagnostic logs to Event Hubs?',
          'Diagnostic settings also stream to an Event Hubs namespace, where Filebeat or a SIEM consumes them.',
        ),
        elasticsearchUrl: ask(
          z
            .string()
            .regex(/^https:\/\/[^\s/]+(:\d+)?(\/[^\s]*)?$/, 'must be an https URL')
            // The pattern lets through hosts no URL parser accepts (https://#a:1); the plan reads host and port.
            .refine((url) => URL.canParse(url), 'must be an https URL such as https://logs.example.com:9243')
            .optional(),
          'Elasticsearch URL',
          'Where Filebeat ships the Event Hubs stream (oss stack). Its API key is a pipeline secret, ELASTICSEARCH_API_KEY, never an answer. Without a URL Filebeat is left out and the README says so.',
        ),
        logRetentionDays: ask(
          z.number().int().min(30).max(730).default(30),
          'Log retention (days)',
          'Log Analytics retention.',
        ),
        alertEmails: ask(
          z.array(z.email('must be an email address such as platform-oncall@contoso.com')).max(20).default([]),
          'Alert email addresses',
          'Who the action group notifies when a platform alert fires (node not ready, pod restarts, CPU or memory pressure, failed deployments, AKS upgrade events). Without an address the alert rules still fire in Azure Monitor, but nobody is notified, and the README says so.',
        ),
        smtp: z
          .object({
            smarthost: ask(
              z
                .string()
                .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$/, 'must be host:port')
                .optional(),
              'SMTP server (oss stack)',
              'host:port of the mail server Alertmanager sends the alert emails through, e.g. smtp.office365.com:587 (TLS is required). Without it the oss stack routes alerts to no receiver and the README says so.',
            ),
            from: ask(
              z.email('must be an email address such as aks-alerts@contoso.com').optional(),
              'Alert sender address',
              'The From address of the alert emails.',
            ),
            username: ask(
              z.string().min(1).max(256).optional(),
              'SMTP user name',
              'Leave out for a relay that accepts the cluster without signing in. With a user name, the password is a pipeline secret, ALERTMANAGER_SMTP_PASSWORD, written to Key Vault and mounted into Alertmanager; never an answer.',
            ),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    arc: z
      .object({
        clusters: ask(
          z.array(arcCluster).default([]),
          'Arc-enabled clusters',
          'Existing clusters outside Azure (or on Azure Local) managed through Azure Arc: each gets the Flux, monitoring, Key Vault and policy extensions and a GitOps entry point.',
        ),
      })
      .strict()
      .prefault({}),
    fleet: z
      .object({
        enabled: ask(
          z.boolean().default(false),
          'Azure Kubernetes Fleet Manager?',
          'A hubless fleet updates every AKS cluster of the platform in stages (update runs), instead of one pipeline job per cluster.',
        ),
        stages: ask(
          z.array(fleetStage).optional(),
          'Update stages',
          'Stages of the update strategy, in order. Default: one stage per environment, non-production first, an hour between stages.',
        ),
      })
      .strict()
      .prefault({}),
    delivery: z
      .object({
        githubActions: ask(
          z.boolean().default(true),
          'GitHub Actions pipelines?',
          'Workflows for validation, deployment with what-if, stop/start and upgrades.',
        ),
        azureDevOps: ask(
          z.boolean().default(false),
          'Azure DevOps pipelines?',
          'The same pipelines for Azure DevOps, with a workload-identity service connection.',
        ),
        github: z
          .object({
            owner: ask(
              z
                .string()
                .regex(new RegExp(GITHUB_OWNER_PATTERN), 'must be a GitHub user or organisation name')
                .optional(),
              'GitHub owner',
              'User or organisation that hosts this repository; Flux pulls from it. Without it the Flux configuration is left out and the README says so.',
            ),
            repo: ask(
              z
                .string()
                .regex(
                  new RegExp(GITHUB_REPO_PATTERN),
                  'must be a GitHub repository name: up to 100 letters, digits, ., _ or -, and not . or ..',
                )
                .optional(),
              'GitHub repository',
              'Repository name; defaults to <organisation>-<platform>-platform.',
            ),
            branch: ask(
              z
                .string()
                .regex(
                  new RegExp(BRANCH_PATTERN),
                  'must be a branch name git accepts (letters, digits, ., _, -, /; no "..", "//", leading "-" or ".", trailing "/", "." or ".lock")',
                )
                .default('main'),
              'Branch',
              'Branch Flux reconciles and pipelines deploy from.',
            ),
            private: ask(
              z.boolean().default(true),
              'Private repository?',
              'Flux then signs in with a read-only token from the FLUX_GIT_TOKEN pipeline secret (aks-platform publish creates private repositories by default); a public repository needs none.',
            ),
          })
          .strict()
          .prefault({}),
        azureDevOpsServiceConnection: ask(
          z
            .string()
            .regex(/^[A-Za-z0-9 ._-]{1,100}$/, 'must be a service connection name')
            .default('azure-platform'),
          'Azure DevOps service connection',
          'Name of the workload-identity federation service connection the pipelines use.',
        ),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** Answers as a user may write them: everything optional that has a default. */
export type AnswersInput = z.input<typeof answersSchema>;
/** Answers after defaults: what the plan consumes. */
export type Answers = z.output<typeof answersSchema>;
export type EnvironmentAnswers = Answers['environments'][number];
export type TeamAnswers = Answers['teams'][number];
export type ArcClusterAnswers = Answers['arc']['clusters'][number];

/** The JSON Schema of an answers file, for editors and `aks-platform schema`. */
export function answersJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(answersSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'generator-aks-platform answers',
    description:
      'Answers of generator-aks-platform, as stored in .yo-rc.json and accepted by `aks-platform new --answers`.',
  };
}
