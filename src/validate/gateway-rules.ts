import { GATEWAY_API_GROUP, INGRESS_CONTRACTS } from '../plan/ingress.js';
import type { Files, Finding } from './finding.js';
import { get, isGitOps, lineOf, parseYamlFiles, type YamlDoc } from './rules.js';

// Gateway API rules over a repository: the route-to-Gateway contract the Gateway API's roles rest on (teams own
// routes, the platform owns the Gateway and says who may attach), and the GatewayClass the cluster provides.

const CLUSTER_MODULE = 'infra/modules/cluster.bicep';
const MAIN = 'infra/main.bicep';

const nameOf = (value: unknown): string => String(get(value, ['metadata', 'name']) ?? '');
const namespaceOf = (value: unknown): string => String(get(value, ['metadata', 'namespace']) ?? 'default');
const isGatewayApi = (d: YamlDoc, kind: string) =>
  d.value.kind === kind && String(d.value.apiVersion ?? '').startsWith(`${GATEWAY_API_GROUP}/`);

interface Listener {
  name?: string;
  allowedRoutes?: {
    namespaces?: { from?: string; selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } };
    kinds?: { group?: string; kind?: string }[];
  };
}

/** Why a listener refuses routes of a namespace, or undefined when it admits them. */
function refusal(listener: Listener, gatewayNs: string, routeNs: string, labels: Record<string, string> | undefined) {
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  const kinds = listener.allowedRoutes?.kinds;
  if (kinds && !kinds.some((k) => k.kind === 'HTTPRoute' && (k.group ?? GATEWAY_API_GROUP) === GATEWAY_API_GROUP))
    return 'admits no HTTPRoute kind';
  if (from === 'All') return undefined;
  if (from === 'Same')
    return routeNs === gatewayNs ? undefined : `admits routes of its own namespace ${gatewayNs} only`;
  if (from === 'Selector') {
    const selector = listener.allowedRoutes?.namespaces?.selector;
    // matchExpressions are evaluated by the cluster; only matchLabels are checked here.
    if (selector?.matchExpressions?.length) return undefined;
    const wanted = Object.entries(selector?.matchLabels ?? {});
    const missing = wanted.filter(([key, value]) => labels?.[key] !== value);
    // A route in a namespace the repository does not create is the namespace rule's finding, not this one's.
    if (labels === undefined) return undefined;
    return missing.length === 0
      ? undefined
      : `selects namespaces labelled ${wanted.map(([k, v]) => `${k}=${v}`).join(', ')}, which Namespace ${routeNs} is not`;
  }
  return `admits routes from ${from}`;
}

/**
 * Every HTTPRoute's parentRef names a Gateway of the repository, a listener of it (sectionName), and that listener
 * admits routes from the route's namespace; otherwise the route is never accepted and its hostnames never answer.
 * https://gateway-api.sigs.k8s.io/reference/spec/#parentreference
 */
