/** Unit tests per rule on hand-built resources, including preview-time unknowns, through the engine. */
import * as fs from "fs";
import * as path from "path";
import * as assert from "node:assert/strict";
import { policies } from "../../policy-pack/rules";
import { coversAllAddresses } from "../../policy-pack/rules/08-no-broad-allows";
import { README_URL } from "../../policy-pack/config";
import { expectClean, expectUndecided, expectViolations, k, resource, runRule, simpleIngress, UNKNOWN, violations } from "./helpers";

const LE_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";
const LE_PROD = "https://acme-v02.api.letsencrypt.org/directory";

function acmeIssuer(name: string, server: string, solvers: unknown[], stack = "dev") {
    return k.clusterIssuer(name, { acme: { server, email: "a@example.com", privateKeySecretRef: { name: `${name}-key` }, solvers } }, stack);
}
const dns01 = (zone: string) => ({ selector: { dnsZones: [zone] }, dns01: { azureDNS: { subscriptionID: "s", resourceGroupName: "rg", hostedZoneName: zone, environment: "AzurePublicCloud", managedIdentity: { clientID: "11111111-2222-3333-4444-555555555555" } } } });
const http01 = { http01: { ingress: { ingressClassName: "nginx" } } };

describe("policy pack: rule metadata", () => {
    it("every rule has a unique kebab-case name, display name, description, enforcement level, severity, remediation and README anchor", () => {
        assert.equal(policies.length, 18);
        const names = new Set<string>();
        for (const p of policies) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(!names.has(p.name), `duplicate ${p.name}`);
            names.add(p.name);
            for (const field of [p.displayName, p.description, p.remediationSteps]) assert.ok(field.length > 10, `${p.name} metadata too short`);
            assert.ok(["advisory", "mandatory"].includes(p.enforcementLevel));
            assert.ok(["low", "medium", "high", "critical"].includes(p.severity));
            assert.equal(p.url, `${README_URL}#${p.name}`);
        }
    });
    it("rules 13-17 are advisory by default, the others mandatory, and prod's policy config makes each of them mandatory", () => {
        const advisory = policies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name);
        assert.deepEqual(advisory, ["letsencrypt-environment", "wildcard-dns01", "cert-manager-ha", "dns-role-scope", "expiry-alerts"]);
        const prodConfig = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policy-pack", "config", "prod.json"), "utf8")) as Record<string, { enforcementLevel?: string }>;
        for (const name of advisory) assert.equal(prodConfig[name]?.enforcementLevel, "mandatory", `${name} in policy-pack/config/prod.json`);
    });
});

describe("rule namespace-default-deny", () => {
    it("passes a namespace with a default deny", async () => expectClean(await runRule("namespace-default-deny", [k.namespace("a"), k.defaultDeny("a")])));
    it("flags a namespace without one, naming it and the fix", async () => {
        const [v] = expectViolations(await runRule("namespace-default-deny", [k.namespace("a"), k.defaultDeny("b")]), 1, "Namespace a", "Fix: add NetworkPolicy \"default-deny\" in namespace a");
        assert.equal(v.enforcementLevel, "mandatory");
        assert.equal(v.resourceName, "ns-a");
    });
    it("does not count a deny with only Ingress, a pod selector, or an allow rule", async () => {
        const r = await runRule("namespace-default-deny", [
            k.namespace("a"), k.networkPolicy("a", "d", { podSelector: {}, policyTypes: ["Ingress"] }),
            k.namespace("b"), k.networkPolicy("b", "d", { podSelector: { matchLabels: { x: "y" } }, policyTypes: ["Ingress", "Egress"] }),
            k.namespace("c"), k.networkPolicy("c", "d", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}] }),
        ]);
        expectViolations(r, 3, "has no default-deny");
    });
    it("skips exempt namespaces", async () => expectClean(await runRule("namespace-default-deny", [k.namespace("a")], { exemptNamespaces: ["a"] })));
    it("is undecided, naming the unknown path, when the only policy that could be the deny has an unknown selector", async () => {
        const r = await runRule("namespace-default-deny", [k.namespace("a"), k.networkPolicy("a", "d", { podSelector: UNKNOWN as unknown as object, policyTypes: ["Ingress", "Egress"] })]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "Namespace a", "NetworkPolicy a/d", ".spec.podSelector unknown");
    });
    it("is undecided, not violated, when a policy that could be the default deny has an unknown namespace", async () => {
        const deny = k.defaultDeny("a");
        (deny.props.metadata as Record<string, unknown>).namespace = UNKNOWN;
        const r = await runRule("namespace-default-deny", [k.namespace("a"), deny]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "Namespace a", ".metadata.namespace unknown");
    });
    it("an unknown-namespace policy whose known shape can never be a deny (an allow rule) does not hide a missing deny", async () => {
        const allow = k.networkPolicy("x", "allow", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ podSelector: {} }] }] });
        (allow.props.metadata as Record<string, unknown>).namespace = UNKNOWN;
        const selecting = k.networkPolicy("x", "some-pods", { podSelector: { matchLabels: { app: UNKNOWN } }, policyTypes: ["Ingress", "Egress"] });
        (selecting.props.metadata as Record<string, unknown>).namespace = UNKNOWN;
        const oneType = k.networkPolicy("x", "ingress-only", { podSelector: {}, policyTypes: ["Ingress"], egress: UNKNOWN });
        (oneType.props.metadata as Record<string, unknown>).namespace = UNKNOWN;
        expectViolations(await runRule("namespace-default-deny", [k.namespace("a"), allow, selecting, oneType]), 1, "Namespace a", "has no default-deny");
    });
    it("a known default deny settles its namespace whatever other policies leave unknown", async () => {
        const unknownSpec = k.networkPolicy("a", "u", {});
        unknownSpec.props.spec = UNKNOWN;
        expectClean(await runRule("namespace-default-deny", [k.namespace("a"), k.defaultDeny("a"), unknownSpec]));
    });
});

