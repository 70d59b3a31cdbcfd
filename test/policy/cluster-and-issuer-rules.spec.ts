/**
 * Rules aks-hardened, dns01-workload-identity, letsencrypt-environment and cert-manager-ha in
 * detail: one finding per broken setting, each naming the setting and its fix.
 * Sources: AKS ManagedCluster properties (azure-native containerservice ManagedCluster: networkProfile,
 * disableLocalAccounts, aadProfile, securityProfile.workloadIdentity, oidcIssuerProfile);
 * cert-manager's AzureDNS solver reads managedIdentity.clientID, else a client secret, else the
 * kubelet identity (cert-manager.io/docs/configuration/acme/dns01/azuredns); the chart's
 * replicaCount defaults to 1 (cert-manager deploy/charts/cert-manager/values.yaml).
 */
import * as assert from "node:assert/strict";
import { DEFAULTS } from "../../policy-pack/config";
import { expectClean, expectViolations, k, resource, runRule, violations } from "./helpers";

describe("aks-hardened: each setting", () => {
    const good = {
        networkProfile: { networkPolicy: "cilium" }, disableLocalAccounts: true, aadProfile: { enableAzureRBAC: true },
        securityProfile: { workloadIdentity: { enabled: true } }, oidcIssuerProfile: { enabled: true },
    };
    const aks = (props: Record<string, unknown>) => resource("azure-native:containerservice:ManagedCluster", "aks", props);
    it("all set: clean", async () => expectClean(await runRule("aks-hardened", [aks(good)])));
    const broken: [string, Record<string, unknown>, string, string][] = [
        ["network policy none, in any case", { networkProfile: { networkPolicy: "None" } }, "no network policy engine", "set networkProfile.networkPolicy: cilium"],
        ["network policy empty", { networkProfile: { networkPolicy: "" } }, "no network policy engine (networkProfile.networkPolicy is missing or none), so every NetworkPolicy is silently ignored", "set networkProfile.networkPolicy: cilium (with networkDataplane: cilium and networkPlugin: azure)"],
        ["local accounts", { disableLocalAccounts: false }, "local accounts are enabled (a static admin credential bypasses Entra ID)", "set disableLocalAccounts: true"],
        ["Azure RBAC", { aadProfile: { enableAzureRBAC: false } }, "Azure RBAC for Kubernetes authorization is off", "set aadProfile: { managed: true, enableAzureRBAC: true }"],
        ["workload identity", { securityProfile: {} }, "workload identity is off", "set securityProfile.workloadIdentity.enabled: true"],
        ["OIDC issuer", { oidcIssuerProfile: { enabled: false } }, "the OIDC issuer is off (workload identity federation needs it)", "set oidcIssuerProfile.enabled: true"],
    ];
    for (const [what, change, problem, fix] of broken) {
        it(what, async () => expectViolations(await runRule("aks-hardened", [aks({ ...good, ...change })]), 1, `: ${problem}`, `Fix: ${fix}`));
    }
    it("every broken setting is its own finding", async () => expectViolations(await runRule("aks-hardened", [aks({})]), 5));
});

describe("dns01-workload-identity: each solver", () => {
    const azureDNS = (auth: Record<string, unknown>) => ({ dns01: { azureDNS: { subscriptionID: "s", resourceGroupName: "rg", hostedZoneName: "example.com", ...auth } } });
    const issuer = (solvers: unknown[]) => k.clusterIssuer("le", { acme: { server: "https://acme-staging-v02.api.letsencrypt.org/directory", solvers } });
    const wi = { managedIdentity: { clientID: "11111111-2222-3333-4444-555555555555" } };
    it("workload identity, beside an http01 solver: clean", async () => expectClean(await runRule("dns01-workload-identity", [issuer([{ http01: {} }, azureDNS(wi)])])));
    it("a client secret, named by the solver's index", async () => {
        expectViolations(await runRule("dns01-workload-identity", [issuer([{ http01: {} }, azureDNS({ ...wi, clientSecretSecretRef: { name: "s", key: "k" } })])]), 1,
            "solvers[1].dns01.azureDNS authenticates with a service principal secret (clientID/clientSecretSecretRef)",
            "Fix: set solvers[1].dns01.azureDNS.managedIdentity.clientID to cert-manager's workload identity client id");
        expectViolations(await runRule("dns01-workload-identity", [issuer([azureDNS({ ...wi, clientID: "x" })])]), 1, "service principal secret");
    });
    it("an identity by resourceID, or none (the kubelet's)", async () => {
        expectViolations(await runRule("dns01-workload-identity", [issuer([azureDNS({ managedIdentity: { resourceID: "/subscriptions/s/id" } })])]), 1, "solvers[0].dns01.azureDNS names the identity by resourceID (AAD pod identity)");
        expectViolations(await runRule("dns01-workload-identity", [issuer([azureDNS({})])]), 1, "has no managedIdentity.clientID, so cert-manager falls back to the kubelet (node) identity");
        expectViolations(await runRule("dns01-workload-identity", [issuer([azureDNS({ managedIdentity: {} })])]), 1, "has no managedIdentity.clientID, so cert-manager falls back to the kubelet (node) identity");
    });
    it("namespaced Issuers too", async () => {
        expectViolations(await runRule("dns01-workload-identity", [k.issuer("a", "le", { acme: { solvers: [azureDNS({})] } })]), 1, "Issuer a/le");
    });
});

