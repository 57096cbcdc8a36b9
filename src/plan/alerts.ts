import type { Plan } from './index.js';

// Alerting of each environment: an action group of the answered addresses, the recording rules managed Prometheus
// needs for the AKS dashboards (the portal and `az aks` create them; a Bicep deployment must), the platform's alert
// rules, and the AKS events. Deploy-time contracts as data, each row citing its source.

const RECORDING_RULES_SOURCE =
  'https://learn.microsoft.com/azure/azure-monitor/containers/prometheus-metrics-scrape-default#recording-rules';
const RECOMMENDED_ALERTS_SOURCE = 'https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-metric-alerts';

export interface RecordingRule {
  record: string;
  expression: string;
  labels?: Record<string, string>;
}

export interface RecordingRuleGroup {
  /** The name prefix Azure uses, so the dashboards and a later `az aks update` find the same groups. */
  prefix: string;
  description: string;
  source: string;
  rules: readonly RecordingRule[];
}

const owner = (kind: string, workloadType: string): RecordingRule => ({
  record: 'namespace_workload_pod:kube_pod_owner:relabel',
  expression: `max by (cluster, namespace, workload, pod) (  label_replace(    kube_pod_owner{job="kube-state-metrics", owner_kind="${kind}"},    "workload", "$1", "owner_name", "(.*)"  ))`,
  labels: { workload_type: workloadType },
});

const activePods =
  '* on(namespace, pod, cluster) group_left() max by (namespace, pod, cluster) (kube_pod_status_phase{phase=~"Pending|Running"} == 1)';
const resourceRules = (kind: 'requests' | 'limits'): RecordingRule[] =>
  (['memory', 'cpu'] as const).flatMap((resource) => [
    {
      record: `cluster:namespace:pod_${resource}:active:kube_pod_container_resource_${kind}`,
      expression: `kube_pod_container_resource_${kind}{resource="${resource}",job="kube-state-metrics"} ${activePods}`,
    },
    {
      record: `namespace_${resource}:kube_pod_container_resource_${kind}:sum`,
      expression: `sum by (namespace, cluster) (sum by (namespace, pod, cluster) (max by (namespace, pod, container, cluster) (kube_pod_container_resource_${kind}{resource="${resource}",job="kube-state-metrics"}) ${activePods}))`,
    },
  ]);

const containerMemory = (metric: string): RecordingRule => ({
  record: `node_namespace_pod_container:container_memory_${metric}`,
  expression: `container_memory_${metric}{job="cadvisor", image!=""} * on (namespace, pod) group_left(node) topk by(namespace, pod) (1, max by(namespace, pod, node) (kube_pod_info{node!=""}))`,
});

