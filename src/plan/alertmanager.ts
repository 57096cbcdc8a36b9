import type { Answers } from '../answers/schema.js';
import { PLATFORM_SERVICE_ACCOUNTS } from './service-accounts.js';

// Alertmanager of the oss stack (kube-prometheus-stack): where its alerts go. The chart's own configuration sends
// every alert to a receiver named "null"; the platform replaces it with one email receiver for
// observability.alertEmails, through the answered mail server, with the chart's inhibition rules and its silencing
// of the alerts that fire by design. A mail server that needs a sign-in gets its password from Key Vault, mounted by
// the Secrets Store CSI driver with Alertmanager's workload identity; the Bicep module and the manifests meet here.
// https://prometheus.io/docs/alerting/latest/configuration/#email_config
// https://github.com/prometheus-community/helm-charts/blob/main/charts/kube-prometheus-stack/values.yaml

export const ALERTMANAGER_SMTP = {
  /** The service account the chart creates for Alertmanager (alertmanager.serviceAccount.name), federated in Bicep. */
  serviceAccount: PLATFORM_SERVICE_ACCOUNTS.alertmanager,
  secretProviderClass: 'alertmanager-smtp',
  /** Key Vault secret name, and the file name under mountPath. */
  secret: 'alertmanager-smtp-password',
  /** The pipeline secret (and deploy-step environment variable) holding the password. */
  passwordVariable: 'ALERTMANAGER_SMTP_PASSWORD',
  volume: 'smtp-password',
  mountPath: '/mnt/secrets-store/alertmanager-smtp',
  receiver: 'platform-email',
} as const;

/**
 * Alerts that fire by design and notify nobody: Watchdog proves the pipeline works (a dead man's switch watches it
 * from outside, if anyone), InfoInhibitor only silences info alerts. The chart's default route does the same.
 */
export const SILENT_ALERTS = ['Watchdog', 'InfoInhibitor'] as const;

/** Alertmanager emails the alert addresses: the oss stack, a mail server and a sender, someone to notify. */
export function alertmanagerEmail(answers: Answers): boolean {
  const { observability } = answers;
  return (
    observability.stack === 'oss' &&
    observability.smtp.smarthost !== undefined &&
    observability.smtp.from !== undefined &&
    observability.alertEmails.length > 0
  );
}

/** The Alertmanager configuration (the chart's alertmanager.config) that routes every alert to the email receiver. */
export function alertmanagerConfig(
  smtp: { smarthost: string; from: string; username: string | undefined },
  to: readonly string[],
): Record<string, unknown> {
  return {
    global: {
      resolve_timeout: '5m',
      smtp_smarthost: smtp.smarthost,
      smtp_from: smtp.from,
      smtp_require_tls: true,
      ...(smtp.username !== undefined
        ? {
            smtp_auth_username: smtp.username,
            smtp_auth_password_file: `${ALERTMANAGER_SMTP.mountPath}/${ALERTMANAGER_SMTP.secret}`,
          }
        : {}),
    },
    // The chart's inhibition rules: a critical alert hides the warning and info alerts of the same name and namespace.
    inhibit_rules: [
      {
        source_matchers: ['severity = critical'],
        target_matchers: ['severity =~ warning|info'],
        equal: ['namespace', 'alertname'],
      },
      {
        source_matchers: ['severity = warning'],
        target_matchers: ['severity = info'],
        equal: ['namespace', 'alertname'],
      },
      { source_matchers: ['alertname = InfoInhibitor'], target_matchers: ['severity = info'], equal: ['namespace'] },
      { target_matchers: ['alertname = InfoInhibitor'] },
    ],
    route: {
      receiver: ALERTMANAGER_SMTP.receiver,
      group_by: ['alertname', 'cluster', 'namespace'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '12h',
      routes: SILENT_ALERTS.map((alert) => ({ receiver: 'null', matchers: [`alertname = "${alert}"`] })),
    },
    receivers: [
      { name: 'null' },
      { name: ALERTMANAGER_SMTP.receiver, email_configs: [{ to: to.join(', '), send_resolved: true }] },
    ],
    templates: ['/etc/alertmanager/config/*.tmpl'],
  };
}