describe("rule workload-default-deny", () => {
    const dep = k.deployment("a", "web", { app: "web" });
    it("passes a workload under a namespace-wide deny", async () => expectClean(await runRule("workload-default-deny", [dep, k.defaultDeny("a")])));
    it("passes separate ingress and egress denies that select the pods", async () => expectClean(await runRule("workload-default-deny", [dep,
        k.networkPolicy("a", "i", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"] }),
        k.networkPolicy("a", "e", { podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] }, policyTypes: ["Egress"] })])));
    it("flags a workload whose namespace has no deny (also in a namespace the stack does not create)", async () => {
        expectViolations(await runRule("workload-default-deny", [dep, k.defaultDeny("b")]), 1, "Deployment a/web", "Ingress and Egress");
    });
    it("flags the missing direction only", async () => {
        expectViolations(await runRule("workload-default-deny", [dep, k.networkPolicy("a", "i", { podSelector: {}, policyTypes: ["Ingress"] })]), 1, "for Egress");
    });
    it("covers CronJob pod templates", async () => {
        const cron = resource("kubernetes:batch/v1:CronJob", "cj", { kind: "CronJob", metadata: { name: "cj", namespace: "a" }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: "cj" } }, spec: {} } } } } });
        expectViolations(await runRule("workload-default-deny", [cron]), 1, "CronJob a/cj");
    });
    it("is undecided when the workload's labels are unknown, naming the path", async () => {
        const d = k.deployment("a", "web", { app: UNKNOWN });
        expectUndecided(await runRule("workload-default-deny", [d]), "Deployment a/web", ".spec.template.metadata.labels.app");
    });
    it("a policy with an unknown namespace keeps only the directions it could deny undecided", async () => {
        const ingressOnly = k.networkPolicy("x", "i", { podSelector: {}, policyTypes: ["Ingress"] });
        (ingressOnly.props.metadata as Record<string, unknown>).namespace = UNKNOWN;
        const r = await runRule("workload-default-deny", [dep, ingressOnly]);
        expectViolations(r, 1, "for Egress");
        expectUndecided(r, "Deployment a/web", "Ingress: NetworkPolicy", ".metadata.namespace unknown");
    });
    it("a policy whose selector certainly misses the pods does not count, even with unknown parts", async () => {
        const other = k.networkPolicy("a", "other", { podSelector: { matchLabels: { app: "db", tier: UNKNOWN } }, policyTypes: ["Ingress", "Egress"] });
        expectViolations(await runRule("workload-default-deny", [dep, other]), 1, "Ingress and Egress");
    });
});

describe("rule cluster-issuer-only", () => {
    const ci = acmeIssuer("letsencrypt-staging", LE_STAGING, [dns01("example.com")]);
    it("passes certificates and ingresses that use a defined ClusterIssuer", async () => expectClean(await runRule("cluster-issuer-only", [ci,
        k.certificate("a", "c", { secretName: "s", dnsNames: ["x.example.com"], issuerRef: { name: "letsencrypt-staging", kind: "ClusterIssuer", group: "cert-manager.io" } }),
        simpleIngress("a", "web", "web.example.com")])));
    it("flags the cert-manager.io/issuer annotation", async () => {
        expectViolations(await runRule("cluster-issuer-only", [ci, simpleIngress("a", "web", "w.example.com", { annotations: { "cert-manager.io/issuer": "x" } })]), 1, "Ingress a/web", "cert-manager.io/issuer", "Fix: replace it with cert-manager.io/cluster-issuer");
    });
    it("flags a Certificate without kind ClusterIssuer (missing kind means Issuer)", async () => {
        expectViolations(await runRule("cluster-issuer-only", [ci, k.certificate("a", "c", { secretName: "s", issuerRef: { name: "letsencrypt-staging" } })]), 1, "Certificate a/c", "issuerRef.kind is not set");
    });
    it("flags an issuer the stack does not define, unless allowed", async () => {
        const cert = k.certificate("a", "c", { secretName: "s", issuerRef: { name: "corp-ca", kind: "ClusterIssuer" } });
        expectViolations(await runRule("cluster-issuer-only", [ci, cert]), 1, "\"corp-ca\"", "allowedIssuers");
        expectClean(await runRule("cluster-issuer-only", [ci, cert], { allowedIssuers: ["corp-ca"] }));
    });
    it("flags namespaced Issuers unless allowed", async () => {
        const iss = k.issuer("a", "local", { selfSigned: {} });
        expectViolations(await runRule("cluster-issuer-only", [iss]), 1, "Issuer a/local", "allowedNamespacedIssuers");
        expectClean(await runRule("cluster-issuer-only", [iss], { allowedNamespacedIssuers: ["a/*"] }));
    });
    it("is undecided on an unknown issuerRef", async () => {
        expectUndecided(await runRule("cluster-issuer-only", [ci, k.certificate("a", "c", { issuerRef: UNKNOWN })]), "Certificate a/c");
    });
});