/** The Linux recording rule groups Azure creates when managed Prometheus is enabled from the portal or the CLI. */
export const RECORDING_RULE_GROUPS: readonly RecordingRuleGroup[] = [
  {
    prefix: 'NodeRecordingRulesRuleGroup',
    description: 'Node Recording Rules RuleGroup',
    source: RECORDING_RULES_SOURCE,
    rules: [
      {
        record: 'instance:node_num_cpu:sum',
        expression: 'count without (cpu, mode) (node_cpu_seconds_total{job="node",mode="idle"})',
      },
      {
        record: 'instance:node_cpu_utilisation:rate5m',
        expression:
          '1 - avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{job="node", mode=~"idle|iowait|steal"}[5m])))',
      },
      {
        record: 'instance:node_load1_per_cpu:ratio',
        expression: '(node_load1{job="node"} / instance:node_num_cpu:sum{job="node"})',
      },
      {
        record: 'instance:node_memory_utilisation:ratio',
        expression:
          '1 - ((node_memory_MemAvailable_bytes{job="node"} or (node_memory_Buffers_bytes{job="node"} + node_memory_Cached_bytes{job="node"} + node_memory_MemFree_bytes{job="node"} + node_memory_Slab_bytes{job="node"})) / node_memory_MemTotal_bytes{job="node"})',
      },
      { record: 'instance:node_vmstat_pgmajfault:rate5m', expression: 'rate(node_vmstat_pgmajfault{job="node"}[5m])' },
      {
        record: 'instance_device:node_disk_io_time_seconds:rate5m',
        expression: 'rate(node_disk_io_time_seconds_total{job="node", device!=""}[5m])',
      },
      {
        record: 'instance_device:node_disk_io_time_weighted_seconds:rate5m',
        expression: 'rate(node_disk_io_time_weighted_seconds_total{job="node", device!=""}[5m])',
      },
      ...(['receive_bytes', 'transmit_bytes', 'receive_drop', 'transmit_drop'] as const).map((metric) => ({
        record: `instance:node_network_${metric}_excluding_lo:rate5m`,
        expression: `sum without (device) (rate(node_network_${metric}_total{job="node", device!="lo"}[5m]))`,
      })),
    ],
  },
  {
    prefix: 'KubernetesRecordingRulesRuleGroup',
    description: 'Kubernetes Recording Rules RuleGroup',
    source: RECORDING_RULES_SOURCE,
    rules: [
      {
        record: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate',
        expression:
          'sum by (cluster, namespace, pod, container) (irate(container_cpu_usage_seconds_total{job="cadvisor", image!=""}[5m])) * on (cluster, namespace, pod) group_left(node) topk by (cluster, namespace, pod) (1, max by(cluster, namespace, pod, node) (kube_pod_info{node!=""}))',
      },
      containerMemory('working_set_bytes'),
      containerMemory('rss'),
      containerMemory('cache'),
      containerMemory('swap'),
      ...resourceRules('requests'),
      ...resourceRules('limits'),
      {
        record: 'namespace_workload_pod:kube_pod_owner:relabel',
        expression:
          'max by (cluster, namespace, workload, pod) (label_replace(label_replace(kube_pod_owner{job="kube-state-metrics", owner_kind="ReplicaSet"}, "replicaset", "$1", "owner_name", "(.*)") * on(replicaset, namespace) group_left(owner_name) topk by(replicaset, namespace) (1, max by (replicaset, namespace, owner_name) (kube_replicaset_owner{job="kube-state-metrics"})), "workload", "$1", "owner_name", "(.*)"))',
        labels: { workload_type: 'deployment' },
      },
      owner('DaemonSet', 'daemonset'),
      owner('StatefulSet', 'statefulset'),
      owner('Job', 'job'),
      {
        record: ':node_memory_MemAvailable_bytes:sum',
        expression:
          'sum(node_memory_MemAvailable_bytes{job="node"} or (node_memory_Buffers_bytes{job="node"} + node_memory_Cached_bytes{job="node"} + node_memory_MemFree_bytes{job="node"} + node_memory_Slab_bytes{job="node"})) by (cluster)',
      },
      {
        record: 'cluster:node_cpu:ratio_rate5m',
        expression:
          'sum(rate(node_cpu_seconds_total{job="node",mode!="idle",mode!="iowait",mode!="steal"}[5m])) by (cluster) / count(sum(node_cpu_seconds_total{job="node"}) by (cluster, instance, cpu)) by (cluster)',
      },
    ],
  },
];

export interface AlertRule {
  alert: string;
  /** What the alert is for, in the words of the issue it answers: node not ready, restarts, pressure, deployments. */
  concern: 'node-not-ready' | 'pod-restarts' | 'cpu-pressure' | 'memory-pressure' | 'failed-deployments';
  expression: string;
  /** ISO 8601 duration the condition must hold. */
  for: string;
  /** Azure Monitor severity, 0 (critical) to 4 (verbose). */
  severity: number;
  description: string;
  source: string;
}

/**
 * The platform's alert rules, from Microsoft's recommended Prometheus alerts for AKS (cluster, node and pod level),
 * reading only metrics managed Prometheus collects by default (the ones its recording rules and recommended alerts
 * use); node pressure reads the same kube_node_status_condition series as the node readiness rule.
 * kube-prometheus-stack ships the community rules these derive from (KubeNodeNotReady, KubePodCrashLooping,
 * KubeDeploymentReplicasMismatch and the node-exporter rules), so the open-source stack has their equivalents.
 */