describe("letsencrypt-environment: findings", () => {
    const [PROD, STAGING] = [DEFAULTS.letsEncryptProductionServers[0], DEFAULTS.letsEncryptStagingServers[0]];
    const stackOf = (stack: string, server: string) => [
        k.clusterIssuer("le", { acme: { server, solvers: [] } }, stack),
        k.certificate("a", "c", { secretName: "s", dnsNames: ["x.example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } }, stack),
    ];
    it("production outside prod: names the issuer and the stack, and the staging server to use", async () => {
        expectViolations(await runRule("letsencrypt-environment", stackOf("dev", PROD)), 1,
            `issues from Let's Encrypt production (ClusterIssuer le) in a non-prod stack (stack name "dev")`, `Fix: use the staging ClusterIssuer (server ${STAGING}) outside prod`);
    });
    it("staging in prod: browsers do not trust it", async () => {
        expectViolations(await runRule("letsencrypt-environment", stackOf("prod", STAGING)), 1,
            `issues from Let's Encrypt staging (ClusterIssuer le) in a prod stack (stack name "prod"); browsers do not trust it`, `Fix: use the production ClusterIssuer (server ${PROD}) in prod`);
    });
    it("the environment setting overrides the stack name", async () => {
        expectViolations(await runRule("letsencrypt-environment", stackOf("dev", STAGING), { environment: "production" }), 1, `in a prod stack (config environment "production")`);
    });
    it("an empty stack has nothing to judge", async () => expectClean(await runRule("letsencrypt-environment", [])));
    it("the right server, or another ACME server, passes", async () => {
        expectClean(await runRule("letsencrypt-environment", stackOf("dev", STAGING)));
        expectClean(await runRule("letsencrypt-environment", stackOf("prod", PROD)));
        expectClean(await runRule("letsencrypt-environment", stackOf("dev", "https://acme.zerossl.com/v2/DV90")));
    });
});

describe("cert-manager-ha: each component", () => {
    const rel = (values: Record<string, unknown>, stack = "prod", chart = "cert-manager") => k.release("cert-manager", { chart, namespace: "cert-manager", version: "v1.19.1", values }, stack);
    const pdb = { podDisruptionBudget: { enabled: true } };
    it("no replicaCount is the chart default of one, for the controller and the webhook", async () => {
        const r = await runRule("cert-manager-ha", [rel({ ...pdb, webhook: pdb })]);
        expectViolations(r, 2, "replica (chart default) in prod");
        const messages = violations(r).map((v) => v.message).join("\n");
        assert.match(messages, /cert-manager controller runs 1 replica \(chart default\) in prod\. Fix: set values\.replicaCount: 2 or more/);
        assert.match(messages, /cert-manager webhook runs 1 replica \(chart default\) in prod\. Fix: set values\.webhook\.replicaCount: 2 or more/);
    });
    it("a replica count given as a string counts by its number", async () => {
        expectClean(await runRule("cert-manager-ha", [rel({ replicaCount: "3", ...pdb, webhook: { replicaCount: 2, ...pdb } })]));
        expectViolations(await runRule("cert-manager-ha", [rel({ replicaCount: 1, ...pdb, webhook: { replicaCount: 2, ...pdb } })]), 1, "cert-manager controller runs 1 replica(s) in prod");
    });
    it("the webhook's PodDisruptionBudget: its own path in the fix", async () => {
        expectViolations(await runRule("cert-manager-ha", [rel({ replicaCount: 2, ...pdb, webhook: { replicaCount: 2 } })]), 1,
            "cert-manager webhook has no PodDisruptionBudget in prod", "Fix: set values.webhook.podDisruptionBudget.enabled: true (with minAvailable: 1)");
    });
    it("with a minimum of one, the chart default is enough", async () => {
        const r = await runRule("cert-manager-ha", [rel({})], { certManagerMinReplicas: 1 });
        expectViolations(r, 2, "has no PodDisruptionBudget");
    });
    it("the minimum is configurable; other charts are not judged", async () => {
        const two = { replicaCount: 2, ...pdb, webhook: { replicaCount: 2, ...pdb } };
        expectViolations(await runRule("cert-manager-ha", [rel(two)], { certManagerMinReplicas: 3 }), 2, "set values.");
        expectClean(await runRule("cert-manager-ha", [rel({}, "prod", "oci://x/other")]));
    });
});
