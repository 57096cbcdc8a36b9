// Who writes the environment vault's data plane. Structural types, so the plan builder can ask before the plan exists.

/**
 * The admin groups write the secrets team workloads mount: Key Vault Secrets Officer on the environment vault, which
 * is private, so they write from a network that reaches its private endpoint. Needs the groups' object IDs.
 */
export function secretsOfficers(plan: {
  components: { entraId: boolean };
  answers: { identity: { adminGroupObjectIds: readonly string[] } };
}): boolean {
  return plan.components.entraId && plan.answers.identity.adminGroupObjectIds.length > 0;
}
