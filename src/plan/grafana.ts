// Grafana's admin login. kube-prometheus-stack ships a default one (admin / prom-operator); the output replaces it
// with credentials the deployment writes to the environment Key Vault, which the Secrets Store CSI driver syncs into
// the Secret the Grafana chart reads (admin.existingSecret). The Bicep module and the manifests meet here.

export const GRAFANA_ADMIN = {
  secretProviderClass: 'grafana-admin',
  /** The Kubernetes Secret the CSI driver syncs and the chart's admin.existingSecret names. */
  kubernetesSecret: 'grafana-admin',
  /** Key Vault secret names; also the keys of the Kubernetes Secret. */
  secrets: { user: 'grafana-admin-user', password: 'grafana-admin-password' },
  /** Not a credential: the account name, written to Key Vault next to the password. */
  user: 'platform-admin',
  /** The pipeline secret (and deploy-step environment variable) holding the password. */
  passwordVariable: 'GRAFANA_ADMIN_PASSWORD',
  mountPath: '/mnt/secrets-store/grafana-admin',
} as const;

/**
 * Charts that ship a default admin login, with the values that must replace it; `validate` (rule grafana-admin)
 * checks every release of these charts.
 */
export const DEFAULT_CREDENTIAL_CHARTS = [
  {
    chart: 'kube-prometheus-stack',
    component: 'grafana',
    defaultLogin: 'admin / prom-operator',
    source: 'https://github.com/prometheus-community/helm-charts/blob/main/charts/kube-prometheus-stack/values.yaml',
  },
] as const;

/**
 * Grafana runs only where its admin credentials can come from Key Vault: the CSI driver reads them with the Grafana
 * workload identity. Without either, Grafana is left out (an omission), never installed with a default login.
 */
export function grafanaAdminFromKeyVault(c: {
  ossObservability: boolean;
  keyVaultCsi: boolean;
  workloadIdentity: boolean;
}): boolean {
  return c.ossObservability && c.keyVaultCsi && c.workloadIdentity;
}
