import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { composeAnswers } from '../src/answers/load.js';
import { validateAnswers } from '../src/answers/validate.js';
import { FLUX } from '../src/plan/contracts.js';
import { GATEWAY, INGRESS_CONTRACTS } from '../src/plan/ingress.js';
import { firewallApplicationRules } from '../src/plan/infra.js';
import { policyExcludedNamespaces } from '../src/plan/policy.js';
import { HELM_CHARTS } from '../src/versions.js';
import { render } from './support/generate.js';
import { completeSets } from './support/presets.js';

// Application Gateway for Containers as the ingress implementation: answers, plan and the manifests' meaning. The
// Bicep side is asserted on compiled ARM JSON in ingress-agc-infra.test.ts; the validate rules' mutations are in
// validate.test.ts.

const AGC = INGRESS_CONTRACTS['application-gateway-for-containers'];
const ZONE =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/apps.contoso.com';
const CHOSEN = ['ingress.implementation=application-gateway-for-containers'];
const COMPLETE = [...CHOSEN, 'ingress.certificateName=wildcard', `ingress.dnsZoneResourceId=${ZONE}`];

const docs = (text: string | undefined) => parseAllDocuments(text ?? '').map((d) => d.toJS() as Record<string, any>);
const problemsOf = (preset: string | undefined, sets: string[]) =>
  validateAnswers(composeAnswers({ preset, sets: completeSets(preset, sets) })).problems;
const errorsOf = (preset: string | undefined, sets: string[]) =>
  problemsOf(preset, sets).filter((p) => p.severity === 'error');

describe('AGC answers', () => {
  it('are accepted with every preset that runs Azure CNI and workload identity, behind the firewall too', () => {
    expect(errorsOf('enterprise', COMPLETE)).toEqual([]);
    expect(errorsOf('starter', COMPLETE)).toEqual([]);
  });

  it('kubenet is refused: AGC cannot reach its pod addresses', () => {
    expect(errorsOf('starter', [...CHOSEN, 'network.plugin=kubenet'])).toContainEqual(
      expect.objectContaining({
        path: 'ingress.implementation',
        value: 'application-gateway-for-containers',
        message: expect.stringContaining('kubenet pod addresses'),
        fix: expect.stringContaining('network.plugin to azure-cni-overlay or azure-cni'),
      }),
    );
  });

  it('the ALB Controller needs workload identity', () => {
    expect(errorsOf('multicloud', [...CHOSEN, 'identity.podIdentity=aad-pod-identity'])).toContainEqual(
      expect.objectContaining({
        path: 'ingress.implementation',
        message: expect.stringContaining('workload identity'),
        fix: expect.stringContaining('identity.podIdentity to workload-identity'),
      }),
    );
  });

  it('an internal Gateway is refused: AGC frontends are public', () => {
    expect(errorsOf('enterprise', [...CHOSEN, 'ingress.publicLoadBalancer=false'])).toContainEqual(
      expect.objectContaining({
        path: 'ingress.publicLoadBalancer',
        value: false,
        message: expect.stringContaining('frontends are public'),
      }),
    );
  });

  it('an ingress subnet smaller than /24 is refused for the association; the derived one is /24', () => {
    expect(errorsOf('starter', [...CHOSEN, 'environments.0.subnets.ingress=10.1.16.0/25'])).toContainEqual(
      expect.objectContaining({
        path: 'environments.0.subnets.ingress',
        value: '10.1.16.0/25',
        message: expect.stringContaining('/24 or larger'),
      }),
    );
    for (const env of render('starter', CHOSEN).plan.environments)
      expect(env.subnets.find((s) => s.role === 'ingress')?.cidr).toMatch(/\/24$/);
  });
});

describe('AGC plan', () => {
  it('is public even when egress goes through the firewall, writes CNAME records, and names its Azure resources', () => {
    const { plan } = render('enterprise', COMPLETE);
    expect(plan.ingress).toMatchObject({
      implementation: 'application-gateway-for-containers',
      gatewayClassName: AGC.gatewayClassName,
      internal: false,
      dnsRecords: 'cname-records',
      identity: true,
      alb: { frontend: GATEWAY.name, subnetRole: 'ingress' },
    });
  });

  it('without a certificate no Gateway identity; behind the firewall the configuration endpoints are an omission', () => {
    const { plan } = render('enterprise', CHOSEN);
    expect(plan.ingress?.identity).toBe(false);
    expect(plan.omissions.map((o) => o.what).join('\n')).toMatch(/configuration endpoints of Application Gateway/);
    expect(
      render('starter', CHOSEN)
        .plan.omissions.map((o) => o.what)
        .join('\n'),
    ).not.toMatch(/configuration endpoints/);
  });

  it('the firewall lets the chart and images through from MCR, and the policies exclude the controller namespace', () => {
    const { plan } = render('enterprise', [...COMPLETE, 'delivery.github.owner=contoso']);
    const gitops = firewallApplicationRules(plan).find((r) => r.name === 'gitops');
    expect(gitops?.fqdns).toEqual(expect.arrayContaining(['mcr.microsoft.com', '*.data.mcr.microsoft.com']));
    expect(policyExcludedNamespaces(plan)).toEqual(
      expect.arrayContaining([AGC.controller.namespace, GATEWAY.namespace]),
    );
  });
});

