/**
 * Policy pack benchmark: every rule, run as the engine runs them, over a 2,000-resource stack: the
 * real prod stack (captured under mocks) plus ~175 generated app namespaces, each with its default
 * deny, DNS allow, flow policies, workload, Service, Ingress, PDB and Certificate. The stack is clean,
 * so every rule does its full work (the reachability rules prove every flow and every app pair).
 * Goal: under 1 second. `npm run bench` runs it (bench/run.ts).
 */
import { runProgram } from "../plan/program";
import { mandatoryViolations, runPolicies } from "../policy-pack/engine";
import { policies } from "../policy-pack/rules";
import type { PlanResource } from "../policy-pack/plan-resource";
import type { BenchResult } from "./types";

const STACK = "prod";
type Obj = Record<string, unknown>;

function res(type: string, name: string, props: Obj, extra: Partial<PlanResource> = {}): PlanResource {
    return { type, name, urn: `urn:pulumi:${STACK}::aks-platform::${type}::${name}`, props, dependencies: [], propertyDependencies: {}, protect: false, custom: true, ...extra };
}

const ZONE = "platform.example.com";
const ISSUER = "letsencrypt-production";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const CNP = "kubernetes:cilium.io/v2:CiliumNetworkPolicy";
const IC = { "app.kubernetes.io/name": "nginx-ingress", "app.kubernetes.io/instance": "nginx-ingress" };
const nsLabel = (ns: string): Obj => ({ matchLabels: { "kubernetes.io/metadata.name": ns } });

function np(ns: string, name: string, spec: Obj): PlanResource {
    return res(NP, `${ns}-${name}`, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns }, spec });
}
function baseline(ns: string): PlanResource[] {
    return [
        np(ns, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
        np(ns, "allow-dns", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsLabel("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] }] }),
    ];
}
function namespace(name: string, role: string): PlanResource {
    return res("kubernetes:core/v1:Namespace", `namespace-${name}`, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "aks-platform/role": role } } });
}

/**
 * `apps` application namespaces (11 resources each: Namespace, default deny, DNS allow, ingress from
 * the controller, the controller's egress to it, a CiliumNetworkPolicy to its database, Deployment,
 * Service, Ingress, PDB, Certificate) on top of `base` (the real prod stack), or of a minimal
 * synthetic platform when no base is given.
 */
