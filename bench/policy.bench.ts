/**
 * Policy pack benchmark: every rule over a 2,000-resource stack: the real prod stack (captured under
 * mocks) plus ~175 generated app namespaces, each with its default deny, DNS allow, flow policies,
 * workload, Service, Ingress, PDB and Certificate. The stack is clean, so every rule does its full
 * work (the reachability rules prove every flow and every app pair).
 *
 * Measured through @pulumi/policy's own request handlers (server.js makeAnalyzeStackRpcFun and
 * makeAnalyzeRpcFun, the functions its gRPC server runs for the engine's AnalyzeStack and Analyze
 * calls): the resources go in as the protobuf requests the engine sends, and the handler
 * deserializes a fresh resource list for every stack rule, as it does in a real preview. Goal: all
 * rules under 1 second. The engine.ts path (one shared list) is reported beside it.
 * `npm run bench` runs it (bench/run.ts).
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import * as policyServer from "@pulumi/policy/server";
import type { EnforcementLevel } from "@pulumi/policy";
import { runProgram } from "../plan/program";
import { mandatoryViolations, runPolicies } from "../policy-pack/engine";
import { policies } from "../policy-pack/rules";
import type { PackPolicy } from "../policy-pack/rules";
import { isStackPolicy, pulumiTypeOfValidation } from "../policy-pack/rules/lib/rule";
import type { PlanResource } from "../policy-pack/plan-resource";
import type { BenchResult } from "./types";

/** The handlers @pulumi/policy's gRPC server registers (server.js; internal, so not in its typings). */
type Handler<Req> = (call: { request: Req }, callback: (err: Error | null | undefined, resp?: analyzerProto.AnalyzeResponse) => void) => Promise<void>;
interface PolicyServer {
    makeAnalyzeStackRpcFun(name: string, version: string, level: EnforcementLevel, policies: readonly PackPolicy[]): Handler<analyzerProto.AnalyzeStackRequest>;
    makeAnalyzeRpcFun(name: string, version: string, level: EnforcementLevel, policies: readonly PackPolicy[]): Handler<analyzerProto.AnalyzeRequest>;
}
const server = policyServer as unknown as PolicyServer;

function options(r: PlanResource): analyzerProto.AnalyzerResourceOptions {
    const o = new analyzerProto.AnalyzerResourceOptions();
    o.setProtect(r.protect);
    if (r.parent) o.setParent(r.parent);
    return o;
}

/** The AnalyzeStack request the engine sends after a preview: every resource with its properties, parent and dependencies. */
export function stackRequest(resources: readonly PlanResource[]): analyzerProto.AnalyzeStackRequest {
    const req = new analyzerProto.AnalyzeStackRequest();
    req.setResourcesList(resources.map((r) => {
        const a = new analyzerProto.AnalyzerResource();
        a.setType(r.type);
        a.setName(r.name);
        a.setUrn(r.urn);
        a.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(r.props)) as Parameters<typeof Struct.fromJavaScript>[0]));
        a.setOptions(options(r));
        if (r.parent) a.setParent(r.parent);
        a.setDependenciesList(r.dependencies);
        const deps = a.getPropertydependenciesMap();
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            const d = new analyzerProto.AnalyzerPropertyDependencies();
            d.setUrnsList(urns);
            deps.set(k, d);
        }
        return a;
    }));
    return req;
}

/** The Analyze request the engine sends per resource (resource rules). */
function resourceRequest(r: PlanResource): analyzerProto.AnalyzeRequest {
    const req = new analyzerProto.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn);
    req.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(r.props)) as Parameters<typeof Struct.fromJavaScript>[0]));
    req.setOptions(options(r));
    return req;
}

function call<Req>(handler: Handler<Req>, request: Req): Promise<analyzerProto.AnalyzeResponse> {
    return new Promise((resolve, reject) => {
        void handler({ request }, (err, resp) => (err ? reject(err) : resp ? resolve(resp) : reject(new Error("no response"))));
    });
}

