/** Unit tests of the two analyzer-backed rules (dns-egress-allowed, required-flows) on hand-built stacks. */
import * as assert from "node:assert/strict";
import { DEFAULTS } from "../../policy-pack/config";
import { expectClean, expectUndecided, expectViolations, k, runRule, undecided, UNKNOWN, violations } from "./helpers";
import { app, CFG, ingressController, nsSel, WEBHOOK_LABELS } from "./reach-stacks";

describe("rule dns-egress-allowed (analyzer)", () => {
    it("passes isolated namespaces that allow DNS", async () => expectClean(await runRule("dns-egress-allowed", [...app("a"), ...ingressController(["a"])], CFG)));
    it("flags a namespace whose isolated pods cannot reach kube-dns, naming it and the fix", async () => {
        const [v] = expectViolations(await runRule("dns-egress-allowed", [...app("a", { dns: false })], CFG), 1, "Namespace a", "a/a on 53/UDP", "a/any-pod", "Fix: add NetworkPolicy \"allow-dns\"");
        assert.equal(v.enforcementLevel, "mandatory");
    });
    it("flags DNS on UDP only", async () => {
        const udpOnly = k.networkPolicy("a", "allow-dns", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsSel("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ port: 53, protocol: "UDP" }] }] });
        const rs = app("a", { dns: false });
        const [v] = expectViolations(await runRule("dns-egress-allowed", [...rs, udpOnly], CFG), 1, "53/TCP");
        assert.ok(!v.message.includes("on 53/UDP ("), v.message);
    });
    it("names a pod of the namespace as the subject when the stack does not create the namespace", async () => {
        // Namespace a (listed first) is the stack's own; x is not, so the finding is filed under x's pod.
        const rs = [...app("a"), k.defaultDeny("x"), k.deployment("x", "web", { app: "web" })];
        const [v] = expectViolations(await runRule("dns-egress-allowed", rs, CFG), 1, "pods in namespace x cannot reach kube-dns");
        assert.equal(v.resourceName, "x-web", v.message);
    });
    it("ignores namespaces that are not egress-isolated", async () => expectClean(await runRule("dns-egress-allowed", [k.namespace("open"), k.deployment("open", "x", { a: "b" })], CFG)));
    it("is undecided, not violated, when the peer that could open DNS is unknown at preview, naming its path", async () => {
        const rs = [...app("a", { dns: false }), k.networkPolicy("a", "maybe-dns", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [UNKNOWN] }] })];
        const r = await runRule("dns-egress-allowed", rs, CFG);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "Namespace a", "NetworkPolicy a/maybe-dns", "spec.egress[0].to[0] is unknown until the update");
    });
    it("an unknown ipBlock cannot open kube-dns on Cilium (CIDRs never select pods): still a violation", async () => {
        const rs = [...app("a", { dns: false }), k.networkPolicy("a", "cidr-dns", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: UNKNOWN } }] }] })];
        expectViolations(await runRule("dns-egress-allowed", rs, CFG), 1, "cannot reach kube-dns");
    });
    it("one unknown policy leaves only the pods it may select undecided; another namespace's closed DNS is still a violation", async () => {
        const rs = [...app("a", { dns: false }), ...app("b", { dns: false }),
            k.networkPolicy("a", "maybe-dns", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [UNKNOWN] }] })];
        const r = await runRule("dns-egress-allowed", rs, CFG);
        expectViolations(r, 1, "Namespace b");
        expectUndecided(r, "Namespace a");
        assert.match(undecided(r)[0].message, /whether pods in namespace a reach kube-dns: a\/a on 53\/UDP depends on NetworkPolicy a\/maybe-dns: spec.egress\[0\].to\[0\] is unknown until the update; a\/any-pod on 53\/UDP depends on/);
    });
    it("lists each pod and probe, and does not ask kube-dns to reach itself", async () => {
        const egressDeny = k.networkPolicy("kube-system", "deny-egress", { podSelector: {}, policyTypes: ["Egress"] });
        const rs = [...app("a", { dns: false }), k.namespace("kube-system"), egressDeny];
        const found = expectViolations(await runRule("dns-egress-allowed", rs, CFG), 2, "cannot reach kube-dns: ");
        const sys = found.find((f) => f.message.startsWith("Namespace kube-system"));
        assert.ok(sys, found.map((f) => f.message).join("\n"));
        assert.doesNotMatch(sys.message, /(?:kube-dns: |\); )kube-system\/kube-dns on /);
        assert.match(sys.message, /kube-dns: kube-system\/\S+ on 53\/UDP/);
        const [a] = violations(await runRule("dns-egress-allowed", app("a", { dns: false }), CFG));
        // Two pods (the workload and the probe pod) by two probes, each with why it is closed.
        const entries = a.message.split("pods in namespace a cannot reach kube-dns: ")[1].split(". Fix:")[0].split("); ");
        assert.deepEqual(entries.map((e) => /^a\/(\S+) on (53\/UDP|53\/TCP) \(/.exec(e)?.slice(1).join(" ")).sort(), ["a 53/TCP", "a 53/UDP", "any-pod 53/TCP", "any-pod 53/UDP"]);
    });
    it("reports on a workload of the namespace when the stack does not create it", async () => {
        const rs = [k.defaultDeny("x"), k.deployment("x", "worker", { app: "worker" }), k.defaultDeny("y"), k.deployment("y", "job", { app: "job" })];
        const found = expectViolations(await runRule("dns-egress-allowed", rs, CFG), 2, "cannot reach kube-dns");
        assert.deepEqual(found.map((f) => f.message.split(": ")[0]).sort(), ['Deployment x/worker (resource "x-worker")', 'Deployment y/job (resource "y-job")']);
    });
    it("the fix names the configured DNS endpoint's namespace and labels", async () => {
        const coredns = { namespace: "dns-system", labels: { app: "coredns" }, ports: DEFAULTS.endpoints["kube-dns"].ports, present: "always" as const };
        const cfg = { ...CFG, dnsEndpoint: "coredns", endpoints: { ...CFG.endpoints, coredns } };
        expectViolations(await runRule("dns-egress-allowed", app("a"), cfg), 1,
            `Fix: add NetworkPolicy "allow-dns" in namespace a: podSelector: {}, policyTypes: [Egress], egress to namespaceSelector kubernetes.io/metadata.name: dns-system with podSelector {"app":"coredns"} on 53/UDP and 53/TCP`);
        const absent = { ...cfg, endpoints: { ...cfg.endpoints, coredns: { ...coredns, present: "with-namespace" as const } } };
        const r = await runRule("dns-egress-allowed", app("a"), absent);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "the stack", 'endpoint "coredns" is present only with namespace dns-system, which this stack does not create or install into, so DNS cannot be probed');
    });
});

