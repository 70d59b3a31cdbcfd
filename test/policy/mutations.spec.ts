/**
 * The mutation suite: broken variants of the real stacks (copies of the captured resources, changed
 * one way each). Each must be caught by the rule that owns the mistake, with a message naming the
 * resource and the fix, and by no unrelated rule. Runs on the cached program runs: no program re-runs.
 */
import * as assert from "node:assert/strict";
import { Finding, runPolicies } from "../../policy-pack/engine";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { policyConfigFor, stackPolicyResult, stackResources } from "./stacks";

type Obj = Record<string, unknown>;
type Stack = "dev" | "staging" | "prod";

interface Mutation {
    name: string;
    stack: Stack;
    /** Rules that must report it; no other rule may report anything new. */
    rules: string[];
    /** Text every new violation's message must contain (the resource it names). */
    names: string;
    mutate(rs: PlanResource[]): PlanResource[] | void;
}

const kindOf = (r: PlanResource): string => String((r.props as Obj).kind ?? "");
const meta = (r: PlanResource): Obj => ((r.props as Obj).metadata ?? {}) as Obj;
const spec = (r: PlanResource): Obj => ((r.props as Obj).spec ?? {}) as Obj;

/** The one resource of this kind (and namespace/name) or of this Pulumi type; fails loudly when missing. */
function find(rs: PlanResource[], kind: string, ns?: string, name?: string): PlanResource {
    const hits = rs.filter((r) => (kindOf(r) === kind || r.type.endsWith(`:${kind}`)) && (ns === undefined || meta(r).namespace === ns || (r.props as Obj).namespace === ns)
        && (name === undefined || meta(r).name === name || (r.props as Obj).name === name));
    if (hits.length !== 1) throw new Error(`mutation target: expected one ${kind} ${ns ?? ""}/${name ?? ""}, found ${hits.length}`);
    return hits[0];
}
function findBy(rs: PlanResource[], what: string, pred: (r: PlanResource) => boolean): PlanResource {
    const hits = rs.filter(pred);
    if (hits.length === 0) throw new Error(`mutation target not found: ${what}`);
    return hits[0];
}
function remove(rs: PlanResource[], r: PlanResource): PlanResource[] {
    return rs.filter((x) => x !== r);
}
/** The stack's NetworkPolicy / CiliumNetworkPolicy with a port in a direction, selecting pods with this label value. */
function policyWith(rs: PlanResource[], ns: string, dir: "ingress" | "egress", port: number): PlanResource {
    return findBy(rs, `${ns} policy with ${dir} port ${port}`, (r) => (kindOf(r) === "NetworkPolicy" || kindOf(r) === "CiliumNetworkPolicy") && meta(r).namespace === ns
        && JSON.stringify(spec(r)[dir] ?? []).match(new RegExp(`"port":"?${port}"?[,}]`)) !== null);
}
function add(rs: PlanResource[], type: string, name: string, props: Obj): PlanResource[] {
    const stack = /^urn:pulumi:([^:]+)::/.exec(rs[0].urn)?.[1] ?? "dev";
    return [...rs, { type, name, urn: `urn:pulumi:${stack}::aks-platform::${type}::${name}`, props, dependencies: [], propertyDependencies: {}, protect: false, custom: true }];
}
function addNp(rs: PlanResource[], ns: string, name: string, s: Obj): PlanResource[] {
    return add(rs, "kubernetes:networking.k8s.io/v1:NetworkPolicy", `mut-${ns}-${name}`, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns }, spec: s });
}
function values(r: PlanResource): Obj {
    const p = r.props as Obj;
    p.values ??= {};
    return p.values as Obj;
}
function zoneOf(rs: PlanResource[]): string {
    return String((find(rs, "Zone").props as Obj).zoneName);
}
function appIngress(rs: PlanResource[], app: string): PlanResource {
    return find(rs, "Ingress", app, app);
}
function cmRelease(rs: PlanResource[]): PlanResource {
    return findBy(rs, "cert-manager release", (r) => r.type === "kubernetes:helm.sh/v3:Release" && String((r.props as Obj).chart).endsWith("cert-manager"));
}
function nginxRelease(rs: PlanResource[]): PlanResource {
    return findBy(rs, "nginx release", (r) => r.type === "kubernetes:helm.sh/v3:Release" && String((r.props as Obj).chart).endsWith("nginx-ingress"));
}
function issuer(rs: PlanResource[], name: string): PlanResource {
    return findBy(rs, `ClusterIssuer ${name}`, (r) => kindOf(r) === "ClusterIssuer" && meta(r).name === name);
}
function wildcardCert(rs: PlanResource[]): PlanResource {
    return findBy(rs, "wildcard Certificate", (r) => kindOf(r) === "Certificate" && JSON.stringify(spec(r).dnsNames ?? []).includes("*."));
}
function certManagerRole(rs: PlanResource[]): PlanResource {
    const identity = findBy(rs, "cert-manager identity", (r) => r.type === "azure-native:managedidentity:UserAssignedIdentity" && r.name === "cert-manager-identity");
    return findBy(rs, "cert-manager role assignment", (r) => r.type === "azure-native:authorization:RoleAssignment" && (r.propertyDependencies.principalId ?? []).includes(identity.urn));
}
function certManagerRoleDefinition(rs: PlanResource[]): PlanResource {
    return findBy(rs, "cert-manager role definition", (r) => r.type === "azure-native:authorization:RoleDefinition");
}
/** Sets an annotation, creating the map (apps served by the wildcard certificate have none). */
function annotate(r: PlanResource, key: string, value: string): void {
    const m = meta(r);
    m.annotations = { ...((m.annotations as Obj | undefined) ?? {}), [key]: value };
}
function aks(rs: PlanResource[]): Obj {
    return find(rs, "ManagedCluster").props as Obj;
}
function azureDns(rs: PlanResource[], issuerName: string): Obj {
    const solvers = ((spec(issuer(rs, issuerName)).acme as Obj).solvers as Obj[]);
    return ((solvers.find((s) => s.dns01) as Obj).dns01 as Obj).azureDNS as Obj;
}
/** A second application (namespace, deployment, default deny, DNS) cloned from `app`, named `name`. */
function cloneApp(rs: PlanResource[], app: string, name: string): PlanResource[] {
    const copies = rs.filter((r) => meta(r).namespace === app && ["Deployment", "Service", "NetworkPolicy"].includes(kindOf(r)) || (kindOf(r) === "Namespace" && meta(r).name === app));
    const text = (r: PlanResource): string => JSON.stringify(r).split(`"${app}"`).join(`"${name}"`).split(`-${app}-`).join(`-${name}-`).split(`::${app}`).join(`::${name}`);
    return [...rs, ...copies.map((r) => {
        const c = JSON.parse(text(r)) as PlanResource;
        c.urn = `${c.urn}-clone`;
        c.name = `${c.name}-clone`;
        return c;
    })];
}

