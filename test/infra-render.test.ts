import { describe, expect, it } from 'vitest';
import { composeAnswers } from '../src/answers/load.js';
import { generatePlatform } from '../src/generate.js';
import { fluxVariables, planDeployments } from '../src/plan/contracts.js';
import { PIPELINE_SECRETS, pipelineSecretNames } from '../src/plan/contracts.js';
import { GRAFANA_ADMIN } from '../src/plan/grafana.js';
import {
  FIREWALL_LOG_CATEGORIES,
  IMAGE_REGISTRY_HOSTS,
  firewallApplicationRules,
  firewallNetworkRules,
  registryOf,
} from '../src/plan/infra.js';
import { bicepLiteral, expr } from '../src/render/infra/bicep.js';
import { AZURE_API_VERSIONS, EXAMPLE_IMAGE, FILEBEAT_IMAGE, HELM_CHART_IMAGE_REGISTRIES } from '../src/versions.js';
import { completeSets } from './support/presets.js';

// Fast checks of the infra/ output without the Bicep CLI: structure, style and the contracts with other areas.

function generate(preset: string | undefined, sets: string[] = []) {
  return generatePlatform(composeAnswers({ preset, sets: completeSets(preset, sets) }), preset);
}

const infraFiles = (files: Map<string, string>) =>
  [...files].filter(([path]) => path.startsWith('infra/') && !path.startsWith('infra/bootstrap/'));
const bicepFiles = (files: Map<string, string>) => infraFiles(files).filter(([path]) => path.endsWith('.bicep'));

