import type { Plan } from './index.js';

/** @deprecated plan.components.vaultSecretsOfficers; kept for src/render/infra until its split lands (#19). */
export function secretsOfficers(plan: Plan): boolean {
  return plan.components.vaultSecretsOfficers;
}