describe("rule ingress-tls", () => {
    it("passes covered hosts, including by a wildcard TLS host", async () => {
        expectClean(await runRule("ingress-tls", [simpleIngress("a", "w", "w.example.com"),
            k.ingress("a", "x", { tls: [{ hosts: ["*.example.com"], secretName: "wild" }], rules: [{ host: "x.example.com" }] })]));
    });
    it("flags an Ingress without TLS", async () => {
        expectViolations(await runRule("ingress-tls", [simpleIngress("a", "w", "w.example.com", { tls: false })]), 1, "Ingress a/w", "host w.example.com is served without TLS", "Fix:");
    });
    it("flags a host another TLS entry does not cover, and a TLS entry without secretName", async () => {
        const r = await runRule("ingress-tls", [k.ingress("a", "x", { tls: [{ hosts: ["a.example.com"] }], rules: [{ host: "a.example.com" }, { host: "b.example.com" }] })]);
        expectViolations(r, 2);
        assert.ok(violations(r).some((f) => f.message.includes("no secretName")));
        assert.ok(violations(r).some((f) => f.message.includes("b.example.com is served without TLS")));
    });
    it("a wildcard TLS host does not cover a deeper name", async () => {
        expectViolations(await runRule("ingress-tls", [k.ingress("a", "x", { tls: [{ hosts: ["*.example.com"], secretName: "s" }], rules: [{ host: "a.b.example.com" }] })]), 1);
    });
    it("is undecided (advisory) when the rules are unknown", async () => {
        expectUndecided(await runRule("ingress-tls", [k.ingress("a", "x", { tls: [], rules: UNKNOWN })]), "Ingress a/x");
    });

    // F5 NGINX v5.5.4 (internal/configs/ingress.go, addSSLConfig) serves a secretless TLS host with -wildcard-tls-secret.
    const controller = (wildcardSecret: unknown, cls = "nginx") => k.release("nginx-ingress", {
        chart: "oci://ghcr.io/nginx/charts/nginx-ingress", namespace: "nginx-ingress",
        values: { controller: { ingressClass: { name: cls }, wildcardTLS: { secret: wildcardSecret } } },
    });
    const wildcardCert = k.certificate("nginx-ingress", "wildcard", { secretName: "wildcard-tls", dnsNames: ["*.example.com", "example.com"], issuerRef: { name: "le", kind: "ClusterIssuer" } });
    const secretless = (host: string, cls = "nginx") => k.ingress("a", "w", { ingressClassName: cls, tls: [{ hosts: [host] }], rules: [{ host }] });

    it("passes a secretless TLS host the controller's wildcard certificate covers", async () => {
        expectClean(await runRule("ingress-tls", [controller("nginx-ingress/wildcard-tls"), wildcardCert, secretless("w.example.com")]));
    });
    it("flags a secretless TLS host when the controller serves no wildcard, or one that does not cover it, or of another class", async () => {
        expectViolations(await runRule("ingress-tls", [secretless("w.example.com")]), 1, "no secretName", "no ingress controller of class nginx");
        expectViolations(await runRule("ingress-tls", [controller(""), wildcardCert, secretless("w.example.com")]), 1, "no secretName");
        expectViolations(await runRule("ingress-tls", [controller("nginx-ingress/wildcard-tls"), wildcardCert, secretless("a.b.example.com")]), 1, "a.b.example.com");
        expectViolations(await runRule("ingress-tls", [controller("nginx-ingress/wildcard-tls"), wildcardCert, secretless("w.example.org")]), 1, "w.example.org");
        expectViolations(await runRule("ingress-tls", [controller("nginx-ingress/wildcard-tls", "internal"), wildcardCert, secretless("w.example.com")]), 1, "class nginx");
    });
    it("is undecided, not passed, when the controller's wildcard secret is unknown at preview", async () => {
        const r = await runRule("ingress-tls", [controller(UNKNOWN), wildcardCert, secretless("w.example.com")]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "Ingress a/w", "wildcard certificate covers it is unknown");
    });
});

describe("rule no-exposed-services", () => {
    it("passes ClusterIP and allowlisted LoadBalancer Services", async () => expectClean(await runRule("no-exposed-services", [
        k.service("a", "web", { type: "ClusterIP", ports: [{ port: 80 }] }), k.service("nginx-ingress", "lb", { type: "LoadBalancer" })])));
    it("flags NodePort and LoadBalancer Services", async () => {
        expectViolations(await runRule("no-exposed-services", [k.service("a", "np", { type: "NodePort" }), k.service("a", "lb", { type: "LoadBalancer" })]), 2, "Service a/", "ClusterIP");
    });
    it("flags a Helm release exposing a service in values, except allowlisted ones", async () => {
        const rel = k.release("grafana", { name: "grafana", namespace: "monitoring", chart: "grafana", version: "1.0.0", values: { service: { type: "LoadBalancer" } } });
        expectViolations(await runRule("no-exposed-services", [rel]), 1, "values.service.type: LoadBalancer");
        const nginx = k.release("ic", { name: "nginx-ingress", namespace: "nginx-ingress", chart: "oci://x/nginx-ingress", version: "2.3.1", values: { controller: { service: { type: "LoadBalancer" } } } });
        expectClean(await runRule("no-exposed-services", [nginx]));
    });
    it("is undecided on an unknown type", async () => expectUndecided(await runRule("no-exposed-services", [k.service("a", "x", { type: UNKNOWN })]), "Service a/x"));
});

describe("rule helm-chart-pinned", () => {
    it("passes exact versions with a repository or an OCI chart", async () => expectClean(await runRule("helm-chart-pinned", [
        k.release("cm", { chart: "cert-manager", version: "v1.19.1", repositoryOpts: { repo: "https://charts.jetstack.io" } }),
        k.release("ic", { chart: "oci://ghcr.io/nginx/charts/nginx-ingress", version: "2.3.1" })])));
    for (const version of ["", "^1.2.0", "~1.2", "1.2", ">=1.0.0", "1.x", "latest"]) {
        it(`flags version "${version}"`, async () => {
            expectViolations(await runRule("helm-chart-pinned", [k.release("cm", { chart: "cert-manager", version, repositoryOpts: { repo: "https://charts.jetstack.io" } })]), 1, "cert-manager", "Fix:");
        });
    }
    it("flags a chart without a repository", async () => {
        expectViolations(await runRule("helm-chart-pinned", [k.release("cm", { chart: "jetstack/cert-manager", version: "1.19.1" })]), 1, "no repository");
    });
    it("applies to helm.v4.Chart too, and is undecided when a component's inputs are not visible", async () => {
        expectViolations(await runRule("helm-chart-pinned", [resource("kubernetes:helm.sh/v4:Chart", "c", { chart: "x", repositoryOpts: { repo: "https://r" } })]), 1, "no version");
        expectUndecided(await runRule("helm-chart-pinned", [resource("kubernetes:helm.sh/v4:Chart", "c", {})]), "no inputs visible");
    });
    it("is undecided on an unknown version", async () => expectUndecided(await runRule("helm-chart-pinned", [k.release("cm", { chart: "x", version: UNKNOWN })])));
});

