import type { Plan } from '../../plan/index.js';

// The topology as a Mermaid flowchart, derived from the plan: hub, spokes, subnets with CIDRs, clusters and pools.

function id(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

export function topologyDiagram(plan: Plan): string {
  const lines = ['flowchart LR'];
  const hub = plan.hub;
  if (hub.mode === 'create') {
    lines.push(`  subgraph hub["Hub ${hub.names!.virtualNetwork.value} (${hub.addressSpace})"]`);
    for (const subnet of hub.subnets) lines.push(`    ${id('hub', subnet.name)}["${subnet.name}<br/>${subnet.cidr}"]`);
    lines.push('  end');
  } else if (hub.mode === 'existing') {
    lines.push(`  hub["Existing hub VNet${hub.firewallPrivateIp ? `<br/>firewall ${hub.firewallPrivateIp}` : ''}"]`);
  }
  for (const env of plan.environments) {
    const spoke = id('spoke', env.name);
    lines.push(`  subgraph ${spoke}["${env.name}: ${env.names.virtualNetwork.value} (${env.addressSpace})"]`);
    for (const subnet of env.subnets)
      lines.push(`    ${id(env.name, subnet.role)}["${subnet.name}<br/>${subnet.cidr}"]`);
    const cluster = id(env.name, 'aks');
    const pools = plan.components.automatic
      ? 'AKS Automatic: managed system nodes, node auto-provisioning'
      : env.pools
          .map((p) => `${p.name}: ${p.vmSize} ${p.minCount}-${p.maxCount}${p.spot ? ' spot' : ''}`)
          .join('<br/>');
    lines.push(
      `    ${cluster}{{"${env.names.cluster.value}${plan.components.privateCluster ? ' (private)' : ''}<br/>${pools}"}}`,
    );
    lines.push('  end');
    lines.push(`  ${cluster} --- ${id(env.name, 'nodes')}`);
    if (hub.mode !== 'none') lines.push(`  ${spoke} <-->|peering| hub`);
    if (plan.components.egressThroughFirewall) {
      lines.push(
        `  ${id(env.name, 'nodes')} -.->|0.0.0.0/0| ${hub.mode === 'create' ? id('hub', 'AzureFirewallSubnet') : 'hub'}`,
      );
    }
  }
  const arc = plan.clusters.filter((c) => c.kind === 'arc');
  if (arc.length > 0) {
    lines.push('  subgraph arc["Azure Arc-enabled clusters (connected, not created here)"]');
    for (const c of arc)
      lines.push(`    ${id('arc', c.entryPoint)}{{"${c.clusterName} (${c.distribution})<br/>${c.resourceGroup}"}}`);
    lines.push('  end');
    for (const c of arc)
      lines.push(`  ${id('arc', c.entryPoint)} -.->|${c.environment} overlays| ${id('spoke', c.environment)}`);
  }
  if (plan.fleet) {
    const stages = plan.fleet.stages.map((s) => s.name).join(' → ');
    lines.push(`  fleet[["Fleet Manager ${plan.fleet.name}<br/>stages: ${stages}"]]`);
    for (const m of plan.fleet.members) lines.push(`  fleet -->|group ${m.group}| ${id(m.name, 'aks')}`);
  }
  return lines.join('\n');
}