function routeParents(docs: YamlDoc[]): Finding[] {
  const gateways = new Map(
    docs.filter((d) => isGatewayApi(d, 'Gateway')).map((d) => [`${namespaceOf(d.value)}/${nameOf(d.value)}`, d]),
  );
  const namespaceLabels = new Map(
    docs
      .filter((d) => d.value.kind === 'Namespace')
      .map((d) => [nameOf(d.value), (get(d.value, ['metadata', 'labels']) ?? {}) as Record<string, string>]),
  );
  return docs
    .filter((d) => isGatewayApi(d, 'HTTPRoute'))
    .flatMap((d) => {
      const refs = get(d.value, ['spec', 'parentRefs']);
      if (!Array.isArray(refs)) return [];
      const routeNs = namespaceOf(d.value);
      return refs.flatMap((ref: Record<string, unknown>, i): Finding[] => {
        if ((ref.kind ?? 'Gateway') !== 'Gateway' || (ref.group ?? GATEWAY_API_GROUP) !== GATEWAY_API_GROUP) return [];
        const gatewayNs = String(ref.namespace ?? routeNs);
        const key = `${gatewayNs}/${String(ref.name)}`;
        const finding = (path: string[], message: string, fix: string): Finding[] => [
          {
            rule: 'gateway-route',
            severity: 'error',
            file: d.file,
            line: lineOf(d, ['spec', 'parentRefs', i, ...path]),
            message: `HTTPRoute ${nameOf(d.value)} ${message}, so the Gateway never accepts it`,
            fix,
          },
        ];
        const gateway = gateways.get(key);
        if (!gateway)
          return finding(
            ['name'],
            `attaches to Gateway ${key}, which the repository does not have`,
            `name a Gateway of the repository in parentRefs (${[...gateways.keys()].join(', ') || 'there is none'})`,
          );
        const listeners = (get(gateway.value, ['spec', 'listeners']) ?? []) as Listener[];
        const section = typeof ref.sectionName === 'string' ? ref.sectionName : undefined;
        const chosen = section ? listeners.filter((l) => l.name === section) : listeners;
        if (section && chosen.length === 0)
          return finding(
            ['sectionName'],
            `attaches to listener ${section} of Gateway ${key}, which has no such listener`,
            `use one of its listeners: ${listeners.map((l) => l.name).join(', ')}`,
          );
        const reasons = chosen.map((l) => refusal(l, gatewayNs, routeNs, namespaceLabels.get(routeNs)));
        if (reasons.some((r) => r === undefined)) return [];
        return finding(
          section ? ['sectionName'] : ['name'],
          `is in namespace ${routeNs}, but Gateway ${key}${section ? ` listener ${section}` : ''} ${reasons[0]}`,
          "label the route's Namespace as the listener's allowedRoutes selector asks, or move the route",
        );
      });
    });
}

/**
 * Every Gateway names the GatewayClass of an implementation the repository turns on (src/plan/ingress.ts): the add-on
 * in the cluster module, or the ALB Controller's HelmRelease; a Gateway of another class is never programmed.
 */
function gatewayClasses(files: Files, docs: YamlDoc[]): Finding[] {
  if (!files.has(CLUSTER_MODULE)) return [];
  const enabled = Object.values(INGRESS_CONTRACTS).filter((c) => c.enabledIn(files));
  const classes = enabled.map((c) => c.gatewayClassName);
  return docs
    .filter((d) => isGatewayApi(d, 'Gateway'))
    .flatMap((d) => {
      const className = String(get(d.value, ['spec', 'gatewayClassName']) ?? '');
      if (classes.includes(className)) return [];
      const wanted = Object.values(INGRESS_CONTRACTS).find((c) => c.gatewayClassName === className);
      const enable =
        wanted?.kind === 'alb-controller'
          ? `install the ALB Controller (a HelmRelease of chart ${wanted.controller.chart})`
          : `turn the implementation on in ${CLUSTER_MODULE} (ingressProfile)`;
      return [
        {
          rule: 'gateway-class',
          severity: 'error',
          file: d.file,
          line: lineOf(d, ['spec', 'gatewayClassName']),
          message: `Gateway ${nameOf(d.value)} names GatewayClass ${className}, which the repository does not provide${classes.length ? ` (it provides ${classes.join(', ')})` : ' (it turns no Gateway API implementation on)'}, so the Gateway gets no address`,
          fix: classes.length
            ? `set spec.gatewayClassName to ${classes.join(' or ')}`
            : `${enable}, or remove the Gateway`,
        } satisfies Finding,
      ];
    });
}

/**
 * An AGC Gateway (bring your own deployment) is programmed on the traffic controller its alb-id annotation names,
 * through the frontend its alb-frontend address names: the annotation must be the Flux variable main.bicep fills with
 * the traffic controller module's resource ID, the address that module's frontend. Anything else points the ALB
 * Controller at a load balancer or frontend the deployment never created, and the Gateway gets no address.
 * https://learn.microsoft.com/azure/application-gateway/for-containers/how-to-ssl-offloading-gateway-api
 */