describe("rule aks-hardened", () => {
    const good = {
        networkProfile: { networkPolicy: "cilium", networkDataplane: "cilium" }, disableLocalAccounts: true,
        aadProfile: { managed: true, enableAzureRBAC: true }, securityProfile: { workloadIdentity: { enabled: true } }, oidcIssuerProfile: { enabled: true },
    };
    const aks = (props: Record<string, unknown>) => resource("azure-native:containerservice:ManagedCluster", "aks", props);
    it("passes a hardened cluster (any API version of the type)", async () => {
        expectClean(await runRule("aks-hardened", [aks(good), resource("azure-native:containerservice/v20240801:ManagedCluster", "aks2", good)]));
    });
    const cases: [string, Record<string, unknown>, string][] = [
        ["networkPolicy none", { networkProfile: { networkPolicy: "none" } }, "no network policy engine"],
        ["networkPolicy missing", { networkProfile: {} }, "no network policy engine"],
        ["local accounts on", { disableLocalAccounts: false }, "local accounts are enabled"],
        ["Azure RBAC off", { aadProfile: { managed: true } }, "Azure RBAC"],
        ["workload identity off", { securityProfile: {} }, "workload identity is off"],
        ["OIDC off", { oidcIssuerProfile: { enabled: false } }, "OIDC issuer is off"],
    ];
    for (const [what, patch, msg] of cases) {
        it(`flags ${what}`, async () => expectViolations(await runRule("aks-hardened", [aks({ ...good, ...patch })]), 1, msg, "ManagedCluster \"aks\"", "Fix: set"));
    }
    it("decides the known fields and is undecided on the unknown one", async () => {
        const r = await runRule("aks-hardened", [aks({ ...good, disableLocalAccounts: false, networkProfile: UNKNOWN })]);
        expectViolations(r, 1, "local accounts");
        expectUndecided(r, "networkProfile");
    });
});

describe("rule no-broad-allows", () => {
    const icSel = { matchLabels: { "app.kubernetes.io/name": "nginx-ingress", "app.kubernetes.io/instance": "nginx-ingress" } };
    it("passes narrow rules, the ingress controller's public 80/443 and 0.0.0.0/0 egress on 443", async () => expectClean(await runRule("no-broad-allows", [
        k.networkPolicy("a", "n", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: { a: "b" } } }], ports: [{ port: 80 }] }] }),
        k.networkPolicy("nginx-ingress", "pub", { podSelector: icSel, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 80, protocol: "TCP" }, { port: 443, protocol: "TCP" }] }] }),
        k.networkPolicy("cert-manager", "acme", { podSelector: { matchLabels: { x: "y" } }, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 443, protocol: "TCP" }] }] }),
    ])));
    it("flags `{}` ingress (all sources, all ports)", async () => {
        expectViolations(await runRule("no-broad-allows", [k.networkPolicy("a", "open", { podSelector: {}, ingress: [{}] })]), 1, "NetworkPolicy a/open", "all sources to all ports", "Fix:");
    });
    it("flags egress to everything", async () => {
        expectViolations(await runRule("no-broad-allows", [k.networkPolicy("a", "out", { podSelector: {}, policyTypes: ["Egress"], egress: [{}] })]), 1, "all destinations on all ports");
    });
    it("flags 0.0.0.0/0 egress on a port not allowed, and into pods other than the ingress controller", async () => {
        expectViolations(await runRule("no-broad-allows", [k.networkPolicy("a", "db", { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 5432 }] }] })]), 1, "5432/TCP");
        expectViolations(await runRule("no-broad-allows", [k.networkPolicy("a", "in", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }] })]), 1, "does not select the ingress controller");
        expectViolations(await runRule("no-broad-allows", [k.networkPolicy("nginx-ingress", "in", { podSelector: icSel, ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 8081 }] }] })]), 1, "8081/TCP");
    });
    it("flags Cilium world entities and honours broadAllowExceptions", async () => {
        const cnp = k.cnp("a", "world", { endpointSelector: {}, egress: [{ toEntities: ["world"] }] });
        expectViolations(await runRule("no-broad-allows", [cnp]), 1, "toEntities: world");
        expectClean(await runRule("no-broad-allows", [cnp], { broadAllowExceptions: ["a/world"] }));
        expectClean(await runRule("no-broad-allows", [k.cnp("a", "api", { endpointSelector: {}, egress: [{ toEntities: ["kube-apiserver"], toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] }] })]));
    });
    it("is undecided on an unknown CIDR and still checks the other policies", async () => {
        const r = await runRule("no-broad-allows", [
            k.networkPolicy("a", "u", { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: UNKNOWN } }], ports: [{ port: 5432 }] }] }),
            k.networkPolicy("b", "open", { podSelector: {}, ingress: [{}] })]);
        expectViolations(r, 1, "NetworkPolicy b/open");
        expectUndecided(r, "NetworkPolicy a/u", "egress[0]", ".spec.egress.0.to.0.ipBlock.cidr");
    });
    it("an unknown CIDR in ingress does not hide egress [{}] of the same policy: the known rule is a violation", async () => {
        const r = await runRule("no-broad-allows", [k.networkPolicy("a", "mixed", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ ipBlock: { cidr: UNKNOWN } }], ports: [{ port: 8080 }] }], egress: [{}] })]);
        expectViolations(r, 1, "NetworkPolicy a/mixed", "egress[0] allows all destinations on all ports");
        expectUndecided(r, "ingress[0]", ".spec.ingress.0.from.0.ipBlock.cidr");
    });
    it("a known broad peer beside an unknown one is a violation; an unknown peer that could not make a violation passes", async () => {
        const both = k.networkPolicy("a", "both", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [UNKNOWN, { ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 5432 }] }] });
        expectViolations(await runRule("no-broad-allows", [both]), 1, "egress[0] opens 5432/TCP to 0.0.0.0/0");
        // Egress on 443 only (an allowed broad port): even if the unknown peer is 0.0.0.0/0 it is fine.
        expectClean(await runRule("no-broad-allows", [k.networkPolicy("a", "https", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: UNKNOWN } }], ports: [{ port: 443, protocol: "TCP" }] }] })]));
    });
    it("an unknown port next to the known ones: a known bad port is a violation, otherwise undecided", async () => {
        const mk = (ports: unknown[]) => k.networkPolicy("a", "p", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports }] });
        expectViolations(await runRule("no-broad-allows", [mk([{ port: 5432 }, { port: UNKNOWN }])]), 1, "5432/TCP");
        expectUndecided(await runRule("no-broad-allows", [mk([{ port: 443 }, { port: UNKNOWN }])]), "egress[0] opens 443/TCP to 0.0.0.0/0", ".spec.egress.0.ports.1.port");
    });
    it("an unknown name or namespace is undecided only when broadAllowExceptions could except it", async () => {
        const open = k.networkPolicy("a", "open", { podSelector: {}, ingress: [{}] });
        (open.props.metadata as Record<string, unknown>).namespace = UNKNOWN;
        expectViolations(await runRule("no-broad-allows", [open]), 1, "all sources to all ports");
        expectUndecided(await runRule("no-broad-allows", [open], { broadAllowExceptions: ["legacy/*"] }), "unless it is in broadAllowExceptions", ".metadata.namespace");
    });
});

