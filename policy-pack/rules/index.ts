/** Every rule of the pack, in README order. `index.ts` hands this list to `new PolicyPack`. */
import { namespaceDefaultDeny } from "./01-namespace-default-deny";
import { dnsEgressAllowed } from "./02-dns-egress-allowed";
import { clusterIssuerOnly } from "./03-cluster-issuer-only";
import { ingressTls } from "./04-ingress-tls";
import { noExposedServices } from "./05-no-exposed-services";
import { helmChartPinned } from "./06-helm-chart-pinned";
import { aksHardened } from "./07-aks-hardened";
import { noBroadAllows } from "./08-no-broad-allows";
import { requiredFlows } from "./09-required-flows";
import { workloadDefaultDeny } from "./10-workload-default-deny";
import { ingressHygiene } from "./11-ingress-hygiene";
import { dns01WorkloadIdentity } from "./12-dns01-workload-identity";
import { letsEncryptEnvironment } from "./13-letsencrypt-environment";
import { wildcardDns01 } from "./14-wildcard-dns01";
import { certManagerHa } from "./15-cert-manager-ha";
import { dnsRoleScope } from "./16-dns-role-scope";
import { expiryAlerts } from "./17-expiry-alerts";
import { letsEncryptRateLimits } from "./18-letsencrypt-rate-limits";
import type { PackPolicy } from "./lib/rule";

export const policies: readonly PackPolicy[] = [
    namespaceDefaultDeny,
    dnsEgressAllowed,
    clusterIssuerOnly,
    ingressTls,
    noExposedServices,
    helmChartPinned,
    aksHardened,
    noBroadAllows,
    requiredFlows,
    workloadDefaultDeny,
    ingressHygiene,
    dns01WorkloadIdentity,
    letsEncryptEnvironment,
    wildcardDns01,
    certManagerHa,
    dnsRoleScope,
    expiryAlerts,
    letsEncryptRateLimits,
];

export type { PackPolicy } from "./lib/rule";
