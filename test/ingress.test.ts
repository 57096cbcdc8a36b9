import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { composeAnswers } from '../src/answers/load.js';
import { validateAnswers } from '../src/answers/validate.js';
import { TEAM_QUOTA } from '../src/plan/gitops.js';
import { GATEWAY, INGRESS_CONTRACTS } from '../src/plan/ingress.js';
import { PRESET_NAMES } from '../src/answers/presets.js';
import { completeSets } from './support/presets.js';
import { AZURE_API_VERSIONS } from '../src/versions.js';
import { render } from './support/generate.js';

// Ingress through the Gateway API: answers, plan and the manifests' meaning. The Bicep side is asserted on compiled
// ARM JSON in ingress-infra.test.ts; the validate rules' mutations are in validate.test.ts.

const ZONES = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network';
const PUBLIC_ZONE = `${ZONES}/dnszones/apps.contoso.com`;
const PRIVATE_ZONE = `${ZONES}/privateDnsZones/apps.contoso.internal`;

const docs = (text: string | undefined) => parseAllDocuments(text ?? '').map((d) => d.toJS() as Record<string, any>);
const problemsOf = (preset: string | undefined, sets: string[]) =>
  validateAnswers(composeAnswers({ preset, sets: completeSets(preset, sets) })).problems;

describe('ingress answers', () => {
  it('default to the application routing Gateway API implementation; none is a choice', () => {
    expect(render().plan.ingress).toMatchObject({
      implementation: 'app-routing-gateway',
      gatewayClassName: 'approuting-istio',
    });
    expect(render(undefined, ['ingress.implementation=none']).plan.ingress).toBeUndefined();
  });

  it('a public Gateway address behind firewall egress is refused with field, value and fix', () => {
    const problems = problemsOf('enterprise', ['ingress.publicLoadBalancer=true']);
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'ingress.publicLoadBalancer',
        value: true,
        severity: 'error',
        message: expect.stringContaining('asymmetric'),
        fix: expect.stringContaining('ingress.publicLoadBalancer to false'),
      }),
    );
  });

  it('a certificate or DNS zone without workload identity, or a certificate without the CSI driver, is refused', () => {
    expect(problemsOf(undefined, ['identity.podIdentity=none', 'ingress.certificateName=wildcard'])).toContainEqual(
      expect.objectContaining({
        path: 'ingress.certificateName',
        value: 'wildcard',
        fix: expect.stringContaining('workload-identity'),
      }),
    );
    expect(
      problemsOf(undefined, ['identity.podIdentity=none', `ingress.dnsZoneResourceId=${PUBLIC_ZONE}`]),
    ).toContainEqual(expect.objectContaining({ path: 'ingress.dnsZoneResourceId', severity: 'error' }));
    expect(problemsOf(undefined, ['secrets.keyVaultCsi=false', 'ingress.certificateName=wildcard'])).toContainEqual(
      expect.objectContaining({ path: 'ingress.certificateName', fix: expect.stringContaining('secrets.keyVaultCsi') }),
    );
  });

  it('a DNS zone resource ID that is no zone is refused; a zone of the wrong visibility is a warning', () => {
    expect(problemsOf(undefined, [`ingress.dnsZoneResourceId=${ZONES}/virtualNetworks/vnet`])).toContainEqual(
      expect.objectContaining({ path: 'ingress.dnsZoneResourceId', severity: 'error' }),
    );
    expect(problemsOf('enterprise', [`ingress.dnsZoneResourceId=${PUBLIC_ZONE}`])).toContainEqual(
      expect.objectContaining({ path: 'ingress.dnsZoneResourceId', severity: 'warning' }),
    );
  });
});

describe('ingress contract', () => {
  it('the pinned managedClusters API version has the ingress profile properties GA', () => {
    for (const contract of Object.values(INGRESS_CONTRACTS))
      if (contract.kind === 'aks-add-on')
        expect(
          AZURE_API_VERSIONS['Microsoft.ContainerService/managedClusters'] >= contract.minimumClusterApiVersion,
        ).toBe(true);
  });
});

