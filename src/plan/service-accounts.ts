/**
 * Kubernetes service accounts of the platform's own workload identities; the GitOps manifests annotate these
 * service accounts with the matching client ID variables.
 */
export const PLATFORM_SERVICE_ACCOUNTS = {
  grafana: { namespace: 'monitoring', serviceAccount: 'grafana' },
  filebeat: { namespace: 'logging', serviceAccount: 'filebeat' },
} as const;
