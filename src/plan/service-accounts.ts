/**
 * Kubernetes service accounts of the platform's own workload identities; the GitOps manifests annotate these
 * service accounts with the matching client ID variables.
 */
export const PLATFORM_SERVICE_ACCOUNTS = {
  grafana: { namespace: 'monitoring', serviceAccount: 'grafana' },
  // Reads its mail server password from Key Vault (src/plan/alertmanager.ts).
  alertmanager: { namespace: 'monitoring', serviceAccount: 'alertmanager' },
  filebeat: { namespace: 'logging', serviceAccount: 'filebeat' },
  // The platform Gateway's namespace: the application routing operator syncs its certificate and runs its
  // external-dns with this service account (src/plan/ingress.ts GATEWAY).
  ingress: { namespace: 'gateway-system', serviceAccount: 'gateway-tls' },
  // Application Gateway for Containers' ALB Controller: the namespace and service account of its Helm chart.
  alb: { namespace: 'azure-alb-system', serviceAccount: 'alb-controller-sa' },
} as const;