describe('ingress plan', () => {
  it('the Gateway is internal when egress goes through the firewall, public otherwise, unless answered', () => {
    expect(render('enterprise').plan.ingress?.internal).toBe(true);
    expect(render('starter').plan.ingress?.internal).toBe(false);
    expect(render('starter', ['ingress.publicLoadBalancer=false']).plan.ingress?.internal).toBe(true);
  });

  it('without a zone or a certificate, the omissions say what is left out and how to add it', () => {
    const omissions = render().plan.omissions.map((o) => o.fix);
    expect(omissions).toContainEqual(expect.stringContaining('ingress.dnsZoneResourceId='));
    expect(omissions).toContainEqual(expect.stringContaining('ingress.certificateName='));
    const complete = render(undefined, [
      `ingress.dnsZoneResourceId=${PUBLIC_ZONE}`,
      'ingress.certificateName=wildcard',
    ]);
    expect(complete.plan.omissions.map((o) => o.what).join('\n')).not.toMatch(/Gateway/);
  });
});

describe('ingress manifests', () => {
  const tls = render('enterprise', [`ingress.dnsZoneResourceId=${PRIVATE_ZONE}`, 'ingress.certificateName=wildcard']);
  const gatewayDir = 'infrastructure/gateway';

  it('the platform owns one Gateway of the implementation class, admitting routes from labelled namespaces only', () => {
    const [gateway] = docs(tls.files.get(`${gatewayDir}/gateway.yaml`));
    expect(gateway).toMatchObject({
      kind: 'Gateway',
      metadata: { name: GATEWAY.name, namespace: GATEWAY.namespace },
      spec: { gatewayClassName: INGRESS_CONTRACTS['app-routing-gateway'].gatewayClassName },
    });
    const [listener] = gateway!.spec.listeners;
    expect(listener).toMatchObject({
      name: 'https',
      port: 443,
      protocol: 'HTTPS',
      hostname: '*.apps.contoso.internal',
      tls: {
        mode: 'Terminate',
        options: {
          'kubernetes.azure.com/tls-cert-keyvault-uri': '${INGRESS_CERTIFICATE_URI}',
          'kubernetes.azure.com/tls-cert-service-account': GATEWAY.serviceAccount,
        },
      },
      allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { [GATEWAY.routeLabel]: 'true' } } } },
    });
    // Behind the firewall the load balancer is internal, on the ingress subnet.
    expect(gateway!.spec.infrastructure.annotations).toEqual({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      'service.beta.kubernetes.io/azure-load-balancer-internal-subnet': 'snet-ingress',
    });
  });

  it('the Gateway service account is federated (client ID from the deployment) and external-dns writes the answered zone', () => {
    const [sa] = docs(tls.files.get(`${gatewayDir}/service-account.yaml`));
    expect(sa!.metadata).toMatchObject({
      name: GATEWAY.serviceAccount,
      namespace: GATEWAY.namespace,
      annotations: { 'azure.workload.identity/client-id': '${INGRESS_CLIENT_ID}' },
    });
    const [dns] = docs(tls.files.get(`${gatewayDir}/external-dns.yaml`));
    expect(dns!.spec).toEqual({
      resourceName: GATEWAY.externalDns,
      resourceNamespace: GATEWAY.namespace,
      dnsZoneResourceIDs: [PRIVATE_ZONE],
      resourceTypes: ['gateway'],
      identity: { type: 'workloadIdentity', serviceAccount: GATEWAY.serviceAccount },
    });
  });

  it('each team owns a route to its example Service on the platform listener, with a hostname per environment', () => {
    const team = tls.plan.teams[0]!;
    const [namespace] = docs(tls.files.get(`apps/base/${team.name}/namespace.yaml`));
    expect(namespace!.metadata.labels[GATEWAY.routeLabel]).toBe('true');
    const [service] = docs(tls.files.get(`apps/base/${team.name}/service.yaml`));
    const [route] = docs(tls.files.get(`apps/routes/${team.name}.yaml`));
    expect(route!.spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: GATEWAY.name,
        namespace: GATEWAY.namespace,
        sectionName: 'https',
      },
    ]);
    expect(route!.spec.rules[0].backendRefs).toEqual([{ name: service!.metadata.name, port: 80 }]);
    const [deployment] = docs(tls.files.get(`apps/base/${team.name}/deployment.yaml`));
    const container = deployment!.spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(service!.spec.selector).toEqual(deployment!.spec.selector.matchLabels);
    for (const env of tls.plan.environments)
      expect(tls.files.get(`apps/${env.name}/routes/kustomization.yaml`)).toContain(
        `- ${team.name}-${env.name}.apps.contoso.internal`,
      );
    // The team's default-deny lets the Gateway's proxies reach the example's port, and nothing else new.
    const policies = docs(tls.files.get(`apps/base/${team.name}/network-policies.yaml`));
    expect(policies.find((p) => p.metadata.name === 'allow-gateway')?.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': GATEWAY.namespace } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
  });

  it('the Gateway and the routes are layers of their own, applied only on clusters that run the implementation', () => {
    const arc = render('enterprise', [
      'delivery.github.owner=contoso',
      'arc.clusters=[{"name":"edge-a","resourceGroup":"rg-edge","environment":"dev","distribution":"k3s"}]',
    ]);
    const layers = (entry: string) =>
      [
        ...(arc.files.get(`clusters/${entry}/infrastructure.yaml`) ?? '').matchAll(/path: \.\/(\S+)/g),
        ...(arc.files.get(`clusters/${entry}/apps.yaml`) ?? '').matchAll(/path: \.\/(\S+)/g),
      ].map((m) => m[1]);
    expect(layers('dev')).toEqual(expect.arrayContaining(['infrastructure/gateway', 'apps/dev', 'apps/dev/routes']));
    expect(layers('edge-a')).toContain('apps/dev');
    expect(layers('edge-a').filter((p) => /gateway|routes/.test(p!))).toEqual([]);
  });

  it('teams keep no LoadBalancer Services: the platform Gateway is their only way in', () => {
    expect(TEAM_QUOTA.hard['services.loadbalancers']).toBe('0');
    const [quota] = docs(tls.files.get(`apps/base/${tls.plan.teams[0]!.name}/resource-quota.yaml`));
    expect(quota!.spec.hard['services.loadbalancers']).toBe('0');
    const services = [...tls.files]
      .filter(([p]) => p.startsWith('apps/'))
      .flatMap(([, t]) => docs(t))
      .filter((d) => d?.kind === 'Service');
    expect(services.map((s) => s.spec.type ?? 'ClusterIP')).toEqual(services.map(() => 'ClusterIP'));
  });

  it('without a certificate the Gateway listens on HTTP; without a zone there is no external-dns and no hostname', () => {
    const plain = render();
    const [gateway] = docs(plain.files.get(`${gatewayDir}/gateway.yaml`));
    expect(
      gateway!.spec.listeners.map((l: { name: string; port: number; hostname?: string }) => [
        l.name,
        l.port,
        l.hostname,
      ]),
    ).toEqual([['http', 80, undefined]]);
    expect(plain.files.has(`${gatewayDir}/external-dns.yaml`)).toBe(false);
    expect(plain.files.has(`${gatewayDir}/service-account.yaml`)).toBe(false);
    expect(plain.files.get('apps/dev/routes/kustomization.yaml')).not.toContain('HTTPRoute');
  });

  it('ingress none: no Gateway, no route, no Gateway label', () => {
    const none = render(undefined, ['ingress.implementation=none']);
    expect([...none.files.keys()].filter((p) => /gateway|routes/.test(p))).toEqual([]);
    expect(none.files.get('clusters/dev/apps.yaml')).not.toContain('app-routes');
    expect([...none.files.values()].join('\n')).not.toContain(GATEWAY.routeLabel);
  });

  it.each([undefined, ...PRESET_NAMES])('%s: no generated configuration deploys or configures NGINX', (preset) => {
    const { files } = render(preset, [
      `ingress.dnsZoneResourceId=${preset === 'enterprise' ? PRIVATE_ZONE : PUBLIC_ZONE}`,
    ]);
    for (const [path, text] of files) {
      if (!/^(infra|clusters|infrastructure|apps)\//.test(path)) continue;
      // The one mention allowed: the add-on's own default NGINX controller switched off.
      const rest = text.replace(/nginx: \{\n\s+defaultIngressControllerType: 'None'\n\s+\}/g, '');
      expect(rest, path).not.toMatch(
        /nginx|NginxIngressController|kind: Ingress\b|webapprouting\.kubernetes\.azure\.com/i,
      );
    }
  });
});
