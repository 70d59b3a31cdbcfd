/**
 * Rule 9: required flows are open and app namespaces are closed to each other, proven by the
 * NetworkPolicy analyzer on the stack's policies and workloads:
 * - every flow of `requiredFlows` whose endpoints exist in the stack (API server to the webhooks,
 *   monitoring to metrics ports, cert-manager controller to DNS/ACME/Entra ID, ...);
 * - the ingress controller to each Ingress backend: Service → its pods → the target container port;
 * - no pod of an app namespace (labels `appNamespaceLabels`) reaches a pod of another one, on the
 *   `isolationProbes` and every container port of the destination.
 */
import type { PolicyResource } from "@pulumi/policy";
import { METRICS_COLLECTOR_ENDPOINT, PackConfig } from "../config";
import { arr, get, metaName, namespaceOf, parsePortProto, Probe, selectorMatches, str, strMap, subjectOf, T } from "./lib/k8s";
import { API_SERVER, dependsOn, Model, modelOrReport, namespaceSubject, notAllowed, probeText, toProbe, Verdict, why } from "./lib/reach";
import { Reporter, stackRule, Subject } from "./lib/rule";

interface Check {
    name: string;
    from: string;
    to: string;
    probe: Probe;
    /** Where to attach a failure when the destination (ingress) or the source (egress) blocks. */
    fromNs?: string;
    toNs?: string;
    fix: string;
}

/** Which side closed it: the side that denies. */
function blockedSide(v: Verdict): "egress" | "ingress" | "both" {
    const eg = v.egress.status === "denied";
    const ing = v.ingress.status === "denied";
    return eg && ing ? "both" : eg ? "egress" : "ingress";
}

/**
 * A flow endpoint in the model: the API server (Cilium only), an external, or a config endpoint
 * present in this stack. `absent`: an endpoint this stack does not have (the flow does not apply).
 * The names were checked against the config when it was read.
 */
function resolve(model: Model, cfg: PackConfig, name: string): { id: string; ns?: string } | "absent" | "not modelled" {
    if (name === API_SERVER) return model.dataplane === "cilium" ? { id: API_SERVER } : "not modelled";
    if (cfg.externals[name] !== undefined) return { id: name };
    const id = model.endpointIds.get(name);
    return id ? { id, ns: cfg.endpoints[name]?.namespace } : "absent";
}

/** Ingress controller → each backend's pods, on the container port the Service targets. */
function backendChecks(resources: PolicyResource[], model: Model, ingressId: string, rep: Reporter): Check[] {
    const checks: Check[] = [];
    const services = new Map<string, PolicyResource>();
    for (const s of resources.filter((r) => r.type === T.service)) {
        rep.guard(subjectOf(s), () => services.set(`${namespaceOf(s)}/${metaName(s) ?? s.name}`, s));
    }
    for (const ing of resources.filter((r) => r.type === T.ingress)) {
        const subject = subjectOf(ing);
        rep.guard(subject, () => {
            const ns = namespaceOf(ing);
            const backends = [get(ing.props, "spec", "defaultBackend", "service"),
                ...arr(get(ing.props, "spec", "rules")).flatMap((rule) => arr(get(rule, "http", "paths")).map((p) => get(p, "backend", "service")))]
                .filter((b) => b !== undefined);
            for (const b of backends) {
                const svcName = str(get(b, "name")) ?? "";
                const svc = services.get(`${ns}/${svcName}`);
                if (!svc) {
                    rep.undecided(subject, `backend Service ${ns}/${svcName} is not in the stack, so its pods are unknown`);
                    continue;
                }
                const num = get(b, "port", "number");
                const pname = str(get(b, "port", "name"));
                const sp = arr(get(svc.props, "spec", "ports")).find((p) => (num !== undefined ? get(p, "port") === num : get(p, "name") === pname));
                if (!sp) continue; // a backend port the Service does not have: not a network policy question
                const target = get(sp, "targetPort") ?? get(sp, "port");
                const protocol = str(get(sp, "protocol")) ?? "TCP";
                const selector = strMap(get(svc.props, "spec", "selector"));
                if (Object.keys(selector).length === 0) continue;
                const pods = model.pods.filter((p) => p.namespace === ns && p.resource && selectorMatches({ matchLabels: selector }, p.labels));
                for (const pod of pods) {
                    const port = typeof target === "number" ? target : pod.ports.find((p) => p.name === target && p.protocol === protocol)?.port;
                    if (port === undefined) continue;
                    checks.push({
                        name: `ingress-controller-to-${ns}-${svcName}`,
                        from: ingressId,
                        to: pod.id,
                        probe: { port, protocol },
                        fromNs: ingressId.split("/")[0],
                        toNs: ns,
                        fix: `allow ingress to the pods of Service ${ns}/${svcName} from the ingress controller's pods on ${port}/${protocol}, and egress from the controller to them`,
                    });
                }
            }
        });
    }
    return checks;
}

