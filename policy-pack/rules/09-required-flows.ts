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
import type { PackConfig } from "../config";
import { arr, get, metaName, namespaceOf, parsePortProto, Probe, selectorMatches, str, strMap, subjectOf, T } from "./lib/k8s";
import { API_SERVER, closedChecks, Model, modelOrReport, namespaceSubject, PodInfo, reportUnsupported, toProbe, Verdict, why } from "./lib/reach";
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

/** Which side closed it: the isolated direction with no allow. */
function blockedSide(v: Verdict): "egress" | "ingress" | "both" {
    const eg = v.egress.isolated && !v.egress.allowedBy;
    const ing = v.ingress.isolated && !v.ingress.allowedBy;
    return eg && ing ? "both" : eg ? "egress" : "ingress";
}

function resolve(model: Model, cfg: PackConfig, name: string): { id: string; ns?: string } | undefined {
    if (name === API_SERVER) return { id: API_SERVER };
    if (cfg.externals[name] !== undefined) return { id: name };
    const id = model.endpointIds.get(name);
    return id ? { id, ns: cfg.endpoints[name]?.namespace } : undefined;
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
        if (!from || !to) continue; // an endpoint this stack does not have: the flow does not apply
        for (const p of f.ports) {
            checks.push({ name: f.name, from: from.id, to: to.id, probe: parsePortProto(p), fromNs: from.ns, toNs: to.ns,
                fix: `open ${f.from} → ${f.to} on ${p}${f.why ? ` (${f.why})` : ""}: an egress allow at the source and an ingress allow at the destination` });
        }
    }
    const ingressId = model.endpointIds.get(cfg.ingressControllerEndpoint);
    if (ingressId) checks.push(...backendChecks(resources, model, ingressId, rep));

    const subjectFor = (ns: string | undefined, fallback?: PodInfo): Subject =>
        ns ? namespaceSubject(model, ns, fallback?.resource) : { label: "the stack" };
    const report = (subject: Subject, problem: string, fix: string): void => {
        if (model.partial.length > 0) rep.undecided(subject, `${problem}, but ${model.partial.length} policies are unknown until the update`);
        else rep.violation(subject, problem, fix);
    };
    reportUnsupported(model, rep);
    const closed = closedChecks(model, rep, checks.map((c) => ({ ...c, subject: subjectFor(c.toNs ?? c.fromNs) })));
    for (const [i, v] of closed) {
        const c = checks[i];
        const side = blockedSide(v);
        const ns = side === "egress" ? c.fromNs : c.toNs ?? c.fromNs;
        report(subjectFor(ns), `required flow ${c.name} (${c.from} → ${c.to} on ${c.probe.port}/${c.probe.protocol}) is closed at the ${side === "both" ? "source and destination" : side === "egress" ? "source" : "destination"}: ${why(v)}`, c.fix);
    }

    // App namespaces closed to each other.
    const appNs = [...model.namespaces.entries()].filter(([, r]) => Object.entries(cfg.appNamespaceLabels).every(([k, v]) => r.labels[k] === v)).map(([n]) => n);
    // One matrix per probe over every app pod (the analyzer's fast path), then read the cross-namespace cells.
    const appPods = model.pods.filter((p) => appNs.includes(p.namespace));
    const probeKeys = new Map<string, Probe>();
    for (const p of [...cfg.isolationProbes.map(parsePortProto), ...appPods.flatMap((t) => t.ports.map((x) => ({ port: x.port, protocol: x.protocol.toUpperCase() })))]) {
        probeKeys.set(`${p.port}/${p.protocol}`, p);
    }
    const ids = appPods.map((p) => p.id);
    const matrix = appNs.length > 1 && ids.length > 0 ? model.analysis.matrix([...probeKeys.values()].map(toProbe), { from: ids, to: ids }) : {};
    for (const b of appNs) {
        const targets = appPods.filter((p) => p.namespace === b);
        const open: string[] = [];
        const sources = new Set<string>();
        for (const t of targets) {
            const relevant = new Set([...cfg.isolationProbes.map((x) => { const p = parsePortProto(x); return `${p.port}/${p.protocol}`; }), ...t.ports.map((x) => `${x.port}/${x.protocol.toUpperCase()}`)]);
            for (const key of relevant) {
                for (const s of appPods) {
                    if (s.namespace === b || matrix[key]?.[s.id]?.[t.id] !== true) continue;
                    open.push(`${s.id} → ${t.id} on ${key}`);
                    sources.add(s.namespace);
                }
            }
        }
        if (open.length > 0) {
            const from = [...sources].join(", ");
            report(subjectFor(b, targets[0]), `app namespace ${b} is open to app namespace ${from}: ${open.slice(0, 5).join("; ")}${open.length > 5 ? ` (+${open.length - 5} more)` : ""}`,
                `remove the allow in ${b} (or the egress in ${from}) that admits those pods; apps reach each other only through the ingress controller`);
        }
    }
});
