// Facts about Application Gateway for Containers that both the answers' validation and the plan's ingress contract
// (src/plan/ingress.ts) rest on, each with the document it comes from.

const AGC_DOCS = 'https://learn.microsoft.com/azure/application-gateway/for-containers';

/**
 * The association subnet: delegated to the traffic controller resource type, with at least 256 addresses (/24 or
 * larger) for one association, and nothing else in it.
 */
export const AGC_SUBNET = {
  delegation: 'Microsoft.ServiceNetworking/trafficControllers',
  maximumPrefixLength: 24,
  sources: [
    `${AGC_DOCS}/application-gateway-for-containers-components`,
    `${AGC_DOCS}/quickstart-create-application-gateway-for-containers-byo-deployment`,
  ],
} as const;

/**
 * Network plugins AGC reaches pods with: Azure CNI (pod addresses in the VNet) and Azure CNI Overlay (AGC extends the
 * overlay routing domain to its subnet). Kubenet pod addresses are not routable from outside the nodes.
 * https://learn.microsoft.com/azure/application-gateway/for-containers/quickstart-deploy-application-gateway-for-containers-alb-controller-helm
 * https://learn.microsoft.com/azure/application-gateway/for-containers/container-networking
 */
export const AGC_NETWORK_PLUGINS = ['azure-cni-overlay', 'azure-cni'] as const;

/** Frontends get a public FQDN; private frontend addresses are not supported. */
export const AGC_FRONTEND_PUBLIC_ONLY = {
  public: true,
  source: `${AGC_DOCS}/application-gateway-for-containers-components`,
} as const;