describe("rule ingress-hygiene", () => {
    const zone = resource("azure-native:dns:Zone", "dns", { zoneName: "example.com" });
    it("passes hosts in the zone, unique host+path", async () => expectClean(await runRule("ingress-hygiene", [zone, simpleIngress("a", "a", "a.example.com"), simpleIngress("b", "b", "b.example.com")])));
    it("flags a TLS host outside the zone", async () => expectViolations(await runRule("ingress-hygiene", [zone, simpleIngress("a", "a", "a.other.org")]), 1, "outside the stack's DNS zone"));
    it("flags wildcard and empty hosts", async () => {
        const r = await runRule("ingress-hygiene", [zone, k.ingress("a", "w", { rules: [{ host: "*.example.com" }, { http: { paths: [] } }] })]);
        expectViolations(r, 2, "Ingress a/w");
    });
    it("flags a duplicate host + path across Ingresses", async () => {
        expectViolations(await runRule("ingress-hygiene", [zone, simpleIngress("a", "a", "a.example.com"), simpleIngress("b", "b", "a.example.com")]), 1, "a.example.com/ is also routed by Ingress a/a");
    });
    it("flags snippet annotations and enableSnippets in values", async () => {
        const r = await runRule("ingress-hygiene", [zone,
            simpleIngress("a", "a", "a.example.com", { annotations: { "nginx.org/server-snippets": "x", "nginx.ingress.kubernetes.io/configuration-snippet": "y" } }),
            k.release("ic", { chart: "nginx-ingress", values: { controller: { enableSnippets: true } } })]);
        expectViolations(r, 3);
    });
    it("uses dnsZones from config, and is undecided without any zone", async () => {
        expectClean(await runRule("ingress-hygiene", [simpleIngress("a", "a", "a.example.com")], { dnsZones: ["example.com"] }));
        expectUndecided(await runRule("ingress-hygiene", [simpleIngress("a", "a", "a.example.com")]), "no DNS zone");
    });
});

describe("rule dns01-workload-identity", () => {
    it("passes managedIdentity.clientID", async () => expectClean(await runRule("dns01-workload-identity", [acmeIssuer("le", LE_STAGING, [dns01("example.com"), http01])])));
    it("flags a client secret", async () => {
        const s = { dns01: { azureDNS: { clientID: "x", clientSecretSecretRef: { name: "s", key: "k" }, tenantID: "t", subscriptionID: "s", resourceGroupName: "rg", hostedZoneName: "z" } } };
        const r = await runRule("dns01-workload-identity", [acmeIssuer("le", LE_STAGING, [s])]);
        assert.ok(violations(r).some((f) => f.message.includes("service principal secret")));
    });
    it("flags the kubelet identity (no clientID) on Issuers too", async () => {
        const s = { dns01: { azureDNS: { subscriptionID: "s", resourceGroupName: "rg", hostedZoneName: "z" } } };
        expectViolations(await runRule("dns01-workload-identity", [k.issuer("a", "i", { acme: { server: LE_STAGING, solvers: [s] } })]), 1, "kubelet", "Issuer a/i");
    });
    it("is undecided on an unknown clientID", async () => {
        expectUndecided(await runRule("dns01-workload-identity", [acmeIssuer("le", LE_STAGING, [{ dns01: { azureDNS: { managedIdentity: { clientID: UNKNOWN } } } }])]), "clientID");
    });
});