/** Every rule through @pulumi/policy's handlers: one AnalyzeStack call, and one Analyze call per resource. */
export async function analyzeThroughPolicyServer(stack: analyzerProto.AnalyzeStackRequest, perResource: readonly analyzerProto.AnalyzeRequest[]): Promise<{ stackMs: number; resourceMs: number; diagnostics: string[] }> {
    const analyzeStack = server.makeAnalyzeStackRpcFun("aks-platform", "0.1.0", "mandatory", policies);
    const analyze = server.makeAnalyzeRpcFun("aks-platform", "0.1.0", "mandatory", policies);
    let t = process.hrtime.bigint();
    const stackResp = await call(analyzeStack, stack);
    const stackMs = Number(process.hrtime.bigint() - t) / 1e6;
    t = process.hrtime.bigint();
    const diagnostics = stackResp.getDiagnosticsList().map((d) => `${d.getPolicyname()}: ${d.getMessage()}`);
    for (const req of perResource) diagnostics.push(...(await call(analyze, req)).getDiagnosticsList().map((d) => `${d.getPolicyname()}: ${d.getMessage()}`));
    return { stackMs, resourceMs: Number(process.hrtime.bigint() - t) / 1e6, diagnostics };
}

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
            res("kubernetes:networking.k8s.io/v1:Ingress", `${app}-ingress`, { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: app, namespace: app }, spec: { ingressClassName: "nginx", tls: [{ hosts: [host] }], rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: app, port: { number: 80 } } } }] } }] } }),
            res("kubernetes:policy/v1:PodDisruptionBudget", `${app}-pdb`, { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: app, namespace: app }, spec: { minAvailable: 1, selector: { matchLabels: labels } } }),
            // The app's in-cluster serving certificate, from the internal CA; its public host is served by the wildcard.
            res("kubernetes:cert-manager.io/v1:Certificate", `${app}-cert`, { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: app, namespace: app }, spec: { secretName: `${app}-internal-tls`, dnsNames: [`${app}.${app}.svc`], issuerRef: { name: "platform-internal-ca", kind: "ClusterIssuer" } } }),
        );
    }
    return out;
}

export async function runPolicyBench(): Promise<BenchResult[]> {
    const target = 2000;
    const prod = (await runProgram("prod")).resources;
    const resources = generateStack(Math.ceil((target - prod.length) / 11), prod);
    // Requests are built once, as the engine serializes them before calling; the handlers' own
    // deserialization of every resource per stack rule is inside the timing.
    const stack = stackRequest(resources);
    const perResource = resources.map(resourceRequest);
    const small = generateStack(3, prod);
    await analyzeThroughPolicyServer(stackRequest(small), small.map(resourceRequest)); // warm-up: module loading and JIT outside the timing
    const runs: { stackMs: number; resourceMs: number }[] = [];
    let diagnostics: string[] = [];
    for (let i = 0; i < 3; i++) {
        const r = await analyzeThroughPolicyServer(stack, perResource);
        runs.push(r);
        diagnostics = r.diagnostics;
    }
    const totals = runs.map((r) => r.stackMs + r.resourceMs).sort((a, b) => a - b);
    const best = totals[0];
    // What the SDK's handlers cost before any rule runs: the same pack with rules that do nothing
    // (each stack rule still gets a freshly deserialized resource list, each resource rule every
    // resource its type filter lets through).
    const noops = policies.map((p): PackPolicy => {
        if (isStackPolicy(p)) return { ...p, name: `${p.name}-noop`, validateStack: () => undefined };
        const onlyType = "validateResource" in p ? pulumiTypeOfValidation(p.validateResource) : undefined;
        return { ...p, name: `${p.name}-noop`, validateResource: Object.assign(() => undefined, onlyType ? { __pulumiType: onlyType } : {}) };
    });
    const floorStack = server.makeAnalyzeStackRpcFun("floor", "0.1.0", "mandatory", noops);
    const floorResource = server.makeAnalyzeRpcFun("floor", "0.1.0", "mandatory", noops);
    const floorRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        await call(floorStack, stack);
        for (const req of perResource) await call(floorResource, req);
        floorRuns.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const floor = Math.min(...floorRuns);
    // The engine.ts path (the offline CLI and the tests): one shared resource list for every rule.
    const engineRuns: number[] = [];
    let result = await runPolicies(resources);
    for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        result = await runPolicies(resources);
        engineRuns.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const bestRun = runs[totals.indexOf(best)] ?? runs[0];
    return [{
        name: "policy pack: all rules over a generated stack, through @pulumi/policy's own AnalyzeStack and Analyze handlers",
        figures: {
            resources: resources.length,
            rules: policies.length,
            "best ms": Math.round(best),
            "median ms": Math.round(totals[1]),
            "stack rules ms": Math.round(bestRun.stackMs),
            "resource rules ms": Math.round(bestRun.resourceMs),
            "sdk deserialization floor ms": Math.round(floor),
            "rule work ms": Math.round(best - floor),
            diagnostics: diagnostics.length,
            "engine.ts path best ms": Math.round(Math.min(...engineRuns)),
            "engine.ts mandatory violations": mandatoryViolations(result).length,
        },
        ok: best < 1000 && resources.length >= 2000 && diagnostics.length === 0 && result.findings.length === 0,
        notes: [`goal: under 1000 ms for ${resources.length} resources (the prod stack plus generated app namespaces), best of 3 after a warm-up: one AnalyzeStack call (a fresh resource list deserialized per stack rule, as @pulumi/policy's server does for the engine) plus one Analyze call per resource`,
            "sdk deserialization floor = the same handlers running a pack of the same shape whose rules do nothing (best of 3); rule work = best - floor",
            ...(diagnostics.length ? [`diagnostics on the generated stack: ${diagnostics.slice(0, 3).join(" | ")}`] : [])],
    }];
}

if (require.main === module) {
    runPolicyBench().then((r) => console.log(JSON.stringify(r, null, 2)), (e: unknown) => { console.error(e); process.exitCode = 1; });
}