/** The AKS metrics add-on's scrape objects (Azure/prometheus-collector: API group azmonitoring.coreos.com). */
const AZ_POD_MONITOR = "kubernetes:azmonitoring.coreos.com/v1:PodMonitor";

/**
 * The metrics collector → each PodMonitor's target pods, on the named port of every
 * podMetricsEndpoint. A PodMonitor without a namespaceSelector selects pods in its own namespace
 * (prometheus-operator's PodMonitor API, which the add-on's CRD copies).
 */
function scrapeChecks(resources: PolicyResource[], model: Model, collectorId: string, rep: Reporter): Check[] {
    const checks: Check[] = [];
    for (const pm of resources.filter((r) => r.type === AZ_POD_MONITOR)) {
        const subject = subjectOf(pm);
        rep.guard(subject, () => {
            const ns = namespaceOf(pm);
            const selector = get(pm.props, "spec", "selector");
            const pods = model.pods.filter((p) => p.namespace === ns && selectorMatches(selector, p.labels));
            if (pods.length === 0) {
                rep.undecided(subject, `PodMonitor ${ns}/${metaName(pm) ?? pm.name} selects no pod the pack knows (add its pods to endpoints), so its scrape cannot be checked`);
                return;
            }
            for (const ep of arr(get(pm.props, "spec", "podMetricsEndpoints"))) {
                const portName = str(get(ep, "port"));
                for (const pod of pods) {
                    const port = pod.ports.find((x) => x.name === portName);
                    if (!port) continue;
                    checks.push({
                        name: `metrics-collector-to-${ns}-${metaName(pm) ?? pm.name}`,
                        from: collectorId,
                        to: pod.id,
                        probe: { port: port.port, protocol: port.protocol.toUpperCase() },
                        fromNs: collectorId.split("/")[0],
                        toNs: ns,
                        fix: `allow ingress to ${pod.id} on ${port.port}/${port.protocol} from the metrics add-on's collector pods (kube-system, rsName: ama-metrics), or the PodMonitor's alerts never see a sample`,
                    });
                }
            }
        });
    }
    return checks;
}

