import {
  bicepDestinationText,
  CHART_DOWNLOAD_HOSTS,
  EGRESS_CONTRACTS,
  NETWORK_CONTRACTS,
  RETIRED_TUNNEL_PORTS,
} from '../plan/egress.js';
import { arcClusters, environmentParameterFiles } from './hybrid-rules.js';
import type { Files, Finding } from './finding.js';
import { readableDocuments } from './yaml-documents.js';

// Rules that join the Bicep under infra/ with the rest of the repository. They read the Bicep as text, looking for
// the settings that decide each question (an outbound type, a route, a role ID), so hand-written Bicep that keeps
// those settings is checked the same way.

interface Hit {
  file: string;
  line: number;
  match: RegExpExecArray;
}

function bicepFiles(files: Files): [string, string][] {
  return [...files].filter(([path]) => path.startsWith('infra/') && path.endsWith('.bicep'));
}

function find(files: Files, pattern: RegExp): Hit | undefined {
  for (const [file, text] of bicepFiles(files)) {
    const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
    if (match) return { file, line: text.slice(0, match.index).split('\n').length, match };
  }
  return undefined;
}

function findAll(files: Files, pattern: RegExp): Hit[] {
  const hits: Hit[] = [];
  for (const [file, text] of bicepFiles(files)) {
    for (const match of text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))) {
      hits.push({ file, line: text.slice(0, match.index).split('\n').length, match: match as RegExpExecArray });
    }
  }
  return hits;
}