const DEV_APP = "demo";
const PROD_APP = "storefront";

const MUTATIONS: Mutation[] = [
    // Default deny (rules 1 and 10)
    { name: "delete the default deny of the demo namespace", stack: "dev", rules: ["namespace-default-deny", "workload-default-deny"], names: "demo",
        mutate: (rs) => remove(rs, find(rs, "NetworkPolicy", DEV_APP, "default-deny")) },
    { name: "delete the default deny of cert-manager", stack: "dev", rules: ["namespace-default-deny"], names: "Namespace cert-manager",
        mutate: (rs) => remove(rs, find(rs, "NetworkPolicy", "cert-manager", "default-deny")) },
    { name: "delete the default deny of nginx-ingress", stack: "staging", rules: ["namespace-default-deny"], names: "Namespace nginx-ingress",
        mutate: (rs) => remove(rs, find(rs, "NetworkPolicy", "nginx-ingress", "default-deny")) },
    { name: "delete the default deny of the storefront namespace", stack: "prod", rules: ["namespace-default-deny", "workload-default-deny"], names: "storefront",
        mutate: (rs) => remove(rs, find(rs, "NetworkPolicy", PROD_APP, "default-deny")) },
    { name: "default deny without Egress", stack: "prod", rules: ["namespace-default-deny"], names: "Namespace cert-manager",
        mutate: (rs) => { spec(find(rs, "NetworkPolicy", "cert-manager", "default-deny")).policyTypes = ["Ingress"]; } },
    { name: "default deny narrowed to some pods", stack: "dev", rules: ["namespace-default-deny"], names: "Namespace nginx-ingress",
        mutate: (rs) => { spec(find(rs, "NetworkPolicy", "nginx-ingress", "default-deny")).podSelector = { matchLabels: { tier: "none" } }; } },
    { name: "a Deployment in a namespace nobody default-denies", stack: "staging", rules: ["workload-default-deny"], names: "Deployment legacy/worker",
        mutate: (rs) => add(rs, "kubernetes:apps/v1:Deployment", "legacy-worker", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "worker", namespace: "legacy" },
            spec: { selector: { matchLabels: { app: "worker" } }, template: { metadata: { labels: { app: "worker" } }, spec: { containers: [{ name: "w", image: "w:1" }] } } } }) },
    // DNS (rule 2)
    { name: "drop the DNS allow of the demo namespace", stack: "dev", rules: ["dns-egress-allowed"], names: "Namespace demo",
        mutate: (rs) => remove(rs, find(rs, "NetworkPolicy", DEV_APP, "allow-dns")) },
    { name: "drop the DNS allow of cert-manager", stack: "prod", rules: ["dns-egress-allowed"], names: "Namespace cert-manager",
        mutate: (rs) => remove(rs, find(rs, "NetworkPolicy", "cert-manager", "allow-dns")) },
    { name: "DNS allow on UDP only", stack: "staging", rules: ["dns-egress-allowed"], names: "Namespace nginx-ingress",
        mutate: (rs) => { ((spec(find(rs, "NetworkPolicy", "nginx-ingress", "allow-dns")).egress as Obj[])[0]).ports = [{ port: 53, protocol: "UDP" }]; } },
    { name: "DNS allow to the wrong namespace", stack: "dev", rules: ["dns-egress-allowed"], names: "Namespace demo",
        mutate: (rs) => {
            const np = find(rs, "NetworkPolicy", DEV_APP, "allow-dns");
            spec(np).egress = JSON.parse(JSON.stringify(spec(np).egress).split("kube-system").join("kube-public")) as unknown;
        } },
    // Broad allows (rule 8)
    { name: "`{}` ingress from everywhere in cert-manager", stack: "dev", rules: ["no-broad-allows"], names: "NetworkPolicy cert-manager/allow-everything",
        mutate: (rs) => addNp(rs, "cert-manager", "allow-everything", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] }) },
    { name: "egress to everything from nginx-ingress", stack: "staging", rules: ["no-broad-allows"], names: "NetworkPolicy nginx-ingress/egress-all",
        mutate: (rs) => addNp(rs, "nginx-ingress", "egress-all", { podSelector: {}, policyTypes: ["Egress"], egress: [{}] }) },
    { name: "the database egress widened to 0.0.0.0/0", stack: "prod", rules: ["no-broad-allows"], names: "storefront",
        mutate: (rs) => {
            const np = policyWith(rs, PROD_APP, "egress", 5432);
            spec(np).egress = JSON.parse(JSON.stringify(spec(np).egress).replace(/"cidr":"[^"]+"/, "\"cidr\":\"0.0.0.0/0\"")) as unknown;
        } },
    { name: "the app open to the internet on its port", stack: "prod", rules: ["no-broad-allows"], names: "NetworkPolicy storefront/public",
        mutate: (rs) => addNp(rs, PROD_APP, "public", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 8080, protocol: "TCP" }] }] }) },
    { name: "ingress on all ports from every namespace, written as a DoesNotExist selector", stack: "dev", rules: ["no-broad-allows"], names: "NetworkPolicy cert-manager/every-namespace",
        mutate: (rs) => addNp(rs, "cert-manager", "every-namespace", { podSelector: { matchLabels: { "app.kubernetes.io/component": "cainjector" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: "nope", operator: "DoesNotExist" }] } }] }] }) },
    { name: "egress everywhere split into every namespace plus two /1 blocks", stack: "staging", rules: ["no-broad-allows"], names: "NetworkPolicy cert-manager/split-everything",
        mutate: (rs) => addNp(rs, "cert-manager", "split-everything", { podSelector: { matchLabels: { "app.kubernetes.io/component": "cainjector" } }, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: {} }, { ipBlock: { cidr: "0.0.0.0/1" } }, { ipBlock: { cidr: "128.0.0.0/1" } }] }] }) },
    { name: "a CiliumNetworkPolicy to the world", stack: "dev", rules: ["no-broad-allows"], names: "CiliumNetworkPolicy cert-manager/world",
        mutate: (rs) => add(rs, "kubernetes:cilium.io/v2:CiliumNetworkPolicy", "mut-world", { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name: "world", namespace: "cert-manager" },
            spec: { endpointSelector: { matchLabels: { "app.kubernetes.io/component": "controller" } }, egress: [{ toEntities: ["world"] }] } }) },
    // Required flows and isolation (rule 9)
    { name: "webhook port closed to the API server", stack: "dev", rules: ["required-flows"], names: "cert-manager",
        mutate: (rs) => remove(rs, policyWith(rs, "cert-manager", "ingress", 10250)) },
    { name: "cert-manager controller cut off from ACME", stack: "staging", rules: ["required-flows"], names: "cert-manager",
        mutate: (rs) => remove(rs, find(rs, "NetworkPolicy", "cert-manager", "cert-manager-controller-to-acme")) },
    { name: "monitoring cut off from the ingress controller's metrics", stack: "prod", rules: ["required-flows"], names: "nginx-ingress",
        mutate: (rs) => remove(rs, policyWith(rs, "nginx-ingress", "ingress", 9113)) },
    { name: "ingress controller cut off from the app", stack: "dev", rules: ["required-flows"], names: DEV_APP,
        mutate: (rs) => remove(rs, policyWith(rs, DEV_APP, "ingress", 8080)) },
    { name: "cert-manager cainjector cut off from the API server", stack: "prod", rules: ["required-flows"], names: "cert-manager",
        mutate: (rs) => remove(rs, findBy(rs, "cainjector API server egress", (r) => kindOf(r) === "CiliumNetworkPolicy" && JSON.stringify(spec(r).endpointSelector).includes("cainjector") && spec(r).egress !== undefined)) },
    { name: "an app namespace open to another app namespace", stack: "dev", rules: ["required-flows"], names: DEV_APP,
        mutate: (rs) => addNp(addNp(cloneApp(rs, DEV_APP, "team-b"), DEV_APP, "from-team-b", { podSelector: {}, policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "team-b" } } }], ports: [{ port: 8080, protocol: "TCP" }] }] }),
        "team-b", "to-demo", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": DEV_APP } } }], ports: [{ port: 8080, protocol: "TCP" }] }] }) },
    { name: "the metrics add-on cut off from cert-manager's controller (its PodMonitor scrapes nothing)", stack: "prod", rules: ["required-flows"], names: "cert-manager",
        mutate: (rs) => remove(rs, findBy(rs, "collector scrape policy", (r) => meta(r).name === "ama-metrics-to-cert-manager-controller-metrics")) },
    { name: "prod's metrics add-on off (the Azure rule groups see no sample)", stack: "prod", rules: ["expiry-alerts"], names: "ManagedCluster",
        mutate: (rs) => { aks(rs).azureMonitorProfile = { metrics: { enabled: false } }; } },
    { name: "prod's certificate rule group disabled", stack: "prod", rules: ["expiry-alerts"], names: "ManagedCluster",
        mutate: (rs) => { for (const g of rs.filter((r) => r.type === "azure-native:alertsmanagement:PrometheusRuleGroup")) (g.props as Obj).enabled = false; } },
    { name: "51 apps each with its own Let's Encrypt production certificate", stack: "prod", rules: ["letsencrypt-rate-limits"], names: "registered domain example.com",
        mutate: (rs) => [...rs, ...Array.from({ length: 51 }, (_, i) => {
            const copy = JSON.parse(JSON.stringify(appIngress(rs, PROD_APP))) as PlanResource;
            copy.name = `${copy.name}-dedicated-${i}`;
            copy.urn = `${copy.urn}-dedicated-${i}`;
            meta(copy).name = `${PROD_APP}-dedicated-${i}`;
            const host = `shop-${i}.${zoneOf(rs)}`;
            (spec(copy).rules as Obj[])[0].host = host;
            spec(copy).tls = [{ hosts: [host], secretName: `shop-${i}-tls` }];
            annotate(copy, "cert-manager.io/cluster-issuer", "letsencrypt-production");
            return copy;
        })] },
    // Services (rule 5)
    { name: "NodePort Service", stack: "dev", rules: ["no-exposed-services"], names: `Service ${DEV_APP}/${DEV_APP}`,
        mutate: (rs) => { spec(find(rs, "Service", DEV_APP, DEV_APP)).type = "NodePort"; } },
    { name: "LoadBalancer Service", stack: "prod", rules: ["no-exposed-services"], names: `Service ${PROD_APP}/${PROD_APP}`,
        mutate: (rs) => { spec(find(rs, "Service", PROD_APP, PROD_APP)).type = "LoadBalancer"; } },
    { name: "cert-manager chart values expose a LoadBalancer", stack: "staging", rules: ["no-exposed-services"], names: "cert-manager",
        mutate: (rs) => { values(cmRelease(rs)).service = { type: "LoadBalancer" }; } },
    // Ingress TLS (rule 4)
    { name: "Ingress without TLS", stack: "dev", rules: ["ingress-tls"], names: `Ingress ${DEV_APP}/${DEV_APP}`,
        mutate: (rs) => { delete spec(appIngress(rs, DEV_APP)).tls; } },
    { name: "TLS entry without a secret, and no wildcard certificate on the controller", stack: "prod", rules: ["ingress-tls"], names: `Ingress ${PROD_APP}/${PROD_APP}`,
        mutate: (rs) => { delete (values(nginxRelease(rs)).controller as Obj).wildcardTLS; } },
    { name: "TLS entry without a secret for a host the wildcard does not cover", stack: "dev", rules: ["ingress-tls"], names: `Ingress ${DEV_APP}/${DEV_APP}`,
        mutate: (rs) => {
            const s = spec(appIngress(rs, DEV_APP));
            const deep = `a.b.${zoneOf(rs)}`;
            (s.rules as Obj[])[0].host = deep;
            (s.tls as Obj[])[0].hosts = [deep];
        } },
    { name: "a second host outside spec.tls", stack: "staging", rules: ["ingress-tls"], names: `Ingress ${DEV_APP}/${DEV_APP}`,
        mutate: (rs) => {
            const s = spec(appIngress(rs, DEV_APP));
            const rules = s.rules as Obj[];
            rules.push({ ...rules[0], host: `other.${zoneOf(rs)}` });
        } },
    // ClusterIssuer only (rule 3)
    { name: "cert-manager.io/issuer annotation", stack: "dev", rules: ["cluster-issuer-only"], names: `Ingress ${DEV_APP}/${DEV_APP}`,
        mutate: (rs) => { meta(appIngress(rs, DEV_APP)).annotations = { "cert-manager.io/issuer": "letsencrypt-staging" }; } },
    { name: "Certificate with issuerRef.kind Issuer", stack: "prod", rules: ["cluster-issuer-only"], names: "Certificate nginx-ingress/wildcard",
        mutate: (rs) => { (spec(wildcardCert(rs)).issuerRef as Obj).kind = "Issuer"; } },
    { name: "Certificate naming an issuer the stack lacks", stack: "staging", rules: ["cluster-issuer-only"], names: "Certificate nginx-ingress/wildcard",
        mutate: (rs) => { (spec(wildcardCert(rs)).issuerRef as Obj).name = "corp-ca"; } },
    { name: "a namespaced Issuer", stack: "dev", rules: ["cluster-issuer-only"], names: "Issuer demo/local",
        mutate: (rs) => add(rs, "kubernetes:cert-manager.io/v1:Issuer", "mut-issuer", { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name: "local", namespace: DEV_APP }, spec: { selfSigned: {} } }) },
    { name: "Ingress annotated with an unknown ClusterIssuer", stack: "prod", rules: ["cluster-issuer-only"], names: `Ingress ${PROD_APP}/${PROD_APP}`,
        mutate: (rs) => { annotate(appIngress(rs, PROD_APP), "cert-manager.io/cluster-issuer", "letsencrypt"); } },
    // Ingress hygiene (rule 11)
    { name: "wildcard host on an app Ingress", stack: "dev", rules: ["ingress-hygiene"], names: `Ingress ${DEV_APP}/${DEV_APP}`,
        mutate: (rs) => {
            const s = spec(appIngress(rs, DEV_APP));
            const wild = `*.${zoneOf(rs)}`;
            (s.rules as Obj[])[0].host = wild;
            (s.tls as Obj[])[0].hosts = [wild];
        } },
    { name: "TLS host outside the zone", stack: "prod", rules: ["ingress-hygiene"], names: `Ingress ${PROD_APP}/${PROD_APP}`,
        mutate: (rs) => {
            const s = spec(appIngress(rs, PROD_APP));
            (s.rules as Obj[])[0].host = "shop.example.org";
            // With its own certificate, so only the zone check can object.
            s.tls = [{ hosts: ["shop.example.org"], secretName: "shop-tls" }];
        } },
    { name: "two Ingresses for the same host and path", stack: "staging", rules: ["ingress-hygiene"], names: "Ingress",
        mutate: (rs) => {
            const copy = JSON.parse(JSON.stringify(appIngress(rs, DEV_APP))) as PlanResource;
            copy.name = `${copy.name}-copy`;
            copy.urn = `${copy.urn}-copy`;
            meta(copy).name = `${DEV_APP}-copy`;
            return [...rs, copy];
        } },
    { name: "NGINX snippet annotation", stack: "dev", rules: ["ingress-hygiene"], names: `Ingress ${DEV_APP}/${DEV_APP}`,
        mutate: (rs) => { annotate(appIngress(rs, DEV_APP), "nginx.org/server-snippets", "location /x { return 200; }"); } },
    { name: "snippets enabled on the controller", stack: "prod", rules: ["ingress-hygiene"], names: "nginx-ingress",
        mutate: (rs) => { ((values(nginxRelease(rs)).controller ??= {}) as Obj).enableSnippets = true; } },
    // Helm pinning (rule 6)
    { name: "cert-manager chart version range", stack: "dev", rules: ["helm-chart-pinned"], names: "cert-manager",
        mutate: (rs) => { (cmRelease(rs).props as Obj).version = "^1.19.0"; } },
    { name: "nginx chart without version", stack: "staging", rules: ["helm-chart-pinned"], names: "nginx-ingress",
        mutate: (rs) => { delete (nginxRelease(rs).props as Obj).version; } },
    { name: "cert-manager chart without repository", stack: "prod", rules: ["helm-chart-pinned"], names: "cert-manager",
        mutate: (rs) => { delete (cmRelease(rs).props as Obj).repositoryOpts; } },
    // AKS (rule 7)
    { name: "networkPolicy none", stack: "dev", rules: ["aks-hardened"], names: "ManagedCluster",
        mutate: (rs) => { (aks(rs).networkProfile as Obj).networkPolicy = "none"; } },
    { name: "local accounts on", stack: "prod", rules: ["aks-hardened"], names: "ManagedCluster",
        mutate: (rs) => { aks(rs).disableLocalAccounts = false; } },
    { name: "Azure RBAC off", stack: "staging", rules: ["aks-hardened"], names: "ManagedCluster",
        mutate: (rs) => { (aks(rs).aadProfile as Obj).enableAzureRBAC = false; } },
    { name: "workload identity off", stack: "dev", rules: ["aks-hardened"], names: "ManagedCluster",
        mutate: (rs) => { delete aks(rs).securityProfile; } },
    { name: "OIDC issuer off", stack: "prod", rules: ["aks-hardened"], names: "ManagedCluster",
        mutate: (rs) => { aks(rs).oidcIssuerProfile = { enabled: false }; } },
    // DNS-01 credentials (rule 12)
    { name: "DNS-01 with a client secret", stack: "staging", rules: ["dns01-workload-identity"], names: "ClusterIssuer letsencrypt-staging",
        mutate: (rs) => {
            const az = azureDns(rs, "letsencrypt-staging");
            delete az.managedIdentity;
            Object.assign(az, { clientID: "0000", tenantID: "0000", clientSecretSecretRef: { name: "azuredns", key: "secret" } });
        } },
    { name: "DNS-01 through the kubelet identity", stack: "prod", rules: ["dns01-workload-identity"], names: "ClusterIssuer letsencrypt-production",
        mutate: (rs) => { delete azureDns(rs, "letsencrypt-production").managedIdentity; } },
    // Environment (rule 13)
    { name: "staging issuer in prod", stack: "prod", rules: ["letsencrypt-environment"], names: "Certificate nginx-ingress/wildcard",
        mutate: (rs) => { (spec(wildcardCert(rs)).issuerRef as Obj).name = "letsencrypt-staging"; } },
    { name: "production issuer in dev", stack: "dev", rules: ["letsencrypt-environment"], names: `Ingress ${DEV_APP}/${DEV_APP}`,
        mutate: (rs) => { annotate(appIngress(rs, DEV_APP), "cert-manager.io/cluster-issuer", "letsencrypt-production"); } },
    // Wildcard via DNS-01 (rule 14)
    { name: "wildcard via HTTP-01", stack: "dev", rules: ["wildcard-dns01"], names: "Certificate nginx-ingress/wildcard",
        mutate: (rs) => { ((spec(issuer(rs, "letsencrypt-staging")).acme as Obj).solvers) = [{ http01: { ingress: { ingressClassName: "nginx" } } }]; } },
    // cert-manager HA (rule 15)
    { name: "one cert-manager replica in prod", stack: "prod", rules: ["cert-manager-ha"], names: "cert-manager",
        mutate: (rs) => { values(cmRelease(rs)).replicaCount = 1; } },
    { name: "no webhook PodDisruptionBudget in prod", stack: "prod", rules: ["cert-manager-ha"], names: "cert-manager",
        mutate: (rs) => { ((values(cmRelease(rs)).webhook as Obj).podDisruptionBudget as Obj).enabled = false; } },
    // Role scope (rule 16)
    { name: "cert-manager given DNS Zone Contributor", stack: "dev", rules: ["dns-role-scope"], names: "RoleAssignment",
        mutate: (rs) => { (certManagerRole(rs).props as Obj).roleDefinitionId = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/befefa01-2a29-4197-83a8-272ff33ce314"; } },
    { name: "cert-manager's custom role widened to A records", stack: "prod", rules: ["dns-role-scope"], names: "RoleAssignment",
        mutate: (rs) => { ((certManagerRoleDefinition(rs).props as Obj).permissions as Obj[])[0].actions = ["Microsoft.Network/dnszones/TXT/write", "Microsoft.Network/dnszones/A/write"]; } },
    { name: "cert-manager role at subscription scope", stack: "staging", rules: ["dns-role-scope"], names: "RoleAssignment",
        mutate: (rs) => { const p = certManagerRole(rs).props as Obj; p.scope = String(p.scope).replace(/\/resourceGroups\/.*$/, ""); } },
    { name: "cert-manager role at resource group scope", stack: "prod", rules: ["dns-role-scope"], names: "RoleAssignment",
        mutate: (rs) => { const p = certManagerRole(rs).props as Obj; p.scope = String(p.scope).replace(/\/providers\/.*$/, ""); } },
];

const key = (f: Finding): string => `${f.policy}|${f.urn ?? ""}|${f.message}`;

describe("policy mutation suite", function () {
    this.timeout(60_000);

    it(`has at least 40 mutations covering every rule`, async () => {
        assert.ok(MUTATIONS.length >= 40, `${MUTATIONS.length} mutations`);
        const { policies } = await import("../../policy-pack/rules");
        const covered = new Set(MUTATIONS.flatMap((m) => m.rules));
        for (const p of policies) assert.ok(covered.has(p.name), `no mutation for ${p.name}`);
    });

    for (const m of MUTATIONS) {
        it(`${m.stack}: ${m.name} → ${m.rules.join(" + ")}`, async () => {
            const rs = await stackResources(m.stack);
            const mutated = m.mutate(rs) ?? rs;
            const result = await runPolicies(mutated, { policyConfig: policyConfigFor(m.stack) });
            const before = new Set((await stackPolicyResult(m.stack)).result.findings.map(key));
            const added = result.findings.filter((f) => !before.has(key(f)));
            const report = added.map((f) => `  ${f.policy}${f.undecided ? " (undecided)" : ""}: ${f.message}`).join("\n");
            assert.deepEqual([...new Set(added.map((f) => f.policy))].sort(), [...m.rules].sort(), `rules that reported:\n${report}`);
            for (const f of added) {
                assert.ok(!f.undecided, `undecided instead of caught:\n${report}`);
                assert.ok(f.message.includes(m.names), `message does not name "${m.names}": ${f.message}`);
                assert.match(f.message, /\. Fix: .{10,}/, `message has no fix: ${f.message}`);
            }
        });
    }
});