export const requiredFlows = stackRule({
    name: "required-flows",
    displayName: "Required flows open, app namespaces closed",
    description: "The analyzer proves each required flow is open (API server to webhooks, ingress controller to each backend, monitoring to metrics, cert-manager to DNS/ACME/Azure) and each app namespace is closed to every other.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Add the NetworkPolicy (or CiliumNetworkPolicy for the API server) that opens the named flow on exactly its ports; remove allows that let one app namespace reach another.",
}, ["dataplane", "endpoints", "externals", "requiredFlows", "ingressControllerEndpoint", "appNamespaceLabels", "isolationProbes"], async (resources, cfg, rep) => {
    const model = await modelOrReport(resources, cfg, rep, { anyPodProbes: true });
    if (!model) return;
    const checks: Check[] = [];
    for (const f of cfg.requiredFlows) {
        const from = resolve(model, cfg, f.from);
        const to = resolve(model, cfg, f.to);
        if (from === "absent" || to === "absent") continue; // an endpoint this stack does not have: the flow does not apply
        if (from === "not modelled" || to === "not modelled") {
            rep.undecided({ label: "the stack" }, `required flow ${f.name}: the API server is an endpoint in Cilium mode only (dataplane is ${model.dataplane})`);
            continue;
        }
        for (const p of f.ports) {
            checks.push({ name: f.name, from: from.id, to: to.id, probe: parsePortProto(p), fromNs: from.ns, toNs: to.ns,
                fix: `open ${f.from} → ${f.to} on ${p}${f.why ? ` (${f.why})` : ""}: an egress allow at the source and an ingress allow at the destination` });
        }
    }
    const ingressId = model.endpointIds.get(cfg.ingressControllerEndpoint);
    if (ingressId) checks.push(...backendChecks(resources, model, ingressId, rep));
    const collectorId = model.endpointIds.get(METRICS_COLLECTOR_ENDPOINT);
    if (collectorId) checks.push(...scrapeChecks(resources, model, collectorId, rep));

    const subjectFor = (ns: string | undefined): Subject => (ns ? namespaceSubject(model, ns) : { label: "the stack" });
    for (const [i, v] of notAllowed(model, checks.map((c) => ({ ...c, subject: subjectFor(c.toNs ?? c.fromNs) })))) {
        const c = checks[i];
        const what = `required flow ${c.name} (${c.from} → ${c.to} on ${probeText(c.probe)})`;
        if (v.status === "inconclusive") {
            rep.undecided(subjectFor(c.toNs ?? c.fromNs), `whether ${what} is open depends on ${dependsOn(v)}`);
            continue;
        }
        const side = blockedSide(v);
        const ns = side === "egress" ? c.fromNs : c.toNs ?? c.fromNs;
        rep.violation(subjectFor(ns), `${what} is closed at the ${side === "both" ? "source and destination" : side === "egress" ? "source" : "destination"}: ${why(v)}`, c.fix);
    }

    // App namespaces closed to each other: the fast cells per probe over every app pod, then the cross-namespace ones.
    const appNs = [...model.namespaces.entries()].filter(([, r]) => Object.entries(cfg.appNamespaceLabels).every(([k, v]) => r.labels[k] === v)).map(([n]) => n);
    const appPods = model.pods.filter((p) => appNs.includes(p.namespace));
    const probes = new Map<string, Probe>();
    for (const p of [...cfg.isolationProbes.map(parsePortProto), ...appPods.flatMap((t) => t.ports.map((x) => ({ port: x.port, protocol: x.protocol.toUpperCase() })))]) probes.set(probeText(p), p);
    const isolationKeys = new Set(cfg.isolationProbes.map((x) => probeText(parsePortProto(x))));
    const ids = appPods.map((p) => p.id);
    const open = new Map<string, { cells: string[]; sources: Set<string> }>();
    const undecidedCells = new Map<string, string[]>();
    if (appNs.length > 1 && ids.length > 0) {
        for (const [key, probe] of probes) {
            const { allowed, possible } = model.analysis.cells(toProbe(probe), ids, ids);
            appPods.forEach((s, i) => appPods.forEach((t, j) => {
                // Only the probes that matter for the destination: the isolation probes and its own ports.
                if (s.namespace === t.namespace || (!isolationKeys.has(key) && !t.ports.some((x) => probeText({ port: x.port, protocol: x.protocol.toUpperCase() }) === key))) return;
                const b = i * ids.length + j;
                const bit = 1 << (b & 31);
                if ((allowed[b >>> 5] & bit) !== 0) {
                    const entry = open.get(t.namespace) ?? { cells: [], sources: new Set<string>() };
                    entry.cells.push(`${s.id} → ${t.id} on ${key}`);
                    entry.sources.add(s.namespace);
                    open.set(t.namespace, entry);
                } else if ((possible[b >>> 5] & bit) !== 0) {
                    const v = model.analysis.canReach(s.id, t.id, toProbe(probe));
                    undecidedCells.set(t.namespace, [...(undecidedCells.get(t.namespace) ?? []), `${s.id} → ${t.id} on ${key} depends on ${dependsOn(v)}`]);
                }
            }));
        }
    }
    // App namespaces are Namespaces of the stack (their labels say so), so each is its own subject.
    for (const b of appNs) {
        const o = open.get(b);
        if (o) {
            const from = [...o.sources].join(", ");
            rep.violation(subjectFor(b), `app namespace ${b} is open to app namespace ${from}: ${o.cells.slice(0, 5).join("; ")}${o.cells.length > 5 ? ` (+${o.cells.length - 5} more)` : ""}`,
                `remove the allow in ${b} (or the egress in ${from}) that admits those pods; apps reach each other only through the ingress controller`);
        }
        const u = undecidedCells.get(b);
        if (u) rep.undecided(subjectFor(b), `whether app namespace ${b} is closed to the other app namespaces: ${u.slice(0, 5).join("; ")}${u.length > 5 ? ` (+${u.length - 5} more)` : ""}`);
    }
});
