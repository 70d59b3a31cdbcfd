/**
 * Each rule judges its own resource types only. A "lookalike" is a resource of another type (a
 * ConfigMap here) carrying the props of a judged kind: a rule must neither flag it nor let it stand
 * in for the real thing (a ConfigMap shaped like a default deny isolates nothing).
 */
import * as assert from "node:assert/strict";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { policies } from "../../policy-pack/rules";
import { expectClean, expectViolations, k, resource, runRule, violations } from "./helpers";

const asLookalike = (r: PlanResource): PlanResource => ({ ...r, type: "kubernetes:core/v1:ConfigMap", urn: r.urn.replace(/::[^:]+::([^:]+)$/, "::kubernetes:core/v1:ConfigMap::$1") });
const LE_PROD = "https://acme-v02.api.letsencrypt.org/directory";
const idUrn = "urn:pulumi:dev::aks-platform::azure-native:managedidentity:UserAssignedIdentity::cm";

/** One broken resource of every kind some rule judges (dev stack). */
const broken: PlanResource[] = [
    k.ingress("a", "w", { rules: [{ host: "*.example.org" }, {}], tls: [{ hosts: ["w.elsewhere.net"], secretName: "w" }] }, { "cert-manager.io/issuer": "local", "cert-manager.io/cluster-issuer": "le-prod", "nginx.org/server-snippets": "x" }),
    k.certificate("a", "c", { secretName: "c", dnsNames: ["*.example.com"], issuerRef: { name: "le-prod", kind: "ClusterIssuer" } }),
    k.certificate("a", "c2", { secretName: "c2", dnsNames: ["x.example.com"], issuerRef: { name: "le-prod", kind: "ClusterIssuer" } }),
    k.clusterIssuer("le-prod", { acme: { server: LE_PROD, solvers: [{ http01: {} }, { selector: { dnsZones: ["other.org"] }, dns01: { azureDNS: { clientID: "x", clientSecretSecretRef: { name: "s", key: "k" } } } }] } }),
    k.issuer("a", "local", { selfSigned: {} }),
    k.networkPolicy("a", "open", { podSelector: {}, ingress: [{}] }),
    k.service("a", "np", { type: "NodePort" }),
    k.release("cert-manager", { chart: "cert-manager", version: "v1.19.1", values: {} }, "prod"),
    k.release("chart", { chart: "nginx-ingress", version: "^1", values: { service: { type: "LoadBalancer" }, controller: { enableSnippets: true } } }),
    resource("azure-native:containerservice:ManagedCluster", "aks", { networkProfile: { networkPolicy: "none" } }),
    resource("azure-native:authorization:RoleAssignment", "ra", { principalId: "p", roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/befefa01-2a29-4197-83a8-272ff33ce314", scope: "/subscriptions/0000" }),
];

describe("rules judge their own types only", () => {
    const cfg = { letsEncryptCertificatesPerWeek: 1 };
    it("the broken resources are broken (so the lookalike checks below are not empty)", async () => {
        const quiet = ["dns-egress-allowed", "required-flows", "namespace-default-deny", "workload-default-deny", "expiry-alerts"];
        for (const p of policies.filter((x) => !quiet.includes(x.name))) {
            assert.ok(violations(await runRule(p.name, broken, cfg)).length > 0, `${p.name} finds nothing in the broken resources`);
        }
    });
    for (const p of policies) {
        it(`${p.name} ignores lookalikes of other types`, async () => expectClean(await runRule(p.name, broken.map(asLookalike), cfg)));
    }
});

describe("lookalikes never stand in for the real thing", () => {
    it("a lookalike default deny does not isolate a workload", async () => {
        expectViolations(await runRule("workload-default-deny", [k.deployment("a", "web", { app: "web" }), asLookalike(k.defaultDeny("a"))]), 1, "Deployment a/web");
    });
    it("a lookalike wildcard Certificate or controller release does not serve a secretless TLS host", async () => {
        const controller = k.release("ic", { chart: "oci://ghcr.io/nginx/charts/nginx-ingress", namespace: "nginx-ingress", values: { controller: { wildcardTLS: { secret: "nginx-ingress/wildcard-tls" } } } });
        const wildcard = k.certificate("nginx-ingress", "wildcard", { secretName: "wildcard-tls", dnsNames: ["*.example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } });
        const secretless = k.ingress("a", "w", { ingressClassName: "nginx", tls: [{ hosts: ["w.example.com"] }], rules: [{ host: "w.example.com" }] });
        expectClean(await runRule("ingress-tls", [controller, wildcard, secretless]));
        expectViolations(await runRule("ingress-tls", [asLookalike(controller), wildcard, secretless]), 1, "no secretName");
        expectViolations(await runRule("ingress-tls", [controller, asLookalike(wildcard), secretless]), 1, "no secretName");
    });
    it("a lookalike federated credential does not make an assignment cert-manager's", async () => {
        const fic = resource("azure-native:managedidentity:FederatedIdentityCredential", "fic", { subject: "system:serviceaccount:cert-manager:cm" }, "dev", { propertyDependencies: { resourceName: [idUrn] } });
        const ra = resource("azure-native:authorization:RoleAssignment", "ra", { principalId: "p", roleDefinitionId: "/r/custom", scope: "/subscriptions/0000" }, "dev", { propertyDependencies: { principalId: [idUrn] } });
        const identity = resource("azure-native:managedidentity:UserAssignedIdentity", "cm", { resourceName: "cm" });
        expectViolations(await runRule("dns-role-scope", [identity, fic, ra]), 1, "subscription");
        expectClean(await runRule("dns-role-scope", [identity, asLookalike(fic), ra]));
    });
    it("lookalike alert rules alert nobody", async () => {
        const cluster = resource("azure-native:containerservice:ManagedCluster", "aks", { azureMonitorProfile: { metrics: { enabled: true } } }, "prod");
        const metric = "certmanager_certificate_expiration_timestamp_seconds";
        const promRule = resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "certs", { metadata: { name: "certs", namespace: "m", labels: { release: "kps" } }, spec: { groups: [{ rules: [{ alert: "X", expr: metric }] }] } }, "prod");
        const group = resource("azure-native:alertsmanagement:PrometheusRuleGroup", "certs", { enabled: true, rules: [{ alert: "X", expression: metric, actions: [{ actionGroupId: "/ag" }] }] }, "prod");
        expectClean(await runRule("expiry-alerts", [cluster, promRule]));
        expectClean(await runRule("expiry-alerts", [cluster, group]));
        expectViolations(await runRule("expiry-alerts", [cluster, asLookalike(promRule), asLookalike(group)]), 1, "no alert on certificate expiry");
    });
});