describe('AGC manifests', () => {
  const { files } = render('starter', COMPLETE);

  it('the Gateway names the traffic controller and frontend the deployment creates, and no internal annotations', () => {
    const [gateway] = docs(files.get('infrastructure/gateway/gateway.yaml'));
    expect(gateway).toMatchObject({
      kind: 'Gateway',
      metadata: {
        name: GATEWAY.name,
        namespace: GATEWAY.namespace,
        annotations: { [AGC.albIdAnnotation]: '${INGRESS_TRAFFIC_CONTROLLER_ID}' },
      },
      spec: {
        gatewayClassName: 'azure-alb-external',
        addresses: [{ type: AGC.frontendAddressType, value: GATEWAY.name }],
      },
    });
    expect(gateway!.spec.infrastructure).toBeUndefined();
    // The HTTPS listener reads the Secret the CSI driver syncs, not the add-on's Key Vault options.
    expect(gateway!.spec.listeners[0]).toMatchObject({
      name: 'https',
      port: 443,
      tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'gateway-tls-certificate' }] },
    });
    expect(files.has('infrastructure/gateway/external-dns.yaml')).toBe(false);
  });

  it('the ALB Controller is a HelmRelease in the Flux namespace with the pinned OCI chart and the identity variable', () => {
    const dir = 'infrastructure/gateway-controller/alb-controller';
    const [repository] = docs(files.get(`${dir}/repository.yaml`));
    const [release] = docs(files.get(`${dir}/release.yaml`));
    expect(repository).toMatchObject({
      kind: 'HelmRepository',
      metadata: { namespace: FLUX.namespace },
      spec: { type: 'oci', url: HELM_CHARTS['alb-controller'].repository },
    });
    expect(release).toMatchObject({
      kind: 'HelmRelease',
      metadata: { namespace: FLUX.namespace },
      spec: {
        targetNamespace: AGC.controller.namespace,
        chart: { spec: { chart: 'alb-controller', version: HELM_CHARTS['alb-controller'].version } },
        values: {
          albController: {
            namespace: AGC.controller.namespace,
            podIdentity: { clientID: '${ALB_CONTROLLER_CLIENT_ID}' },
          },
        },
      },
    });
  });

  it('each cluster applies the controller before the Gateway, and the certificate sync as a leaf', () => {
    const layers = docs(files.get('clusters/dev/infrastructure.yaml'));
    const byName = new Map(layers.map((l) => [l.metadata.name, l]));
    expect(byName.get('infra-gateway')?.spec.dependsOn).toEqual([{ name: 'infra-gateway-controller' }]);
    expect(byName.get('infra-gateway-certificate')?.spec.dependsOn).toEqual([{ name: 'infra-gateway' }]);
    const apps = docs(files.get('clusters/dev/apps.yaml'));
    expect(apps.flatMap((k) => k.spec.dependsOn ?? []).map((d: { name: string }) => d.name)).not.toContain(
      'infra-gateway-certificate',
    );
  });

  it('the certificate is synced into a kubernetes.io/tls Secret by a pod that mounts it', () => {
    const [spc, deployment] = docs(files.get('infrastructure/gateway-certificate/certificate-sync.yaml'));
    expect(spc).toMatchObject({
      kind: 'SecretProviderClass',
      metadata: { namespace: GATEWAY.namespace },
      spec: {
        parameters: { clientID: '${INGRESS_CLIENT_ID}' },
        secretObjects: [
          {
            secretName: 'gateway-tls-certificate',
            type: 'kubernetes.io/tls',
            data: [
              { objectName: 'wildcard', key: 'tls.key' },
              { objectName: 'wildcard', key: 'tls.crt' },
            ],
          },
        ],
      },
    });
    expect(deployment).toMatchObject({
      kind: 'Deployment',
      spec: {
        template: {
          spec: {
            serviceAccountName: GATEWAY.serviceAccount,
            volumes: [{ csi: { volumeAttributes: { secretProviderClass: spc!.metadata.name } } }],
          },
        },
      },
    });
  });

  it('team policies admit the association subnet, since the AGC proxies connect from it; quotas stay at 0 load balancers', () => {
    const policy = docs(files.get('apps/base/team-a/network-policies.yaml')).find(
      (p) => p.metadata.name === 'allow-gateway',
    );
    expect(policy?.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '${INGRESS_SUBNET_PREFIX}' } }]);
    const [quota] = docs(files.get('apps/base/team-a/resource-quota.yaml'));
    expect(quota?.spec.hard['services.loadbalancers']).toBe('0');
  });

  it('the team route is unchanged but for its parent: the platform Gateway', () => {
    const [route] = docs(files.get('apps/routes/team-a.yaml'));
    expect(route?.spec.parentRefs).toEqual([
      expect.objectContaining({ name: GATEWAY.name, namespace: GATEWAY.namespace, sectionName: 'https' }),
    ]);
  });

  it('the decision record and hardening list say what is deployed', () => {
    const decision = [...files].find(([p]) => /^docs\/decisions\/\d+-ingress\.md$/.test(p))?.[1];
    expect(decision).toMatch(/## Decision\n\n\*\*Application Gateway for Containers\.\*\*/);
    expect(decision).toContain('Microsoft_DefaultRuleSet 2.1');
    expect(decision).toContain('infrastructure/gateway-controller');
    expect(files.get('docs/hardening.md')).toMatch(/Web application firewall.*dev Detection, prod Prevention/);
  });
});