export function generateStack(apps: number, base?: PlanResource[]): PlanResource[] {
    const zoneUrn = `urn:pulumi:${STACK}::aks-platform::azure-native:dns:Zone::dns`;
    const idUrn = `urn:pulumi:${STACK}::aks-platform::azure-native:managedidentity:UserAssignedIdentity::cm`;
    const out: PlanResource[] = base ? [...base] : [
        res("azure-native:containerservice:ManagedCluster", "aks", { networkProfile: { networkPolicy: "cilium", networkDataplane: "cilium" }, disableLocalAccounts: true, aadProfile: { managed: true, enableAzureRBAC: true }, securityProfile: { workloadIdentity: { enabled: true } }, oidcIssuerProfile: { enabled: true } }),
        res("azure-native:dns:Zone", "dns", { zoneName: ZONE }),
        res("azure-native:managedidentity:UserAssignedIdentity", "cm", { resourceName: "cm" }),
        res("azure-native:managedidentity:FederatedIdentityCredential", "fic", { subject: "system:serviceaccount:cert-manager:cert-manager" }, { propertyDependencies: { resourceName: [idUrn] } }),
        res("azure-native:authorization:RoleAssignment", "ra", { roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/befefa01-2a29-4197-83a8-272ff33ce314", scope: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/${ZONE}` }, { propertyDependencies: { principalId: [idUrn], scope: [zoneUrn] } }),
        namespace("cert-manager", "cert-manager"), namespace("nginx-ingress", "ingress"),
        ...baseline("cert-manager"), ...baseline("nginx-ingress"),
        res("kubernetes:helm.sh/v3:Release", "cert-manager", { name: "cert-manager", namespace: "cert-manager", chart: "cert-manager", version: "v1.19.1", repositoryOpts: { repo: "https://charts.jetstack.io" }, values: { replicaCount: 2, podDisruptionBudget: { enabled: true }, webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true } } } }),
        res("kubernetes:helm.sh/v3:Release", "ingress", { name: "nginx-ingress", namespace: "nginx-ingress", chart: "oci://ghcr.io/nginx/charts/nginx-ingress", version: "2.3.1", values: { controller: { service: { type: "LoadBalancer" } } } }),
        res("kubernetes:cert-manager.io/v1:ClusterIssuer", "le-staging", { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: ISSUER }, spec: { acme: { server: "https://acme-v02.api.letsencrypt.org/directory", solvers: [{ selector: { dnsZones: [ZONE] }, dns01: { azureDNS: { managedIdentity: { clientID: "c" } } } }] } } }),
        res("kubernetes:cert-manager.io/v1:Certificate", "wildcard", { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "wildcard", namespace: "nginx-ingress" }, spec: { secretName: "wildcard-tls", dnsNames: [`*.${ZONE}`, ZONE], issuerRef: { name: ISSUER, kind: "ClusterIssuer" } } }),
    ];
    for (let i = 0; i < apps; i++) {
        const app = `app-${String(i).padStart(3, "0")}`;
        const labels = { "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "platform-apps" };
        const host = `${app}.${ZONE}`;
        out.push(
            namespace(app, "app"),
            ...baseline(app),
            np("nginx-ingress", `ingress-controller-to-${app}`, { podSelector: { matchLabels: IC }, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsLabel(app), podSelector: { matchLabels: labels } }], ports: [{ port: 8080, protocol: "TCP" }] }] }),
            np(app, "ingress-controller-to-app", { podSelector: { matchLabels: labels }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsLabel("nginx-ingress"), podSelector: { matchLabels: IC } }], ports: [{ port: 8080, protocol: "TCP" }] }] }),
            res(CNP, `${app}-metrics`, { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name: "to-database", namespace: app }, spec: { endpointSelector: { matchLabels: labels }, egress: [{ toCIDR: [`10.${i % 250}.0.0/24`], toPorts: [{ ports: [{ port: "5432", protocol: "TCP" }] }] }] } }),
            res("kubernetes:apps/v1:Deployment", `${app}-deployment`, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: app, namespace: app }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: app, image: "x:1", ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }] }] } } } }),
            res("kubernetes:core/v1:Service", `${app}-service`, { apiVersion: "v1", kind: "Service", metadata: { name: app, namespace: app }, spec: { type: "ClusterIP", selector: labels, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] } }),
            res("kubernetes:networking.k8s.io/v1:Ingress", `${app}-ingress`, { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: app, namespace: app, annotations: { "cert-manager.io/cluster-issuer": ISSUER } }, spec: { ingressClassName: "nginx", tls: [{ hosts: [host], secretName: `${app}-tls` }], rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: app, port: { number: 80 } } } }] } }] } }),
            res("kubernetes:policy/v1:PodDisruptionBudget", `${app}-pdb`, { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: app, namespace: app }, spec: { minAvailable: 1, selector: { matchLabels: labels } } }),
            res("kubernetes:cert-manager.io/v1:Certificate", `${app}-cert`, { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: app, namespace: app }, spec: { secretName: `${app}-tls`, dnsNames: [host], issuerRef: { name: ISSUER, kind: "ClusterIssuer" } } }),
        );
    }
    return out;
}

export async function runPolicyBench(): Promise<BenchResult[]> {
    const target = 2000;
    const prod = (await runProgram("prod")).resources;
    const resources = generateStack(Math.ceil((target - prod.length) / 11), prod);
    await runPolicies(generateStack(3, prod)); // warm-up: module loading and JIT outside the timing
    const runs: number[] = [];
    let result = await runPolicies(resources);
    for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        result = await runPolicies(resources);
        runs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const best = Math.min(...runs);
    const mandatory = mandatoryViolations(result).length;
    return [{
        name: "policy pack: all rules over a generated stack",
        figures: {
            resources: resources.length,
            rules: policies.length,
            "best ms": Math.round(best),
            "median ms": Math.round([...runs].sort((a, b) => a - b)[1]),
            findings: result.findings.length,
            "mandatory violations": mandatory,
        },
        ok: best < 1000 && resources.length >= 2000,
        notes: [`goal: under 1000 ms for ${resources.length} resources: the prod stack plus generated app namespaces (best of 3 after a warm-up)`,
            ...(result.findings.length ? [`findings on the generated stack: ${result.findings.slice(0, 3).map((f) => `${f.policy}: ${f.message}`).join(" | ")}`] : [])],
    }];
}

if (require.main === module) {
    runPolicyBench().then((r) => console.log(JSON.stringify(r, null, 2)), (e: unknown) => { console.error(e); process.exitCode = 1; });
}