describe('infra output', () => {
  it('hands Flux only the identities a manifest uses: Grafana gets one with workload identity, not with AAD pod identity', () => {
    const OSS = [
      'observability.stack=oss',
      'observability.managedPrometheus=false',
      'observability.managedGrafana=false',
    ];
    const scenarios: [string[], boolean][] = [
      [[...OSS, 'identity.podIdentity=workload-identity'], true],
      [[...OSS, 'identity.podIdentity=aad-pod-identity'], false],
      [[...OSS, 'identity.podIdentity=none', 'teams.0.keyVaultSecrets=[]'], false],
      [['identity.podIdentity=aad-pod-identity'], false],
    ];
    for (const [sets, grafana] of scenarios) {
      const { plan, files } = generate('multicloud', ['delivery.github.owner=contoso', ...sets]);
      const main = files.get('infra/main.bicep')!;
      const manifests = [...files]
        .filter(([path]) => /^(clusters|infrastructure|apps)\/.*\.yaml$/.test(path))
        .map(([, content]) => content)
        .join('\n');
      // Every client ID main.bicep substitutes into the manifests is read by one of them.
      for (const [, name] of main.matchAll(/^ {2}(\w+_CLIENT_ID): /gm))
        expect(manifests, `${sets.join(' ')}: ${name} is substituted but unused`).toContain(`\${${name}}`);
      expect(main.includes('module grafanaIdentity'), sets.join(' ')).toBe(grafana);
      expect(manifests.includes('grafana-azure-monitor-datasource'), sets.join(' ')).toBe(grafana);
      expect(plan.components.grafanaAzureMonitor).toBe(grafana);
    }
  });

  it('emits one parameter file per deployment, each starting with using', () => {
    const { plan, files } = generate('enterprise', ['delivery.github.owner=contoso']);
    for (const deployment of planDeployments(plan)) {
      expect(files.has(deployment.template), deployment.template).toBe(true);
      const params = files.get(deployment.parameters);
      expect(params, deployment.parameters).toBeDefined();
      expect(params!.split('\n')[0]).toBe(`using '${deployment.template.replace('infra/', '')}'`);
    }
    expect(files.has('infra/hub.bicep')).toBe(true);
    expect(generate(undefined).files.has('infra/hub.bicep')).toBe(false);
  });

  it('takes every API version from AZURE_API_VERSIONS', () => {
    const { files } = generate('enterprise', [
      'delivery.github.owner=contoso',
      'observability.eventHubsStreaming=true',
    ]);
    const pinned = AZURE_API_VERSIONS as Record<string, string>;
    const seen = new Set<string>();
    for (const [path, content] of bicepFiles(files)) {
      for (const [, type, version] of content.matchAll(/'([A-Za-z.]+\/[A-Za-z/]+)@([0-9a-z-]+)'/g)) {
        seen.add(type!);
        // Child types (virtualNetworks/subnets) use their parent's pinned version.
        const owner = Object.keys(pinned)
          .filter((key) => type === key || type!.startsWith(`${key}/`))
          .sort((a, b) => b.length - a.length)[0];
        expect(owner, `${path}: ${type}`).toBeDefined();
        expect(version, `${path}: ${type}`).toBe(pinned[owner!]);
      }
    }
    expect(seen.has('Microsoft.ContainerService/managedClusters')).toBe(true);
  });

  it('follows the Bicep style: banners in order, a description on every parameter, a why-comment above every resource', () => {
    const order = ['PARAMETERS', 'VARIABLES', 'EXISTING RESOURCES', 'RESOURCES', 'OUTPUTS'];
    for (const [preset, sets] of [
      ['enterprise', ['delivery.github.owner=contoso']],
      ['multicloud', []],
    ] as const) {
      for (const [path, content] of bicepFiles(generate(preset, [...sets]).files)) {
        const banners = [...content.matchAll(/^\/\*\*\* ([A-Z ]+) \*\*\*\/$/gm)].map((m) => m[1]!);
        expect(banners.length, path).toBeGreaterThan(0);
        expect(banners, path).toEqual(order.filter((b) => banners.includes(b)));
        const lines = content.split('\n');
        lines.forEach((line, i) => {
          if (/^param /.test(line)) {
            // Parameters are separated by blank lines; the decorators above one must include a description.
            const start = lines.slice(0, i).lastIndexOf('') + 1;
            expect(lines.slice(start, i).join('\n'), `${path}:${i + 1} ${line}`).toMatch(/^@description\('/);
          }
          if (/^(resource|module) \w+ '[^']+' = /.test(line)) {
            expect(lines[i - 1], `${path}:${i + 1} ${line}`).toMatch(/^\/\/ \S/);
          }
        });
      }
    }
  });

  it('leaves the Flux configuration out without a GitHub owner, and says so', () => {
    const without = generate(undefined);
    expect(without.files.has('infra/modules/flux.bicep')).toBe(false);
    expect(without.files.get('infra/main.bicep')).not.toContain('fluxConfigurations');
    expect(without.files.get('infra/README.md')).toContain('--set delivery.github.owner=<owner>');
    const withOwner = generate(undefined, ['delivery.github.owner=contoso']);
    expect(withOwner.files.get('infra/main.bicep')).toContain(
      "gitRepositoryUrl: 'https://github.com/contoso/contoso-core-platform'",
    );
    for (const variable of fluxVariables(withOwner.plan))
      expect(withOwner.files.get('infra/README.md')).toContain(`\${${variable.name}}`);
  });

  it('lets the hub firewall reach exactly the AKS FQDN tag plus the add-ons in use', () => {
    const { plan, files } = generate('enterprise', ['delivery.github.owner=contoso']);
    const hub = files.get('infra/modules/hub-network.bicep')!;
    expect(hub).toContain("'AzureKubernetesService'");
    expect(hub).toContain("'github.com'");
    expect(hub).toContain("'data.policy.${environment().suffixes.storage}'");
    expect(firewallApplicationRules(plan).map((r) => r.name)).toEqual([
      'azure-monitor',
      'defender',
      'azure-policy',
      'key-vault',
      'container-registry',
      'cluster-extensions',
      'gitops',
      'images-example-workload',
    ]);
    // The Flux extension's data plane endpoint (first row of the outbound rules doc's Cluster extensions table).
    expect(hub).toContain("'${location}.dp.kubernetesconfiguration.azure.com'");
    const lean = generate('enterprise', [
      'cluster.azurePolicy=false',
      'cluster.defender=false',
      'observability.stack=oss',
      'observability.managedPrometheus=false',
      'observability.managedGrafana=false',
      'teams=[]',
    ]);
    expect(firewallApplicationRules(lean.plan).map((r) => r.name)).toEqual([
      'key-vault',
      'container-registry',
      'images-kube-prometheus-stack',
    ]);
    expect(lean.files.get('infra/modules/hub-network.bicep')).not.toContain('github.com');
  });

  it('allows the image registries of Kured (ghcr.io and its blob CDN) only when Kured is deployed', () => {
    const rule = (sets: string[]) =>
      firewallApplicationRules(generate('enterprise', sets).plan).find((r) => r.name === 'images-kured');
    const withKured = generate('enterprise', ['upgrades.nodeOsUpgradeChannel=Unmanaged']);
    expect(withKured.plan.components.kured).toBe(true);
    expect(rule(['upgrades.nodeOsUpgradeChannel=Unmanaged'])?.fqdns).toEqual([
      'ghcr.io',
      'pkg-containers.githubusercontent.com',
    ]);
    expect(withKured.files.get('infra/modules/hub-network.bicep')).toMatch(
      /name: 'images-kured'[\s\S]*?targetFqdns: \[\n\s+'ghcr\.io'\n\s+'pkg-containers\.githubusercontent\.com'\n/,
    );
    expect(rule(['upgrades.nodeOsUpgradeChannel=Unmanaged', 'upgrades.kured.enabled=false'])).toBeUndefined();
    expect(rule([])).toBeUndefined();
    expect(generate('enterprise').files.get('infra/modules/hub-network.bicep')).not.toContain('ghcr.io');
  });

  it('allows quay.io, registry.k8s.io and Docker Hub, with their CDNs, only for the Flux-installed Prometheus stack', () => {
    const rules = firewallApplicationRules(
      generate('enterprise', [
        'observability.stack=oss',
        'observability.managedPrometheus=false',
        'observability.managedGrafana=false',
      ]).plan,
    );
    const stack = rules.find((r) => r.name === 'images-kube-prometheus-stack')!;
    for (const host of [
      'quay.io',
      'cdn01.quay.io',
      'registry.k8s.io',
      '*.pkg.dev',
      'registry-1.docker.io',
      'auth.docker.io',
      'production.cloudflare.docker.com',
    ])
      expect(stack.fqdns).toContain(host);
    expect(new Set(stack.fqdns).size).toBe(stack.fqdns.length);
    expect(
      firewallApplicationRules(generate('enterprise').plan).some((r) => r.name === 'images-kube-prometheus-stack'),
    ).toBe(false);
  });

  it('adds no image rule where the AzureKubernetesService tag already allows the registry (MCR), nor for absent teams', () => {
    const podIdentity = generate('enterprise', ['identity.podIdentity=aad-pod-identity']).plan;
    expect(podIdentity.components.aadPodIdentity).toBe(true);
    expect(
      firewallApplicationRules(podIdentity)
        .map((r) => r.name)
        .filter((n) => n.startsWith('images-')),
    ).toEqual(['images-example-workload']);
    expect(
      firewallApplicationRules(generate('enterprise', ['teams=[]']).plan).some((r) => r.name.startsWith('images-')),
    ).toBe(false);
  });

  it('every image the GitOps manifests pull is allowed by exactly the image rules of what is deployed', () => {
    const scenarios: [string | undefined, string[]][] = [
      ['enterprise', ['delivery.github.owner=contoso']],
      [
        'enterprise',
        [
          'delivery.github.owner=contoso',
          'network.hub.mode=create',
          'observability.stack=oss',
          'observability.managedPrometheus=false',
          'observability.managedGrafana=false',
          'upgrades.nodeOsUpgradeChannel=Unmanaged',
          'identity.podIdentity=aad-pod-identity',
        ],
      ],
      ['starter', ['network.hub.mode=create', 'network.egress=firewall', 'delivery.github.owner=contoso']],
      ['multicloud', ['network.hub.mode=create', 'network.egress=firewall']],
      [
        'multicloud',
        [
          'network.hub.mode=create',
          'network.egress=firewall',
          'observability.elasticsearchUrl=https://logs.example.com:9243',
        ],
      ],
    ];
    for (const [preset, sets] of scenarios) {
      const { plan, files } = generate(preset, sets);
      const rules = firewallApplicationRules(plan);
      const allowed = new Set(rules.flatMap((r) => r.fqdns));
      const charts = [...files]
        .filter(([path]) => path.endsWith('/release.yaml'))
        .map(([, content]) => /^\s+chart: (\S+)$/m.exec(content)![1]!) as (keyof typeof HELM_CHART_IMAGE_REGISTRIES)[];
      const images = [...files.values()].flatMap((content) =>
        [...content.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]!),
      );
      const registries = [...charts.flatMap((chart) => HELM_CHART_IMAGE_REGISTRIES[chart]), ...images.map(registryOf)];
      expect(registries.length, `${preset} ${sets.join(' ')}`).toBeGreaterThan(0);
      for (const registry of registries) {
        for (const host of IMAGE_REGISTRY_HOSTS[registry]!)
          expect(allowed.has(host), `${preset} ${sets.join(' ')}: ${registry} -> ${host}`).toBe(true);
      }
      // Every chart repository a HelmRepository names is allowed, and the gitops rule allows no other.
      const repositories = [...files.values()]
        .flatMap((content) => [...content.matchAll(/^\s+url: https:\/\/([^/\s]+)/gm)].map((m) => m[1]!))
        .filter((host) => host !== 'github.com');
      const gitops = rules.find((r) => r.name === 'gitops');
      if (gitops) {
        for (const host of repositories)
          expect(gitops.fqdns, `${preset} ${sets.join(' ')}: chart repository ${host}`).toContain(host);
        const chartHosts = gitops.fqdns.filter((f) => f.endsWith('github.io') || f.includes('githubusercontent'));
        // The index hosts, plus GitHub's release asset host where the archives are release assets.
        const releaseAssets = repositories.some((host) => host.endsWith('github.io'))
          ? ['release-assets.githubusercontent.com']
          : [];
        expect(chartHosts.sort(), `${preset} ${sets.join(' ')}: chart hosts`).toEqual(
          [...new Set([...repositories, ...releaseAssets])].sort(),
        );
      }
      const deployed = new Set([
        ...charts,
        ...(images.includes(EXAMPLE_IMAGE) ? ['example-workload'] : []),
        ...(images.includes(FILEBEAT_IMAGE) ? ['filebeat'] : []),
      ]);
      for (const rule of rules.filter((r) => r.name.startsWith('images-')))
        expect(deployed.has(rule.name.replace(/^images-/, '')), `${preset}: ${rule.name}`).toBe(true);
    }
  });

  it('Filebeat: no firewall path to Event Hubs (private endpoint), Elasticsearch on its own port, its image registry; none without it', () => {
    const sets = ['network.hub.mode=create', 'network.egress=firewall'];
    const withFilebeat = generate('multicloud', [
      ...sets,
      'observability.elasticsearchUrl=https://logs.example.com:9243',
    ]);
    expect(withFilebeat.plan.components.filebeat).toBe(true);
    // Filebeat reads the namespace through its private endpoint in the spoke: the firewall has no Event Hubs rule (and
    // a private cluster no network rule at all).
    expect(withFilebeat.plan.components.privateCluster).toBe(true);
    expect(firewallNetworkRules(withFilebeat.plan)).toEqual([]);
    const hub = withFilebeat.files.get('infra/modules/hub-network.bicep')!;
    expect(hub).not.toMatch(/EventHub\./);
    expect(withFilebeat.files.get('infra/modules/event-hubs.bicep')).toMatch(
      /publicNetworkAccess: 'Disabled'[\s\S]*trustedServiceAccessEnabled: true[\s\S]*groupIds: \[\n\s+'namespace'/,
    );
    expect(hub).toMatch(/name: 'elasticsearch'[\s\S]*?port: 9243[\s\S]*?targetFqdns: \[\n\s+'logs\.example\.com'\n/);
    expect(firewallApplicationRules(withFilebeat.plan).find((r) => r.name === 'images-filebeat')?.fqdns).toEqual(
      IMAGE_REGISTRY_HOSTS['docker.elastic.co'],
    );
    // An Elasticsearch URL without a port is HTTPS on 443.
    const defaultPort = generate('multicloud', [
      ...sets,
      'observability.elasticsearchUrl=https://es.internal.example/',
    ]);
    expect(firewallApplicationRules(defaultPort.plan).find((r) => r.name === 'elasticsearch')).toEqual(
      expect.objectContaining({ fqdns: ['es.internal.example'], port: 443 }),
    );
    // No Filebeat: no AMQP, no Elasticsearch, no Elastic registry; the AKS rules stay.
    const without = generate('multicloud', sets);
    expect(without.plan.components.privateCluster).toBe(true);
    expect(firewallNetworkRules(without.plan)).toEqual([]);
    expect(without.files.get('infra/modules/hub-network.bicep')).not.toMatch(/elastic|EventHub\./);
  });

  it("Grafana's admin login: written to Key Vault from a required pipeline secret, readable by the Grafana identity alone", () => {
    const { plan, files } = generate('multicloud', ['delivery.github.owner=contoso']);
    const module = files.get('infra/modules/grafana-admin.bicep')!;
    expect(module).toContain(`name: '${GRAFANA_ADMIN.secrets.password}'`);
    expect(module).toMatch(/resource adminPasswordReader [^\n]*\n\s*scope: adminPasswordSecretRef\n/);
    expect(module).not.toMatch(/scope: keyVault\n/);
    expect(files.get('infra/main.bicep')).toMatch(/module grafanaAdmin /);
    expect(files.get('infra/dev.bicepparam')).toContain(
      `param grafanaAdminPassword = readEnvironmentVariable('${GRAFANA_ADMIN.passwordVariable}', '')`,
    );
    expect(PIPELINE_SECRETS[GRAFANA_ADMIN.passwordVariable]?.required).toBe(true);
    expect(pipelineSecretNames(plan)).toContain(GRAFANA_ADMIN.passwordVariable);
    const noGrafana = generate('multicloud', [
      'identity.podIdentity=aad-pod-identity',
      'delivery.github.owner=contoso',
    ]);
    expect(noGrafana.files.has('infra/modules/grafana-admin.bicep')).toBe(false);
    expect(pipelineSecretNames(noGrafana.plan)).not.toContain(GRAFANA_ADMIN.passwordVariable);
  });

  it('kubenet: a route table of its own on snet-nodes, Network Contributor on it, even without the hub firewall', () => {
    const { files } = generate('starter', [
      'network.plugin=kubenet',
      'network.dataplane=azure',
      'network.networkPolicy=calico',
    ]);
    const network = files.get('infra/modules/network.bicep')!;
    expect(network).toMatch(/resource routeTable 'Microsoft\.Network\/routeTables@/);
    expect(network).toMatch(/name: 'snet-nodes'[\s\S]*?routeTable: \{\n\s*id: routeTable\.id/);
    expect(network).toMatch(/resource routeTableNetworkContributor [^\n]*\n\s*scope: routeTable\n/);
    expect(network).not.toContain('0.0.0.0/0');
    expect(files.get('infra/main.bicep')).toMatch(/routeTableName: names\.routeTable/);
    // Azure CNI without the firewall needs none.
    expect(generate('starter').files.get('infra/modules/network.bicep')).not.toContain('routeTable');
  });

  it('network rules: nothing for a private cluster; TCP 443 to the region for a public one; never the old tunnel or NTP', () => {
    const sets = ['network.hub.mode=create', 'network.egress=firewall'];
    const publicCluster = generate('enterprise', [
      ...sets,
      'cluster.privateCluster=false',
      'cluster.authorizedIpRanges=[203.0.113.0/24]',
    ]);
    expect(firewallNetworkRules(publicCluster.plan)).toEqual([
      expect.objectContaining({
        name: 'aks-api-server',
        protocols: ['TCP'],
        destinations: ['AzureCloud.{location}'],
        ports: ['443'],
      }),
    ]);
    for (const { files } of [publicCluster, generate('enterprise', sets)]) {
      const hub = files.get('infra/modules/hub-network.bicep')!;
      expect(hub).not.toMatch(/'1194'|'9000'|'123'/);
    }
    expect(firewallNetworkRules(generate('enterprise', sets).plan)).toEqual([]);
  });

  it('an existing hub: the infra README lists every rule its owners must add, with its destinations', () => {
    const HUB =
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub';
    const existing = generate('multicloud', [
      'network.hub.mode=existing',
      `network.hub.vnetResourceId=${HUB}`,
      'network.hub.firewallPrivateIp=10.0.0.4',
      'network.egress=firewall',
      'observability.elasticsearchUrl=https://logs.example.com:9243',
      'delivery.github.owner=contoso',
    ]);
    const readme = existing.files.get('infra/README.md')!;
    expect(readme).toContain('The rules to ask the hub owners for');
    for (const rule of firewallNetworkRules(existing.plan))
      expect(readme, rule.name).toMatch(
        new RegExp(`\\| \`${rule.name}\` \\| network \\| ${rule.protocols.join('/')} ${rule.ports.join(', ')} \\|`),
      );
    for (const rule of firewallApplicationRules(existing.plan)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${rule.name}\` | application |`));
      expect(row, rule.name).toBeDefined();
      for (const fqdn of rule.fqdns)
        expect(row, `${rule.name} ${fqdn}`).toContain(`\`${fqdn.replace('{location}', existing.plan.location)}\``);
    }
    // A hub this repository creates has the rules in Bicep, so no table.
    expect(generate('enterprise').files.get('infra/README.md')).not.toContain('The rules to ask the hub owners for');
  });

  it('knows the hosts of every registry a pinned chart names, and reads the registry off an image reference', () => {
    for (const registry of Object.values(HELM_CHART_IMAGE_REGISTRIES).flat())
      expect(IMAGE_REGISTRY_HOSTS[registry], registry).toBeDefined();
    expect(registryOf('registry.k8s.io/e2e-test-images/busybox:1.29-4')).toBe('registry.k8s.io');
    expect(registryOf('ghcr.io/kubereboot/kured:1.17.1')).toBe('ghcr.io');
    expect(registryOf('localhost:5000/app')).toBe('localhost:5000');
    expect(registryOf('grafana/grafana:11.4.0')).toBe('docker.io');
    expect(registryOf('busybox')).toBe('docker.io');
  });

  it('logs the hub firewall and Bastion to a hub workspace, with zone-redundant firewall and public IPs', () => {
    const { files } = generate('enterprise', ['delivery.github.owner=contoso']);
    const network = files.get('infra/modules/hub-network.bicep')!;
    for (const category of FIREWALL_LOG_CATEGORIES) expect(network).toContain(`category: '${category}'`);
    expect(network).toContain("logAnalyticsDestinationType: 'Dedicated'");
    expect(network.match(/^  zones: /gm)).toHaveLength(3);
    expect(files.get('infra/modules/hub-monitoring.bicep')).toContain(
      "resource logAnalytics 'Microsoft.OperationalInsights/workspaces@",
    );
    expect(files.get('infra/hub.bicepparam')).toContain("logAnalytics: 'log-core-hub-westeurope'");
    expect(files.get('infra/hub.bicepparam')).toContain('param logRetentionDays = 30');
    expect(generate(undefined).files.has('infra/modules/hub-monitoring.bicep')).toBe(false);
    expect(files.get('infra/README.md')).toContain(
      'resource-specific `AZFW*` tables of the hub workspace\n`log-core-hub-westeurope`',
    );
    expect(files.get('docs/decisions/0001-landing-zone.md')).toContain(
      'zone-redundant (zones 1, 2 and 3) wherever the region has availability zones',
    );
    expect(files.get('docs/decisions/0002-private-cluster-and-egress.md')).toContain(
      'Firewall rule images-example-workload: Images of the example workload of each team from registry.k8s.io',
    );
  });

  it('is deterministic and free of placeholders', () => {
    const a = generate('enterprise', ['delivery.github.owner=contoso']);
    const b = generate('enterprise', ['delivery.github.owner=contoso']);
    expect(infraFiles(a.files)).toEqual(infraFiles(b.files));
    const others = [
      generate('multicloud'),
      generate('starter'),
      generate(undefined, [
        'identity.podIdentity=aad-pod-identity',
        'network.egress=natGateway',
        'identity.entraId=false',
        'identity.authorization=kubernetes-rbac',
        'identity.disableLocalAccounts=false',
      ]),
    ];
    for (const [path, content] of [...infraFiles(a.files), ...others.flatMap((g) => infraFiles(g.files))]) {
      expect(content, path).not.toMatch(
        /TODO|FIXME|CHANGEME|00000000-0000-0000-0000-000000000000|undefined|\[object Object\]/,
      );
      expect(content, `${path} has stray blank lines`).not.toContain('\n\n\n');
    }
  });

  it('NAT gateway egress: a NAT gateway of our own on the node subnet, outbound type userAssignedNATGateway', () => {
    const { files } = generate(undefined, ['network.egress=natGateway']);
    expect(files.get('infra/modules/cluster.bicep')).toContain("outboundType: 'userAssignedNATGateway'");
    const network = files.get('infra/modules/network.bicep')!;
    const subnetBlock = (name: string) =>
      network.slice(
        network.indexOf(`name: '${name}'`),
        network.indexOf('name: ', network.indexOf(`name: '${name}'`) + 1),
      );
    expect(subnetBlock('snet-nodes')).toMatch(/natGateway: \{\n\s+id: natGateway\.id/);
    expect(subnetBlock('snet-ingress')).not.toContain('natGateway');
    expect(generate(undefined).files.get('infra/modules/network.bicep')).not.toContain('natGateway');
  });

  it('AAD Pod Identity: no federated credentials; the kubelet identity gets its node resource group roles', () => {
    const { files } = generate(undefined, ['identity.podIdentity=aad-pod-identity']);
    expect(files.get('infra/modules/team-identity.bicep')).not.toContain('federatedIdentityCredentials');
    expect(files.get('infra/main.bicep')).toContain("module podIdentityRoles 'modules/pod-identity-roles.bicep'");
    expect(files.get('infra/main.bicep')).toContain('scope: resourceGroup(names.nodeResourceGroup)');
    const wi = generate(undefined).files;
    expect(wi.get('infra/modules/team-identity.bicep')).toContain(
      "subject: 'system:serviceaccount:${namespace}:${serviceAccount}'",
    );
    expect(wi.has('infra/modules/pod-identity-roles.bicep')).toBe(false);
  });

  it('raises the important linter rules to errors', () => {
    const config = JSON.parse(generate(undefined).files.get('infra/bicepconfig.json')!) as {
      analyzers: { core: { rules: Record<string, { level: string }> } };
    };
    const rules = config.analyzers.core.rules;
    for (const rule of [
      'no-unused-params',
      'no-hardcoded-env-urls',
      'secure-parameter-default',
      'outputs-should-not-contain-secrets',
      'use-stable-resource-identifiers',
    ]) {
      expect(rules[rule]?.level, rule).toBe('error');
    }
  });

  it('writes Bicep literals with quoting right', () => {
    expect(bicepLiteral({ a: "it's", 'b-c': [1, true], d: expr('tenant().tenantId'), e: '${x}' })).toBe(
      "{\n  a: 'it\\'s'\n  'b-c': [\n    1\n    true\n  ]\n  d: tenant().tenantId\n  e: '\\${x}'\n}",
    );
  });
});