describe("rule required-flows (analyzer)", () => {
    const stack = () => [...app("a"), ...app("b"), ...ingressController(["a", "b"])];
    it("passes when the ingress controller reaches every backend and app namespaces are closed", async () => expectClean(await runRule("required-flows", stack(), CFG)));
    it("flags a closed backend: Ingress → Service → pods → named target port", async () => {
        const rs = [...app("a", { fromIngress: false }), ...ingressController(["a"])];
        expectViolations(await runRule("required-flows", rs, CFG), 1, "Namespace a", "nginx-ingress/nginx-ingress-controller → a/a on 8080/TCP", "at the destination", "Fix:");
    });
    it("flags an app namespace open to another", async () => {
        const open = k.networkPolicy("b", "from-a", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsSel("a") }] }] });
        // Ingress alone is not enough: a's pods are egress-isolated, so a → b stays closed.
        expectClean(await runRule("required-flows", [...stack(), open], CFG));
        const out = k.networkPolicy("a", "to-b", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: nsSel("b") }], ports: [{ port: 8080, protocol: "TCP" }] }] });
        expectViolations(await runRule("required-flows", [...stack(), open, out], CFG), 1, "app namespace b is open to app namespace a", "Namespace b", "a/a → b/b on 8080/TCP");
    });
    it("checks configured flows from the API server as Cilium sees it on AKS: remote-node opens the webhook; kube-apiserver and an ipBlock do not", async () => {
        const flows = { ...CFG, requiredFlows: [{ name: "apiserver-to-webhook", from: "kube-apiserver", to: "cert-manager-webhook", ports: ["10250/TCP"] }] };
        const base = [k.namespace("cert-manager"), k.defaultDeny("cert-manager"), k.allowDns("cert-manager")];
        const webhook = (from: Record<string, unknown>) => k.cnp("cert-manager", "webhook", { endpointSelector: { matchLabels: WEBHOOK_LABELS }, ingress: [{ ...from, toPorts: [{ ports: [{ port: "10250", protocol: "TCP" }] }] }] });
        const byIpBlock = k.networkPolicy("cert-manager", "webhook", { podSelector: { matchLabels: WEBHOOK_LABELS }, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.10.4.0/28" } }], ports: [{ port: 10250 }] }] });
        expectClean(await runRule("required-flows", [...base, webhook({ fromEntities: ["remote-node", "host"] })], flows));
        // cilium/cilium issue 31711: on AKS fromEntities kube-apiserver never matches the API server's calls into pods.
        expectViolations(await runRule("required-flows", [...base, webhook({ fromEntities: ["kube-apiserver"] })], flows), 1, "apiserver-to-webhook", "remote-node identity");
        expectViolations(await runRule("required-flows", [...base, byIpBlock], flows), 1, "apiserver-to-webhook", "Namespace cert-manager");
    });
    it("is undecided, naming the feature, when the flow depends on a rule the analyzer does not evaluate (toFQDNs)", async () => {
        const flows = { ...CFG, externals: { acme: "172.65.32.248/32" }, requiredFlows: [{ name: "to-acme", from: "cert-manager-controller", to: "acme", ports: ["443/TCP"] }],
            endpoints: { ...CFG.endpoints, "cert-manager-controller": DEFAULTS.endpoints["cert-manager-controller"] } };
        const base = [k.namespace("cert-manager"), k.defaultDeny("cert-manager"), k.allowDns("cert-manager"),
            k.cnp("cert-manager", "acme", { endpointSelector: { matchLabels: DEFAULTS.endpoints["cert-manager-controller"].labels }, egress: [{ toFQDNs: [{ matchName: "acme-v02.api.letsencrypt.org" }], toPorts: [{ ports: [{ port: "443", protocol: "TCP" }] }] }] })];
        const r = await runRule("required-flows", base, flows);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "Namespace cert-manager (resource \"ns-cert-manager\"): whether required flow to-acme", "to-acme", "toFQDNs: FQDN rules are not evaluated");
        assert.ok(!undecided(r).some((f) => /unknown until the update/.test(f.message)), "an unmodelled feature is not reported as an unknown value");
    });
    it("a required flow naming an endpoint the config does not define is an error, not a silent skip", async () => {
        const flows = { ...CFG, requiredFlows: [{ name: "typo", from: "cert-manager-webhok", to: "kube-apiserver", ports: ["443/TCP"] }] };
        await assert.rejects(runRule("required-flows", app("a"), flows), /requiredFlows\[0\]\.from = "cert-manager-webhok" \(flow typo\) is not an endpoint, an external or kube-apiserver/);
    });
    it("skips flows whose endpoints the stack does not have", async () => {
        const flows = { ...CFG, requiredFlows: [{ name: "x", from: "cert-manager-webhook", to: "kube-apiserver", ports: ["443/TCP"] }] };
        expectClean(await runRule("required-flows", app("a"), flows));
    });
});