export const ALERT_RULES: readonly AlertRule[] = [
  {
    alert: 'KubeNodeUnreachable',
    concern: 'node-not-ready',
    expression:
      '(kube_node_spec_taint{job="kube-state-metrics",key="node.kubernetes.io/unreachable",effect="NoSchedule"} unless ignoring(key,value) kube_node_spec_taint{job="kube-state-metrics",key=~"ToBeDeletedByClusterAutoscaler|cloud.google.com/impending-node-termination|aws-node-termination-handler/spot-itn"}) == 1',
    for: 'PT15M',
    severity: 3,
    description: 'A node is unreachable: its workloads are being rescheduled.',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
  {
    alert: 'KubeNodeNotReady',
    concern: 'node-not-ready',
    expression:
      'sum by (cluster, node) (kube_node_status_condition{job="kube-state-metrics",condition="Ready",status!="true",node!=""}) > 0',
    for: 'PT15M',
    severity: 3,
    description: 'A node has not been Ready for 15 minutes.',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
  {
    alert: 'KubePodContainerRestart',
    concern: 'pod-restarts',
    expression:
      'sum by (namespace, controller, container, cluster) (increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[1h]) * on(namespace, pod, cluster) group_left(controller) label_replace(kube_pod_owner, "controller", "$1", "owner_name", "(.*)")) > 0',
    for: 'PT15M',
    severity: 4,
    description: 'A container restarted in the last hour.',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
  {
    alert: 'KubePodCrashLooping',
    concern: 'pod-restarts',
    expression:
      'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1',
    for: 'PT15M',
    severity: 3,
    description: 'A container is in CrashLoopBackOff.',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
  {
    alert: 'KubeNodeCPUUsageHigh',
    concern: 'cpu-pressure',
    expression: '(1 - avg by (cluster, instance) (rate(node_cpu_seconds_total{job="node", mode="idle"}[5m]))) > 0.8',
    for: 'PT15M',
    severity: 3,
    description: 'A node has used more than 80% of its CPU for 15 minutes.',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
  {
    alert: 'KubeContainerAverageCPUHigh',
    concern: 'cpu-pressure',
    expression:
      'sum (rate(container_cpu_usage_seconds_total{image!="", container!="POD"}[5m])) by (pod,cluster,container,namespace) / sum(container_spec_cpu_quota{image!="", container!="POD"}/container_spec_cpu_period{image!="", container!="POD"}) by (pod,cluster,container,namespace) > .95',
    for: 'PT5M',
    severity: 4,
    description: 'A container uses more than 95% of its CPU limit (it is being throttled).',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
  {
    alert: 'KubeNodeMemoryUsageHigh',
    concern: 'memory-pressure',
    expression:
      '1 - avg by (cluster, instance) (node_memory_MemAvailable_bytes{job="node"}) / avg by (cluster, instance) (node_memory_MemTotal_bytes{job="node"}) > 0.8',
    for: 'PT15M',
    severity: 3,
    description: 'A node has used more than 80% of its memory for 15 minutes.',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
  {
    alert: 'KubeNodePressure',
    concern: 'memory-pressure',
    expression:
      'sum by (cluster, node, condition) (kube_node_status_condition{job="kube-state-metrics",condition=~"MemoryPressure|DiskPressure|PIDPressure",status="true"}) > 0',
    for: 'PT10M',
    severity: 3,
    description: 'A node reports memory, disk or PID pressure: the kubelet is evicting pods.',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
  {
    alert: 'KubeContainerAverageMemoryHigh',
    concern: 'memory-pressure',
    expression:
      'avg by (namespace, controller, container, cluster) (((container_memory_working_set_bytes{container!="", image!="", container!="POD"} / on(namespace,cluster,pod,container) group_left kube_pod_container_resource_limits{resource="memory", node!=""}) * on(namespace, pod, cluster) group_left(controller) label_replace(kube_pod_owner, "controller", "$1", "owner_name", "(.*)")) > .95)',
    for: 'PT10M',
    severity: 4,
    description: 'A container uses more than 95% of its memory limit (it is about to be OOM-killed).',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
  {
    alert: 'KubeDeploymentReplicasMismatch',
    concern: 'failed-deployments',
    expression:
      '(kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"}) and (changes(kube_deployment_status_replicas_updated{job="kube-state-metrics"}[10m]) == 0)',
    for: 'PT15M',
    severity: 3,
    description: 'A deployment has had fewer available replicas than desired for 15 minutes, with no progress.',
    source: RECOMMENDED_ALERTS_SOURCE,
  },
];

/**
 * The events AKS publishes to an Event Grid system topic of type Microsoft.ContainerService.ManagedClusters.
 * https://learn.microsoft.com/azure/event-grid/event-schema-aks
 */
export const AKS_EVENT_TYPES = [
  'Microsoft.ContainerService.NewKubernetesVersionAvailable',
  'Microsoft.ContainerService.ClusterSupportEnding',
  'Microsoft.ContainerService.ClusterSupportEnded',
  'Microsoft.ContainerService.NodePoolRollingStarted',
  'Microsoft.ContainerService.NodePoolRollingSucceeded',
  'Microsoft.ContainerService.NodePoolRollingFailed',
] as const;

/**
 * Event Grid cannot hand AKS events to an action group: its Azure Monitor alert destination takes Key Vault (and
 * Health Resources) events only. What AKS documents for notifying an action group of its maintenance is the
 * communication manager: a log search alert over Azure Resource Graph's containerserviceeventresources table, whose
 * managed identity reads the cluster's resource group. It covers the auto-upgrade and node OS upgrade runs in the
 * maintenance window (scheduled, started, completed, canceled, failed) and sends notices a week and a day ahead.
 */
export const UPGRADE_NOTIFICATIONS = {
  source: 'https://learn.microsoft.com/azure/aks/aks-communication-manager',
  monitorAlertDestination: 'https://learn.microsoft.com/azure/event-grid/handler-azure-monitor-alerts',
  /** Evaluation every 30 minutes, as the communication manager prescribes. */
  frequency: 'PT30M',
  /** Aggregation granularity: 30 minutes. */
  window: 'PT30M',
  /** The documented query, with {clusterId} and {upgradeType} filled in by the deployment. */
  query: [
    'arg("").containerserviceeventresources',
    '| where type == "microsoft.containerservice/managedclusters/scheduledevents"',
    '| where id contains "{clusterId}"',
    '| where properties has "eventStatus"',
    '| extend status = substring(properties, indexof(properties, "eventStatus") + strlen("eventStatus") + 3, 50)',
    '| extend status = substring(status, 0, indexof(status, ",") - 1)',
    '| where status != ""',
    '| where properties has "eventDetails"',
    '| extend upgradeType = case(properties has "K8sVersionUpgrade", "K8sVersionUpgrade", properties has "NodeOSUpgrade", "NodeOSUpgrade", "")',
    '| extend details = parse_json(tostring(properties.eventDetails))',
    '| where properties has "lastUpdateTime"',
    '| extend eventTime = substring(properties, indexof(properties, "lastUpdateTime") + strlen("lastUpdateTime") + 3, 50)',
    '| extend eventTime = substring(eventTime, 0, indexof(eventTime, ",") - 1)',
    '| extend eventTime = todatetime(tostring(eventTime))',
    '| where eventTime >= ago(2h)',
    '| where upgradeType == "{upgradeType}"',
    '| project eventTime, upgradeType, status, properties, name, details',
    '| order by eventTime asc',
  ].join('\n'),
} as const;

/** Kinds of auto-upgrade the communication manager reports; one alert rule each when that channel is on. */
export function upgradeNotificationKinds(plan: Plan): ('K8sVersionUpgrade' | 'NodeOSUpgrade')[] {
  return [
    ...(plan.components.autoUpgradeWindow ? (['K8sVersionUpgrade'] as const) : []),
    ...(plan.components.nodeOsUpgradeWindow ? (['NodeOSUpgrade'] as const) : []),
  ];
}