describe("rule letsencrypt-environment", () => {
    const both = (stack: string) => [acmeIssuer("le-staging", LE_STAGING, [dns01("example.com")], stack), acmeIssuer("le-prod", LE_PROD, [dns01("example.com")], stack)];
    const cert = (issuer: string, stack: string) => k.certificate("a", "c", { secretName: "s", dnsNames: ["a.example.com"], issuerRef: { name: issuer, kind: "ClusterIssuer" } }, stack);
    it("passes staging outside prod and production in prod; defining both issuers is fine", async () => {
        expectClean(await runRule("letsencrypt-environment", [...both("dev"), cert("le-staging", "dev")]));
        expectClean(await runRule("letsencrypt-environment", [...both("prod"), cert("le-prod", "prod")]));
    });
    it("flags production outside prod and staging in prod (from the stack name)", async () => {
        expectViolations(await runRule("letsencrypt-environment", [...both("dev"), cert("le-prod", "dev")]), 1, "production", "non-prod");
        const [v] = expectViolations(await runRule("letsencrypt-environment", [...both("prod"), cert("le-staging", "prod")]), 1, "staging", "prod stack");
        assert.equal(v.enforcementLevel, "advisory");
    });
    it("is mandatory when the policy config says so, and the environment key overrides the stack name", async () => {
        const r = await runRule("letsencrypt-environment", [...both("team-x"), cert("le-staging", "team-x")], {},
            { "letsencrypt-environment": { enforcementLevel: "mandatory", environment: "prod" } });
        const [v] = expectViolations(r, 1, "config environment \"prod\"");
        assert.equal(v.enforcementLevel, "mandatory");
    });
    it("checks ingress-shim Ingresses too", async () => {
        expectViolations(await runRule("letsencrypt-environment", [...both("prod"), simpleIngress("a", "w", "w.example.com", { annotations: { "cert-manager.io/cluster-issuer": "le-staging" } })].map((r) => ({ ...r, urn: r.urn.replace("::dev::", "::prod::").replace(":dev::", ":prod::") }))), 1, "Ingress a/w");
    });
    it("is undecided on an unknown issuer name", async () => expectUndecided(await runRule("letsencrypt-environment", [...both("dev"), cert(UNKNOWN, "dev")])));
});

describe("rule wildcard-dns01", () => {
    const wild = (issuer: string) => k.certificate("a", "w", { secretName: "s", dnsNames: ["*.example.com", "example.com"], issuerRef: { name: issuer, kind: "ClusterIssuer" } });
    it("passes a wildcard validated by a DNS-01 solver, even with an HTTP-01 fallback", async () => {
        expectClean(await runRule("wildcard-dns01", [acmeIssuer("le", LE_STAGING, [dns01("example.com"), http01]), wild("le")]));
    });
    it("flags a wildcard through HTTP-01", async () => {
        expectViolations(await runRule("wildcard-dns01", [acmeIssuer("le", LE_STAGING, [http01]), wild("le")]), 1, "Certificate a/w", "*.example.com", "HTTP-01");
    });
    it("flags a wildcard whose zone no DNS-01 solver covers", async () => {
        expectViolations(await runRule("wildcard-dns01", [acmeIssuer("le", LE_STAGING, [dns01("other.org"), http01]), wild("le")]), 1, "HTTP-01");
        expectViolations(await runRule("wildcard-dns01", [acmeIssuer("le", LE_STAGING, [dns01("other.org")]), wild("le")]), 1, "no solver");
    });
    it("ignores non-ACME issuers and is undecided on unknown solvers", async () => {
        expectClean(await runRule("wildcard-dns01", [k.clusterIssuer("ca", { ca: { secretName: "x" } }), wild("ca")]));
        expectUndecided(await runRule("wildcard-dns01", [k.clusterIssuer("le", { acme: { server: LE_STAGING, solvers: UNKNOWN } }), wild("le")]));
    });
});

describe("rule cert-manager-ha", () => {
    const rel = (values: Record<string, unknown>, stack: string) => k.release("cert-manager", { chart: "cert-manager", namespace: "cert-manager", version: "v1.19.1", values }, stack);
    const ha = { replicaCount: 2, podDisruptionBudget: { enabled: true }, webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true } } };
    it("passes HA values in prod and anything outside prod", async () => {
        expectClean(await runRule("cert-manager-ha", [rel(ha, "prod")]));
        const r = await runRule("cert-manager-ha", [rel({}, "dev")]);
        expectClean(r);
        assert.equal(r.notApplicable[0]?.reason, "not a prod stack");
    });
    it("flags one replica and no PDB in prod", async () => {
        expectViolations(await runRule("cert-manager-ha", [rel({ replicaCount: 1 }, "prod")]), 4, "cert-manager");
        expectViolations(await runRule("cert-manager-ha", [rel({ ...ha, webhook: { replicaCount: 1, podDisruptionBudget: { enabled: true } } }, "prod")]), 1, "webhook runs 1 replica");
    });
    it("is undecided on unknown values", async () => expectUndecided(await runRule("cert-manager-ha", [rel({ replicaCount: UNKNOWN }, "prod")])));
});

