import { AUTOMATIC_CLUSTER, AUTOMATIC_SAFEGUARDS } from '../azure/aks-automatic.js';
import type { Files, Finding } from './finding.js';
import { get, isGitOps, lineOf, lineOfText, parseYamlFiles, type YamlDoc } from './rules.js';

// Rules for a repository whose cluster module declares the AKS Automatic SKU: what the rest of the repository may
// not assume about such a cluster. The facts come from the contract table in src/azure/aks-automatic.ts.

const AUTOMATIC_SKU = new RegExp(`sku:\\s*\\{\\s*name:\\s*'${AUTOMATIC_CLUSTER.sku.name}'`);

/** The Bicep file and line that declare the Automatic SKU, if any does. */
function automaticSku(files: Files): { file: string; line: number } | undefined {
  for (const [file, text] of files) {
    if (!file.startsWith('infra/') || !file.endsWith('.bicep') || !AUTOMATIC_SKU.test(text)) continue;
    return { file, line: lineOfText(text, AUTOMATIC_SKU) };
  }
  return undefined;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

const POD_SPEC = ['spec', 'template', 'spec'];

/** CPU in millicores and memory in MiB of a Kubernetes quantity; undefined when it cannot be read. */
function millicores(value: unknown): number | undefined {
  const text = String(value ?? '');
  if (/^\d+m$/.test(text)) return Number(text.slice(0, -1));
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  return undefined;
}

const MEMORY_UNITS: Record<string, number> = {
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  K: 1e3 / 2 ** 20,
  M: 1e6 / 2 ** 20,
  G: 1e9 / 2 ** 20,
};

function mebibytes(value: unknown): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(String(value ?? ''));
  if (!match) return undefined;
  return match[2] ? Number(match[1]) * MEMORY_UNITS[match[2]]! : Number(match[1]) / 2 ** 20;
}

/**
 * Deployment safeguards on an Automatic cluster refuse a team workload container without a readiness and a liveness
 * probe, or with the latest (or no) image tag, and raise requests below the minimums (which the team quota then
 * counts). The apps layer would stall in Flux with every later change behind it.
 */
function safeguards(sku: { file: string; line: number }, docs: YamlDoc[]): Finding[] {
  const findings: Finding[] = [];
  const { probes, minimum, source } = AUTOMATIC_SAFEGUARDS;
  for (const d of docs) {
    if (!d.file.startsWith('apps/') || !WORKLOAD_KINDS.includes(String(d.value.kind))) continue;
    const containers = get(d.value, [...POD_SPEC, 'containers']);
    if (!Array.isArray(containers)) continue;
    const name = `${String(d.value.kind)} ${String(get(d.value, ['metadata', 'namespace']))}/${String(get(d.value, ['metadata', 'name']))}`;
    containers.forEach((container: unknown, i) => {
      const at = [...POD_SPEC, 'containers', i];
      const containerName = String(get(container, ['name']));
      const missing = probes.filter((probe) => get(container, [probe]) === undefined);
      if (missing.length > 0) {
        findings.push({
          rule: 'automatic-safeguards',
          severity: 'error',
          file: d.file,
          line: lineOf(d, [...at, 'name']),
          message: `container ${containerName} of ${name} has no ${missing.join(' and ')}, and the cluster is AKS Automatic (${sku.file}:${sku.line}), whose deployment safeguards refuse it at admission (${source})`,
          fix: `add ${missing.join(' and ')} to the container, e.g. an httpGet on its port or an exec command`,
        });
      }
      const image = String(get(container, ['image']) ?? '');
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      if (!image.includes('@') && (tag === undefined || tag === 'latest')) {
        findings.push({
          rule: 'automatic-safeguards',
          severity: 'error',
          file: d.file,
          line: lineOf(d, [...at, 'image']),
          message: `container ${containerName} of ${name} uses ${tag ? 'the latest tag' : 'no tag'} (${image}), which the deployment safeguards of the AKS Automatic cluster (${sku.file}:${sku.line}) refuse (${source})`,
          fix: 'pin an explicit version tag (or a digest)',
        });
      }
      const cpu = millicores(get(container, ['resources', 'requests', 'cpu']));
      const memory = mebibytes(get(container, ['resources', 'requests', 'memory']));
      if ((cpu !== undefined && cpu < minimum.cpuMillicores) || (memory !== undefined && memory < minimum.memoryMiB)) {
        findings.push({
          rule: 'automatic-safeguards',
          severity: 'warning',
          file: d.file,
          line: lineOf(d, [...at, 'resources', 'requests']),
          message: `container ${containerName} of ${name} requests less than ${minimum.cpuMillicores}m CPU or ${minimum.memoryMiB}Mi memory; the deployment safeguards of the AKS Automatic cluster raise it at admission, and the namespace quota counts the raised value (${source})`,
          fix: `request at least ${minimum.cpuMillicores}m CPU and ${minimum.memoryMiB}Mi memory`,
        });
      }
    });
  }
  return findings;
}