/** Outbound type userDefinedRouting ⇔ a 0.0.0.0/0 route to the firewall on the node subnet. */
function egressRoute(files: Files): Finding[] {
  const udr = find(files, /outboundType:\s*'userDefinedRouting'/);
  const route = find(files, /addressPrefix:\s*'0\.0\.0\.0\/0'\s*\n\s*nextHopType:\s*'VirtualAppliance'/);
  const onNodes = find(files, /name:\s*'snet-nodes'[\s\S]{0,600}?routeTable:\s*\{/);
  if (udr && (!route || !onNodes)) {
    return [
      {
        rule: 'egress-route',
        severity: 'error',
        file: udr.file,
        line: udr.line,
        message: `the cluster's outbound type is userDefinedRouting, but ${route ? 'the node subnet has no route table' : 'no route sends 0.0.0.0/0 to the firewall'}: nodes would have no way out`,
        fix: 'attach a route table with 0.0.0.0/0 → VirtualAppliance (the firewall IP) to snet-nodes, or use outbound type loadBalancer',
      },
    ];
  }
  if (route && !udr) {
    return [
      {
        rule: 'egress-route',
        severity: 'error',
        file: route.file,
        line: route.line,
        message:
          "0.0.0.0/0 is routed to a firewall, but the cluster's outbound type is not userDefinedRouting, so AKS would still create a public outbound path",
        fix: "set networkProfile.outboundType to 'userDefinedRouting', or remove the route",
      },
    ];
  }
  return [];
}

/**
 * Kubenet ⇒ a route table of the deployment's own on snet-nodes, with Network Contributor for the cluster identity on
 * it (nodeRouteTable in the plan; https://learn.microsoft.com/azure/aks/configure-kubenet#bring-your-own-subnet-and-route-table-with-kubenet).
 * Without it AKS attaches a table of its own, which the next deployment of the VNet detaches, and pods lose their routes.
 */
function kubenetRouteTable(files: Files): Finding[] {
  const kubenet = find(files, /networkPlugin:\s*'kubenet'/);
  if (!kubenet) return [];
  const onNodes = find(files, /name:\s*'snet-nodes'[\s\S]{0,600}?routeTable:\s*\{/);
  const grant = find(
    files,
    /scope:\s*routeTable\s*\n[\s\S]{0,400}?roleDefinitionId:\s*networkContributorRoleId[\s\S]*4d97b98b-1d4f-4787-a291-c67834d212e7|4d97b98b-1d4f-4787-a291-c67834d212e7[\s\S]*scope:\s*routeTable\s*\n[\s\S]{0,400}?roleDefinitionId:\s*networkContributorRoleId/,
  );
  const missing = [
    onNodes ? '' : 'no route table on snet-nodes',
    grant ? '' : 'no Network Contributor role assignment for the cluster identity on that route table',
  ].filter(Boolean);
  if (missing.length === 0) return [];
  return [
    {
      rule: 'kubenet-route-table',
      severity: 'error',
      file: kubenet.file,
      line: kubenet.line,
      message: `the cluster uses kubenet, but the Bicep has ${missing.join(' and ')}: AKS would attach a route table of its own, which the next VNet deployment detaches, and pods lose their routes`,
      fix: 'declare a route table in the network module, attach it to snet-nodes and grant the cluster identity Network Contributor on it (before the cluster)',
    },
  ];
}

/** A private API server ⇔ its private DNS zone and the Private DNS Zone Contributor role AKS needs on it. */
function privateClusterDns(files: Files): Finding[] {
  const isPrivate = find(files, /enablePrivateCluster:\s*true/);
  if (!isPrivate || find(files, /privateDNSZone:\s*'(system|none)'/)) return [];
  const zone = find(files, /privatelink\.[^'\s]*azmk8s\.io|'privatelink\.\$\{[^}]+\}\.azmk8s\.io'/);
  const role = find(files, /b12aa53e-6015-4669-85d0-8515ebb3ae7f/);
  const missing = [
    zone ? '' : 'a privatelink.<region>.azmk8s.io zone',
    role ? '' : 'the Private DNS Zone Contributor role (b12aa53e-…) for the cluster identity',
  ].filter(Boolean);
  if (missing.length === 0) return [];
  return [
    {
      rule: 'private-cluster-dns',
      severity: 'error',
      file: isPrivate.file,
      line: isPrivate.line,
      message: `the API server is private with a custom DNS zone, but the Bicep has no ${missing.join(' and no ')}`,
      fix: "deploy the zone and grant the cluster identity Private DNS Zone Contributor on it, or set privateDNSZone: 'system'",
    },
  ];
}

/** The Flux configuration's cluster path exists for every environment. */
function fluxConfigPaths(files: Files): Finding[] {
  const environments = environmentParameterFiles(files).map((env) => env.environment);
  const arc = arcClusters(files).map((c) => c.name.value);
  const findings: Finding[] = [];
  for (const hit of findAll(files, /'\.\/(clusters\/[^']*)'/)) {
    const template = hit.match[1]!;
    const paths = template.includes('${environmentName}')
      ? environments.map((env) => template.replace('${environmentName}', env))
      : template.includes('${arc.name}')
        ? arc.map((name) => template.replace('${arc.name}', name))
        : [template];
    for (const path of paths) {
      if (path.includes('${')) continue;
      if (![...files.keys()].some((f) => f.startsWith(`${path.replace(/\/$/, '')}/`))) {
        findings.push({
          rule: 'flux-config-path',
          severity: 'error',
          file: hit.file,
          line: hit.line,
          message: `the Flux configuration points at ./${path}, which is not a folder of this repository`,
          fix: `add ${path}/ with the environment's Flux entry points, or correct the path`,
        });
      }
    }
  }
  return findings;
}

/** Kured ⇔ the Unmanaged node OS channel: otherwise nodes reboot twice, or never. */
function kuredChannel(files: Files): Finding[] {
  const channel = find(files, /nodeOSUpgradeChannel:\s*'(\w+)'/);
  if (!channel) return [];
  let kured: { file: string; line: number } | undefined;
  for (const [file, text] of files) {
    // Kured under node-reboots serves only the clusters without an AKS node OS channel (Arc-enabled ones).
    if (!/^infrastructure\/.*\.ya?ml$/.test(file) || file.startsWith('infrastructure/node-reboots/')) continue;
    for (const doc of readableDocuments(text)) {
      const value = doc.toJS() as { kind?: string; spec?: { chart?: { spec?: { chart?: string } } } } | null;
      if (value?.kind === 'HelmRelease' && value.spec?.chart?.spec?.chart === 'kured') kured = { file, line: 1 };
    }
  }
  const value = channel.match[1];
  if (kured && value !== 'Unmanaged') {
    return [
      {
        rule: 'kured-channel',
        severity: 'warning',
        file: kured.file,
        line: kured.line,
        message: `Kured reboots nodes, but the node OS channel is ${value} (${channel.file}:${channel.line}), which already replaces or reboots them`,
        fix: "remove Kured, or set nodeOSUpgradeChannel to 'Unmanaged'",
      },
    ];
  }
  if (!kured && value === 'Unmanaged') {
    return [
      {
        rule: 'kured-channel',
        severity: 'warning',
        file: channel.file,
        line: channel.line,
        message: 'the node OS channel is Unmanaged: nodes install patches but nothing reboots them',
        fix: 'deploy Kured (infrastructure/controllers/kured), or use the NodeImage channel',
      },
    ];
  }
  return [];
}

/**
 * Each feature the cluster enables has its FQDNs (EGRESS_CONTRACTS) and network destinations (NETWORK_CONTRACTS)
 * allowed by the hub firewall this repository deploys.
 */
function addonFqdns(files: Files): Finding[] {
  if (!find(files, /fqdnTags:\s*\[\s*'AzureKubernetesService'/)) return [];
  const firewallText = bicepFiles(files)
    .map(([, text]) => text)
    .join('\n');
  const needs = [
    ...EGRESS_CONTRACTS.map((row) => ({ ...row.inBicep, destinations: row.fqdns })),
    ...NETWORK_CONTRACTS.flatMap((row) => (row.inBicep ? [{ ...row.inBicep, destinations: row.destinations }] : [])),
    // Filebeat's AMQP goes to the namespace's private endpoint in the spoke; only its image comes through the firewall.
    {
      pattern: /Microsoft\.EventHub\/namespaces\/eventhubs\/consumergroups@/,
      feature: 'Filebeat (Event Hubs consumer)',
      destinations: ['docker.elastic.co'],
    },
  ];
  const findings: Finding[] = [];
  // Extensions of Arc-enabled clusters run outside Azure and never pass the hub firewall.
  const behindHub = (hit: Hit) => !/'Microsoft\.Kubernetes\/connectedClusters@/.test(files.get(hit.file) ?? '');
  for (const need of needs) {
    const enabled = findAll(files, need.pattern).find(behindHub);
    if (!enabled) continue;
    const missing = need.destinations.filter((d) => !firewallText.includes(`'${bicepDestinationText(d)}'`));
    if (missing.length > 0) {
      findings.push({
        rule: 'addon-fqdns',
        severity: 'error',
        file: enabled.file,
        line: enabled.line,
        message: `${need.feature} is enabled, but the hub firewall does not allow ${missing.join(', ')}`,
        fix: `add ${missing.join(', ')} to a rule of the hub firewall policy (${'{location}'} is the region), or disable the feature`,
      });
    }
  }
  return findings;
}

/** The folders the AKS clusters' Flux entry points (clusters/<environment>/) apply. */
function aksLayerPaths(files: Files): string[] {
  const environments = environmentParameterFiles(files).map((env) => env.environment);
  return [...files]
    .filter(([file]) => environments.some((env) => file.startsWith(`clusters/${env}/`)))
    .flatMap(([, text]) => [...text.matchAll(/^\s+path:\s*\.\/(\S+?)\/?$/gm)].map((m) => m[1] as string));
}

/**
 * Every Helm repository the AKS clusters' Flux reads, behind the hub firewall this repository deploys, is reachable:
 * the host of its index and the hosts its chart downloads redirect to (CHART_DOWNLOAD_HOSTS; an OCI repository or
 * one not in the table, its own host) are in a rule of the firewall policy. Otherwise the HelmRepository never
 * becomes Ready and its HelmRelease never installs, with nothing wrong in any one file.
 */
function chartEgress(files: Files): Finding[] {
  const hub = find(files, /fqdnTags:\s*\[\s*'AzureKubernetesService'/);
  const flux = findAll(files, /'Microsoft\.KubernetesConfiguration\/fluxConfigurations@/).some(
    (hit) => !/'Microsoft\.Kubernetes\/connectedClusters@/.test(files.get(hit.file) ?? ''),
  );
  if (!hub || !flux) return [];
  const firewallText = files.get(hub.file) ?? '';
  const layers = aksLayerPaths(files);
  const findings: Finding[] = [];
  for (const [file, text] of files) {
    if (!/\.ya?ml$/.test(file) || !layers.some((layer) => file.startsWith(`${layer}/`))) continue;
    for (const doc of readableDocuments(text)) {
      const value = doc.toJS() as { kind?: string; metadata?: { name?: string }; spec?: { url?: string } } | null;
      const url = value?.kind === 'HelmRepository' ? value.spec?.url : undefined;
      if (!url || !URL.canParse(url)) continue;
      const hosts = CHART_DOWNLOAD_HOSTS[url.replace(/\/$/, '')] ?? [new URL(url).hostname];
      const missing = hosts.filter((host) => !firewallText.includes(`'${host}'`));
      if (missing.length === 0) continue;
      findings.push({
        rule: 'chart-egress',
        severity: 'error',
        file,
        line: text.slice(0, text.indexOf(`url: ${url}`)).split('\n').length,
        message: `HelmRepository ${value?.metadata?.name ?? ''} is read through the hub firewall (${hub.file}), which does not allow ${missing.join(', ')}: the chart never downloads`,
        fix: `add ${missing.join(', ')} to the gitops application rule of the hub firewall policy, or serve the chart from an allowed registry`,
      });
    }
  }
  return findings;
}

/**
 * No firewall rule opens the ports of the retired node-to-control-plane tunnel (UDP 1194, TCP 9000): konnectivity
 * runs over HTTPS in the AzureKubernetesService tag, so such a rule only widens egress past FQDN filtering.
 */
function tunnelPorts(files: Files): Finding[] {
  const findings: Finding[] = [];
  for (const hit of findAll(files, /destinationPorts:\s*\[([^\]]*)\]/)) {
    const ports = [...hit.match[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    const retired = ports.filter((port) => (RETIRED_TUNNEL_PORTS as readonly string[]).includes(port));
    if (retired.length === 0) continue;
    findings.push({
      rule: 'firewall-tunnel-ports',
      severity: 'error',
      file: hit.file,
      line: hit.line,
      message: `a network rule opens port ${retired.join(' and ')}, the retired AKS tunnel: clusters reach the control plane through konnectivity over HTTPS`,
      fix: `remove ${retired.join(', ')} from the rule; a public cluster needs only TCP 443 to AzureCloud.<region>, a private one nothing`,
    });
  }
  return findings;
}

const KEY_VAULT_SECRETS_USER = '4633458b-17de-408a-b874-0445c86b69e6';

/** Each workload identity: ServiceAccount annotation ⇔ a client ID Flux receives ⇔ a federated credential ⇔ Key Vault access. */
function workloadIdentity(files: Files): Finding[] {
  const bicep = bicepFiles(files)
    .map(([, text]) => text)
    .join('\n');
  if (bicep === '') return [];
  const findings: Finding[] = [];
  const secretProviderNamespaces = new Set<string>();
  const accounts: { file: string; line: number; namespace: string; name: string; variable: string }[] = [];
  for (const [file, text] of files) {
    if (!/^(apps|infrastructure)\/.*\.ya?ml$/.test(file)) continue;
    for (const doc of readableDocuments(text)) {
      const value = doc.toJS() as {
        kind?: string;
        metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
      } | null;
      if (value?.kind === 'SecretProviderClass' && value.metadata?.namespace)
        secretProviderNamespaces.add(value.metadata.namespace);
      const clientId =
        value?.kind === 'ServiceAccount'
          ? value.metadata?.annotations?.['azure.workload.identity/client-id']
          : undefined;
      const variable = clientId && /^\$\{([A-Z0-9_]+)\}$/.exec(clientId)?.[1];
      if (!variable || !value?.metadata?.name || !value.metadata.namespace) continue;
      const index = text.indexOf('azure.workload.identity/client-id');
      accounts.push({
        file,
        line: text.slice(0, index).split('\n').length,
        namespace: value.metadata.namespace,
        name: value.metadata.name,
        variable,
      });
    }
  }
  for (const account of accounts) {
    const where = { rule: 'workload-identity', severity: 'error' as const, file: account.file, line: account.line };
    if (!new RegExp(`\\b${account.variable}:`).test(bicep)) {
      findings.push({
        ...where,
        message: `service account ${account.namespace}/${account.name} takes its client ID from \${${account.variable}}, which the Flux configuration in infra/ never passes`,
        fix: `pass ${account.variable} (the identity's client ID) in the Flux configuration's postBuild.substitute`,
      });
    }
    const federated =
      bicep.includes(`system:serviceaccount:${account.namespace}:${account.name}`) ||
      new RegExp(`namespace:\\s*'${account.namespace}'\\s*\\n\\s*serviceAccount:\\s*'${account.name}'`).test(bicep);
    if (!federated) {
      findings.push({
        ...where,
        message: `no federated credential in infra/ trusts service account ${account.namespace}/${account.name}, so its token exchange would fail`,
        fix: `add a federated identity credential with subject system:serviceaccount:${account.namespace}:${account.name}`,
      });
    }
    if (secretProviderNamespaces.has(account.namespace) && !bicep.includes(KEY_VAULT_SECRETS_USER)) {
      findings.push({
        ...where,
        message: `${account.namespace} mounts Key Vault secrets, but no identity in infra/ is granted Key Vault Secrets User`,
        fix: 'grant the team identity Key Vault Secrets User on the vault',
      });
    }
  }
  return findings;
}

/**
 * The secrets the deployment writes itself, by the pair of Flux variables a SecretProviderClass reads them with: a
 * module that writes Microsoft.KeyVault/vaults/secrets into an existing vault (its `name` is one of its parameters) and
 * is handed an identity's principal ID (the reader it grants) is called from an entry point with the vault parameter
 * set to a Flux substitution, and that identity's client ID is another. A vault can hold secrets people write as well
 * (the environment vault keeps Grafana's login next to the team secrets), so only a SecretProviderClass that signs in
 * as the reader the deployment grants is held to what the deployment writes. Read from the Bicep: no vault, module or
 * identity is recognised by its name.
 */
export function deploymentWrittenSecretSets(files: Files): Map<string, { module: string; secrets: Set<string> }> {
  const sets = new Map<string, { module: string; secrets: Set<string> }>();
  for (const [, main] of bicepFiles(files)) {
    const substitutions = /^var fluxSubstitutions = \{\n([\s\S]*?)^\}/m.exec(main)?.[1] ?? '';
    const variables = [...substitutions.matchAll(/^ {2}(\w+): (.+)$/gm)];
    const clientIdVariables = (identity: string) =>
      variables.filter(([, , expression]) => expression === `${identity}.outputs.clientId`).map(([, v]) => v);
    for (const call of main.matchAll(/^module \w+ '(modules\/[\w-]+\.bicep)' = \{\n([\s\S]*?)^\}/gm)) {
      const module = `infra/${call[1]}`;
      const text = files.get(module);
      // Only a module that declares secrets fills its vault; one that reads an existing secret (to grant it) does not.
      if (!text || !/^resource \w+ 'Microsoft\.KeyVault\/vaults\/secrets@[^']+' = /m.test(text)) continue;
      const vaultParam = /^resource \w+ 'Microsoft\.KeyVault\/vaults@[^']+' existing = \{\n\s+name: (\w+)$/m.exec(
        text,
      )?.[1];
      const value = vaultParam && new RegExp(`^\\s+${vaultParam}: (.+)$`, 'm').exec(call[2] ?? '')?.[1];
      if (!value) continue;
      const readers = [...(call[2] ?? '').matchAll(/^\s+\w+: (\w+)\.outputs\.principalId$/gm)].flatMap((m) =>
        clientIdVariables(m[1] as string),
      );
      const written = new Set<string>();
      for (const block of text
        .split(/^resource /m)
        .filter((b) => /^\w+ 'Microsoft\.KeyVault\/vaults\/secrets@/.test(b) && !/^\w+ '[^']+' existing/.test(b))) {
        // A literal name, or a parameter the entry point sets to one (a module that writes any one secret).
        const literal = /^\s+name:\s*'([^']+)'/m.exec(block)?.[1];
        const param = /^\s+name:\s*(\w+)$/m.exec(block)?.[1];
        const name = literal ?? (param && new RegExp(`^\\s+${param}: '([^']+)'$`, 'm').exec(call[2] ?? '')?.[1]);
        if (name) written.add(name);
      }
      for (const [, vault, expression] of variables) {
        if (expression !== value || !vault) continue;
        for (const reader of readers) {
          const key = `${vault}/${reader}`;
          const known = sets.get(key);
          if (known) for (const name of written) known.secrets.add(name);
          else sets.set(key, { module, secrets: new Set(written) });
        }
      }
    }
  }
  return sets;
}

/** The Flux variables a SecretProviderClass names its vault and identity with, and the key of that pair. */
export function secretProviderKey(value: unknown): { variable?: string; reader?: string; key?: string } {
  const parameters = (value as { spec?: { parameters?: { keyvaultName?: unknown; clientID?: unknown } } } | null)?.spec
    ?.parameters;
  const variable = /^\$\{(\w+)\}$/.exec(String(parameters?.keyvaultName ?? ''))?.[1];
  const reader = /^\$\{(\w+)\}$/.exec(String(parameters?.clientID ?? ''))?.[1];
  return { variable, reader, key: variable && reader ? `${variable}/${reader}` : undefined };
}

/**
 * A SecretProviderClass that mounts what the deployment writes (Filebeat's credentials, Grafana's login) mounts only
 * secrets the Bicep writes: a name out of step on either side leaves the pod in ContainerCreating.
 */
function deploymentWrittenSecrets(files: Files): Finding[] {
  const sets = deploymentWrittenSecretSets(files);
  const findings: Finding[] = [];
  for (const [file, text] of files) {
    if (!/^(apps|infrastructure)\/.*\.ya?ml$/.test(file)) continue;
    for (const doc of readableDocuments(text)) {
      const value = doc.toJS() as {
        kind?: string;
        metadata?: { name?: string };
        spec?: { parameters?: { keyvaultName?: string; clientID?: string; objects?: string } };
      } | null;
      if (value?.kind !== 'SecretProviderClass') continue;
      const { variable, reader, key } = secretProviderKey(value);
      const written = key ? sets.get(key) : undefined;
      if (!written) continue;
      for (const match of String(value.spec?.parameters?.objects ?? '').matchAll(/objectName:\s*([\w-]+)/g)) {
        const object = match[1] as string;
        if (written.secrets.has(object)) continue;
        const line = text.slice(0, text.indexOf(`objectName: ${object}`)).split('\n').length;
        findings.push({
          rule: 'deployment-secrets',
          severity: 'error',
          file,
          line,
          message: `SecretProviderClass ${value.metadata?.name ?? ''} mounts ${object} from the vault \${${variable}} as the identity \${${reader}} that ${written.module} writes secrets for, but no module writes a secret of that name there`,
          fix: `name the Key Vault secret ${object} in ${written.module}, or mount the name it writes`,
        });
      }
    }
  }
  return findings;
}

/**
 * An Event Hubs namespace without public access that diagnostic settings stream to ⇔ trusted Microsoft services
 * allowed (Azure Monitor streams in as one) and a private endpoint for its consumers. Either missing, the stream or its
 * reader stops at deployment with no error in the repository.
 * https://learn.microsoft.com/azure/event-hubs/network-security#trusted-microsoft-services
 * https://learn.microsoft.com/azure/event-hubs/private-link-service
 */
function eventHubsPrivate(files: Files): Finding[] {
  const closed = find(
    files,
    /^resource \w+ 'Microsoft\.EventHub\/namespaces@[^']+' = \{[\s\S]*?publicNetworkAccess:\s*'Disabled'/m,
  );
  if (!closed) return [];
  const at = { file: closed.file, line: closed.line + closed.match[0].split('\n').length - 1 };
  const findings: Finding[] = [];
  const streamed = find(files, /eventHubAuthorizationRuleId:\s*eventHubAuthorizationRuleId/);
  if (streamed && !find(files, /trustedServiceAccessEnabled:\s*true/)) {
    findings.push({
      rule: 'event-hubs-private',
      severity: 'error',
      ...at,
      message: `the Event Hubs namespace has no public access and ${streamed.file} streams diagnostic settings to it, but trusted Microsoft services are not allowed: Azure Monitor could not deliver the stream`,
      fix: "set trustedServiceAccessEnabled: true in the namespace's networkRuleSets, or keep the namespace public",
    });
  }
  if (!find(files, /privateLinkServiceId:\s*namespace\.id\s*\n\s*groupIds:\s*\[\s*\n\s*'namespace'/)) {
    findings.push({
      rule: 'event-hubs-private',
      severity: 'error',
      ...at,
      message: 'the Event Hubs namespace has no public access and no private endpoint: nothing can read the stream',
      fix: "add a private endpoint with groupIds ['namespace'] in the private endpoint subnet, or keep the namespace public",
    });
  }
  return findings;
}

export function checkBicepConsistency(files: Files): Finding[] {
  return [
    ...egressRoute(files),
    ...kubenetRouteTable(files),
    ...privateClusterDns(files),
    ...fluxConfigPaths(files),
    ...kuredChannel(files),
    ...addonFqdns(files),
    ...chartEgress(files),
    ...tunnelPorts(files),
    ...workloadIdentity(files),
    ...deploymentWrittenSecrets(files),
    ...eventHubsPrivate(files),
  ];
}