function albGateways(files: Files, docs: YamlDoc[]): Finding[] {
  const contract = INGRESS_CONTRACTS['application-gateway-for-containers'];
  const main = files.get(MAIN);
  if (main === undefined) return [];
  const module = new RegExp(
    `^module (\\w+) 'modules/${contract.bicep.file}\\.bicep' = \\{\\n([\\s\\S]*?)^\\}`,
    'm',
  ).exec(main);
  const symbol = module?.[1];
  const frontend = module
    ? new RegExp(`^ +${contract.bicep.frontendParam}: '([^']*)'$`, 'm').exec(module[2] ?? '')?.[1]
    : undefined;
  const substitutions = /^var fluxSubstitutions = \{\n([\s\S]*?)^\}/m.exec(main)?.[1] ?? '';
  const output = symbol ? `${symbol}.outputs.${contract.bicep.trafficControllerOutput}` : undefined;
  const variable = [...substitutions.matchAll(/^ {2}(\w+): (.+)$/gm)].find((m) => m[2]?.trim() === output)?.[1];
  return docs
    .filter(
      (d) => isGatewayApi(d, 'Gateway') && get(d.value, ['spec', 'gatewayClassName']) === contract.gatewayClassName,
    )
    .flatMap((d): Finding[] => {
      const finding = (path: (string | number)[], message: string, fix: string): Finding => ({
        rule: 'gateway-alb',
        severity: 'error',
        file: d.file,
        line: lineOf(d, path),
        message: `Gateway ${nameOf(d.value)} ${message}, so the ALB Controller never programs it`,
        fix,
      });
      if (!symbol)
        return [
          finding(
            ['spec', 'gatewayClassName'],
            `is of class ${contract.gatewayClassName}, but ${MAIN} creates no Application Gateway for Containers (modules/${contract.bicep.file}.bicep)`,
            `deploy modules/${contract.bicep.file}.bicep from ${MAIN}, or use another implementation's Gateway`,
          ),
        ];
      const found: Finding[] = [];
      const annotations = (get(d.value, ['metadata', 'annotations']) ?? {}) as Record<string, unknown>;
      const albId = annotations[contract.albIdAnnotation];
      const expected = variable ? `\${${variable}}` : undefined;
      if (albId !== expected)
        found.push(
          finding(
            albId === undefined ? ['metadata', 'name'] : ['metadata', 'annotations', contract.albIdAnnotation],
            albId === undefined
              ? `has no ${contract.albIdAnnotation} annotation naming its traffic controller`
              : `names traffic controller ${String(albId)}, not the one ${MAIN} creates (${output})`,
            expected
              ? `set the ${contract.albIdAnnotation} annotation to ${expected}`
              : `pass ${output} to Flux in ${MAIN}'s fluxSubstitutions and reference that variable in the ${contract.albIdAnnotation} annotation`,
          ),
        );
      const addresses = (get(d.value, ['spec', 'addresses']) ?? []) as { type?: string; value?: string }[];
      const index = Array.isArray(addresses) ? addresses.findIndex((a) => a.type === contract.frontendAddressType) : -1;
      const named = index >= 0 ? addresses[index]?.value : undefined;
      if (named !== frontend)
        found.push(
          finding(
            index >= 0 ? ['spec', 'addresses', index, 'value'] : ['spec', 'gatewayClassName'],
            index >= 0
              ? `names frontend ${String(named)}, which ${MAIN} does not create (it creates ${frontend ?? 'none'})`
              : `names no ${contract.frontendAddressType} address`,
            `set spec.addresses to [{type: ${contract.frontendAddressType}, value: ${frontend ?? '<the frontend the Bicep creates>'}}]`,
          ),
        );
      return found;
    });
}

export function checkGatewayRules(files: Files): Finding[] {
  const docs = parseYamlFiles(files, isGitOps);
  return [...routeParents(docs), ...gatewayClasses(files, docs), ...albGateways(files, docs)];
}