/** An Automatic cluster cannot be stopped: its system nodes are AKS's. A pipeline that stops it fails every evening. */
function stopStart(sku: { file: string; line: number }, files: Files): Finding[] {
  const findings: Finding[] = [];
  for (const [file, text] of files) {
    if (!/^(\.github\/workflows|\.azure-pipelines)\/[^/]+\.ya?ml$/.test(file) || !/\baz aks stop\b/.test(text))
      continue;
    findings.push({
      rule: 'automatic-stop-start',
      severity: 'error',
      file,
      line: lineOfText(text, /\baz aks stop\b/),
      message: `stops the cluster, but it is AKS Automatic (${sku.file}:${sku.line}), which cannot be stopped: stopping a cluster with managed system node pools is unsupported (${AUTOMATIC_CLUSTER.sources.sku})`,
      fix: 'remove the stop/start pipeline (set environments.<n>.stopStart.enabled=false and regenerate), or use the Standard SKU',
    });
  }
  return findings;
}

/**
 * With egress through the firewall (outbound type userDefinedRouting), the subnet of AKS Automatic's managed system
 * nodes needs the same 0.0.0.0/0 route table as the node subnet, or the system nodes have no way out and the cluster
 * never becomes ready.
 */
function systemSubnetRoute(sku: { file: string; line: number }, files: Files): Finding[] {
  const udr = [...files].find(
    ([file, text]) => file.startsWith('infra/') && /outboundType:\s*'userDefinedRouting'/.test(text),
  );
  if (!udr) return [];
  for (const [file, text] of files) {
    if (!file.startsWith('infra/') || !file.endsWith('.bicep')) continue;
    const subnet = /name:\s*'snet-system-nodes'\s*\n\s*properties:\s*\{([\s\S]*?)\n {8}\}/.exec(text);
    if (!subnet || /routeTable:\s*\{/.test(subnet[1] ?? '')) continue;
    return [
      {
        rule: 'automatic-system-subnet',
        severity: 'error',
        file,
        line: lineOfText(text, /name:\s*'snet-system-nodes'\s*\n\s*properties:/),
        message: `snet-system-nodes has no route table, but the AKS Automatic cluster (${sku.file}:${sku.line}) sends egress through the firewall (userDefinedRouting, ${udr[0]}): its managed system nodes would have no way out (${AUTOMATIC_CLUSTER.sources.hostedSystemProfile})`,
        fix: 'attach the spoke route table (0.0.0.0/0 to the firewall) to snet-system-nodes, as snet-nodes has it',
      },
    ];
  }
  return [];
}

export function checkAutomaticRules(files: Files): Finding[] {
  const sku = automaticSku(files);
  if (!sku) return [];
  return [
    ...safeguards(sku, parseYamlFiles(files, isGitOps)),
    ...stopStart(sku, files),
    ...systemSubnetRoute(sku, files),
  ];
}
