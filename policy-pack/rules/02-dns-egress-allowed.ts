/**
 * Rule 2: DNS stays reachable. Every pod that is egress-isolated can reach the cluster DNS pods
 * (config endpoint `kube-dns`) on 53/UDP and 53/TCP, proven by the NetworkPolicy analyzer on the
 * stack's policies (Cilium semantics by default). A label-less probe pod per namespace stands for
 * "every pod", including pods added later.
 */
import { parsePortProto } from "./lib/k8s";
import { dependsOn, modelOrReport, namespaceSubject, notAllowed, why } from "./lib/reach";
import { stackRule } from "./lib/rule";

export const DNS_PROBES = ["53/UDP", "53/TCP"];

export const dnsEgressAllowed = stackRule({
    name: "dns-egress-allowed",
    displayName: "DNS stays reachable",
    description: "In every namespace whose pods are egress-isolated, all pods can reach kube-dns on 53/UDP and 53/TCP (proven with the NetworkPolicy analyzer).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Add an allow-dns NetworkPolicy in the namespace: podSelector: {}, policyTypes: [Egress], egress to namespaceSelector kubernetes.io/metadata.name: kube-system AND podSelector k8s-app: kube-dns on 53/UDP and 53/TCP.",
}, ["dataplane", "endpoints", "externals", "dnsEndpoint"], async (resources, cfg, rep) => {
    const model = await modelOrReport(resources, cfg, rep, { anyPodProbes: true });
    if (!model) return;
    const dns = model.endpointIds.get(cfg.dnsEndpoint);
    if (!dns) {
        // The config names it (checked when the config is read); it is just not part of this stack.
        rep.undecided({ label: "the stack" }, `endpoint "${cfg.dnsEndpoint}" is present only with namespace ${cfg.endpoints[cfg.dnsEndpoint]?.namespace ?? "?"}, which this stack does not create or install into, so DNS cannot be probed`);
        return;
    }
    const checks = model.pods.filter((p) => p.id !== dns).flatMap((pod) => DNS_PROBES.map((text) => ({
        pod, text, from: pod.id, to: dns, probe: parsePortProto(text), subject: namespaceSubject(model, pod.namespace, pod.resource),
    })));
    const failing = new Map<string, string[]>();
    const undecided = new Map<string, string[]>();
    for (const [i, v] of notAllowed(model, checks)) {
        const c = checks[i];
        const into = v.status === "denied" ? failing : undecided;
        into.set(c.pod.namespace, [...(into.get(c.pod.namespace) ?? []), v.status === "denied" ? `${c.pod.id} on ${c.text} (${why(v)})` : `${c.pod.id} on ${c.text} depends on ${dependsOn(v)}`]);
    }
    const subjectOf = (ns: string) => namespaceSubject(model, ns, model.pods.find((p) => p.namespace === ns)?.resource);
    for (const [ns, list] of failing) {
        rep.violation(subjectOf(ns), `pods in namespace ${ns} cannot reach kube-dns: ${list.join("; ")}`,
            `add NetworkPolicy "allow-dns" in namespace ${ns}: podSelector: {}, policyTypes: [Egress], egress to namespaceSelector ${"kubernetes.io/metadata.name"}: ${cfg.endpoints[cfg.dnsEndpoint]?.namespace ?? "kube-system"} with podSelector ${JSON.stringify(cfg.endpoints[cfg.dnsEndpoint]?.labels ?? {})} on 53/UDP and 53/TCP`);
    }
    for (const [ns, list] of undecided) rep.undecided(subjectOf(ns), `whether pods in namespace ${ns} reach kube-dns: ${list.join("; ")}`);
});