describe("rule dns-role-scope", () => {
    const zoneUrn = "urn:pulumi:dev::aks-platform::azure-native:dns:Zone::dns";
    const idUrn = "urn:pulumi:dev::aks-platform::azure-native:managedidentity:UserAssignedIdentity::cm";
    const base = [
        resource("azure-native:dns:Zone", "dns", { zoneName: "example.com" }),
        resource("azure-native:managedidentity:UserAssignedIdentity", "cm", { resourceName: "cm" }),
        resource("azure-native:managedidentity:FederatedIdentityCredential", "fic", { subject: "system:serviceaccount:cert-manager:cert-manager" }, "dev", { propertyDependencies: { resourceName: [idUrn] } }),
    ];
    const roleUrn = "urn:pulumi:dev::aks-platform::azure-native:authorization:RoleDefinition::txt";
    const txtRole = (actions: string[]) => resource("azure-native:authorization:RoleDefinition", "txt", { roleName: "txt", permissions: [{ actions }] });
    const TXT = "11111111-2222-4333-8444-555555555555";
    const ra = (scope: string, role: string, scopeDeps: string[] = []) => resource("azure-native:authorization:RoleAssignment", "ra", { principalId: "p", roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${role}`, scope }, "dev",
        { propertyDependencies: { principalId: [idUrn], scope: scopeDeps, roleDefinitionId: role === TXT ? [roleUrn] : [] } });
    const DZC = "befefa01-2a29-4197-83a8-272ff33ce314";
    const zoneScope = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/example.com";
    const txtOnly = txtRole(["Microsoft.Network/dnszones/TXT/read", "Microsoft.Network/dnszones/TXT/write", "Microsoft.Network/dnszones/TXT/delete"]);
    it("passes a zone-scoped assignment of a TXT-only role", async () => expectClean(await runRule("dns-role-scope", [...base, txtOnly, ra(zoneScope, TXT)])));
    it("flags subscription and resource-group scopes", async () => {
        expectViolations(await runRule("dns-role-scope", [...base, txtOnly, ra("/subscriptions/s", TXT)]), 1, "subscription", "RoleAssignment \"ra\"");
        expectViolations(await runRule("dns-role-scope", [...base, ra("/subscriptions/s/resourceGroups/rg", "other-role")]), 1, "resource group");
    });
    it("flags DNS Zone Contributor for cert-manager, even on the zone (it can rewrite every record)", async () => {
        expectViolations(await runRule("dns-role-scope", [...base, ra(zoneScope, DZC)]), 1, "DNS Zone Contributor", "TXT");
    });
    it("flags a custom role that grants more than TXT record sets", async () => {
        const wide = txtRole(["Microsoft.Network/dnszones/TXT/write", "Microsoft.Network/dnszones/A/write"]);
        expectViolations(await runRule("dns-role-scope", [...base, wide, ra(zoneScope, TXT)]), 1, "Microsoft.Network/dnszones/A/write");
        const star = txtRole(["Microsoft.Network/dnszones/*"]);
        expectViolations(await runRule("dns-role-scope", [...base, star, ra(zoneScope, TXT)]), 1, "Microsoft.Network/dnszones/*");
    });
    it("ignores other principals' roles", async () => {
        const other = resource("azure-native:authorization:RoleAssignment", "aks-net", { principalId: "x", roleDefinitionId: "/r/4d97b98b", scope: "/subscriptions/s/resourceGroups/rg" });
        expectClean(await runRule("dns-role-scope", [...base, other]));
    });
    it("at preview, an unknown scope is undecided even when computed from the zone (which id it will be is not known)", async () => {
        const r = await runRule("dns-role-scope", [...base, ra(UNKNOWN, DZC, [zoneUrn])]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "RoleAssignment \"ra\"", "scope is unknown until the update (computed from azure-native:dns:Zone)");
        expectUndecided(await runRule("dns-role-scope", [...base, ra(UNKNOWN, DZC, [])]), "computed from nothing in the stack");
    });
    it("an unknown role of another principal is undecided when the scope is not a zone (it may be DNS Zone Contributor)", async () => {
        const other = resource("azure-native:authorization:RoleAssignment", "other", { principalId: "x", roleDefinitionId: UNKNOWN, scope: "/subscriptions/s/resourceGroups/rg" });
        expectUndecided(await runRule("dns-role-scope", [...base, other]), "roleDefinitionId is unknown");
        const zoned = resource("azure-native:authorization:RoleAssignment", "zoned", { principalId: "x", roleDefinitionId: UNKNOWN, scope: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/example.com" });
        expectClean(await runRule("dns-role-scope", [...base, zoned]));
    });
    it("an identity federated with an unknown subject may be cert-manager's: its non-zone assignments are undecided", async () => {
        const fic = resource("azure-native:managedidentity:FederatedIdentityCredential", "fic", { subject: UNKNOWN }, "dev", { propertyDependencies: { resourceName: [idUrn] } });
        const r = await runRule("dns-role-scope", [base[0], base[1], fic, ra("/subscriptions/s/resourceGroups/rg", "other-role")]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "subject is unknown");
    });
});

describe("no-broad-allows: address unions", () => {
    const cases: [string, { cidr: string; except: string[] }[], string | undefined][] = [
        ["two /1 halves cover IPv4", [{ cidr: "0.0.0.0/1", except: [] }, { cidr: "128.0.0.0/1", except: [] }], "0.0.0.0/0"],
        ["one half alone does not", [{ cidr: "0.0.0.0/1", except: [] }], undefined],
        ["an except leaves a hole", [{ cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] }], undefined],
        ["the hole filled by another block", [{ cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] }, { cidr: "10.0.0.0/8", except: [] }], "0.0.0.0/0"],
        ["IPv6 halves", [{ cidr: "::/1", except: [] }, { cidr: "8000::/1", except: [] }], "::/0"],
        ["mixed families never add up", [{ cidr: "0.0.0.0/1", except: [] }, { cidr: "8000::/1", except: [] }], undefined],
    ];
    for (const [why, blocks, expected] of cases) it(why, () => assert.strictEqual(coversAllAddresses(blocks), expected));
});

describe("rule expiry-alerts", () => {
    const metric = "certmanager_certificate_expiration_timestamp_seconds";
    const cluster = (metrics: unknown, stack = "prod") => resource("azure-native:containerservice:ManagedCluster", "aks", { azureMonitorProfile: { metrics: { enabled: metrics } } }, stack);
    const group = (extra: Record<string, unknown> = {}, rule: Record<string, unknown> = {}) => resource("azure-native:alertsmanagement:PrometheusRuleGroup", "certs", {
        enabled: true,
        rules: [{ alert: "CertificateExpiringSoon", expression: `(${metric} - time()) < 21 * 86400`, enabled: true, actions: [{ actionGroupId: "/subscriptions/s/ag" }], ...rule }],
        ...extra,
    }, "prod");
    const promRule = (labels: Record<string, string>, expr = `(${metric} - time()) < 21 * 86400`) => resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "certs", {
        apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "certs", namespace: "cert-manager", labels },
        spec: { groups: [{ name: "certificates", rules: [{ alert: "CertificateExpiringSoon", expr }] }] },
    }, "prod");

    it("passes prod with Azure rule groups on a cluster with the metrics add-on, or a selectable PrometheusRule", async () => {
        expectClean(await runRule("expiry-alerts", [cluster(true), group()]));
        expectClean(await runRule("expiry-alerts", [cluster(false), promRule({ release: "kps" })]));
    });
    it("does not apply outside prod", async () => {
        const r = await runRule("expiry-alerts", [cluster(false, "dev")]);
        expectClean(r);
        assert.match(r.notApplicable[0]?.reason ?? "", /not a prod stack/);
    });
    it("flags prod with no expiry alert at all", async () => {
        expectViolations(await runRule("expiry-alerts", [cluster(false)]), 1, "no alert on certificate expiry", "monitoringMode");
    });
    it("flags rules that would never fire or never tell anyone", async () => {
        expectViolations(await runRule("expiry-alerts", [cluster(false), group()]), 1, "no cluster has the managed Prometheus metrics add-on");
        expectViolations(await runRule("expiry-alerts", [cluster(true), group({ enabled: false })]), 1, "no alert on certificate expiry");
        expectViolations(await runRule("expiry-alerts", [cluster(true), group({}, { actions: [] })]), 1, "no alert on certificate expiry");
        expectViolations(await runRule("expiry-alerts", [cluster(true), group({}, { expression: "up == 0" })]), 1, "no alert on certificate expiry");
        expectViolations(await runRule("expiry-alerts", [cluster(false), promRule({})]), 1, "no alert on certificate expiry");
    });
    it("is undecided, not passed, when a rule group or the add-on is unknown at preview", async () => {
        const r = await runRule("expiry-alerts", [cluster(UNKNOWN), group()]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "metrics add-on on is unknown");
        expectUndecided(await runRule("expiry-alerts", [cluster(true), group({ rules: UNKNOWN })]), "alerts on certificate expiry through an action group is unknown");
    });
});

describe("rule letsencrypt-rate-limits", () => {
    const PROD_SERVER = "https://acme-v02.api.letsencrypt.org/directory";
    const prodIssuer = k.clusterIssuer("le-prod", { acme: { server: PROD_SERVER, solvers: [] } });
    const stagingIssuer = k.clusterIssuer("le-staging", { acme: { server: "https://acme-staging-v02.api.letsencrypt.org/directory", solvers: [] } });
    const dedicated = (i: number, issuer = "le-prod", domain = "example.com") => k.ingress(`app-${i}`, "web", { tls: [{ hosts: [`app-${i}.${domain}`], secretName: "web-tls" }], rules: [{ host: `app-${i}.${domain}` }] }, { "cert-manager.io/cluster-issuer": issuer });
    const wildcardServed = (i: number) => k.ingress(`app-${i}`, "web", { tls: [{ hosts: [`app-${i}.example.com`] }], rules: [{ host: `app-${i}.example.com` }] });

    it("passes 50 production certificates per registered domain, and any number served by the wildcard", async () => {
        expectClean(await runRule("letsencrypt-rate-limits", [prodIssuer, ...Array.from({ length: 50 }, (_, i) => dedicated(i))]));
        expectClean(await runRule("letsencrypt-rate-limits", [prodIssuer, ...Array.from({ length: 500 }, (_, i) => wildcardServed(i))]));
    });
    it("flags the 51st production certificate under one registered domain, naming the domain", async () => {
        expectViolations(await runRule("letsencrypt-rate-limits", [prodIssuer, ...Array.from({ length: 51 }, (_, i) => dedicated(i))]), 1, "51 certificates", "example.com");
    });
    it("counts Certificates too, by registered domain from the Public Suffix List (example.co.uk, not co.uk)", async () => {
        const certs = Array.from({ length: 30 }, (_, i) => k.certificate("a", `c${i}`, { dnsNames: [`h${i}.team.example.co.uk`], issuerRef: { name: "le-prod", kind: "ClusterIssuer" } }));
        const ingresses = Array.from({ length: 21 }, (_, i) => dedicated(i, "le-prod", "other.example.co.uk"));
        expectViolations(await runRule("letsencrypt-rate-limits", [prodIssuer, ...certs, ...ingresses]), 1, "example.co.uk");
        const split = Array.from({ length: 30 }, (_, i) => dedicated(i, "le-prod", "one.co.uk"));
        expectClean(await runRule("letsencrypt-rate-limits", [prodIssuer, ...split, ...Array.from({ length: 30 }, (_, i) => dedicated(i + 100, "le-prod", "two.co.uk"))]));
    });
    it("does not count Let's Encrypt staging, whose limits are far higher", async () => {
        expectClean(await runRule("letsencrypt-rate-limits", [stagingIssuer, ...Array.from({ length: 80 }, (_, i) => dedicated(i, "le-staging"))]));
    });
    it("the limit is configurable (letsEncryptCertificatesPerWeek)", async () => {
        expectViolations(await runRule("letsencrypt-rate-limits", [prodIssuer, ...Array.from({ length: 11 }, (_, i) => dedicated(i))], { letsEncryptCertificatesPerWeek: 10 }), 1, "more than the 10");
    });
});
