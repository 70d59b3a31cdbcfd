/** The cluster side of monitoring: PrometheusRules (prometheus-operator mode) and the metrics add-on's PodMonitors (azure mode). */
import * as assert from "assert";
import { at, ofType, stackRun } from "../support/runs";
import { runProgram } from "../../plan/program";
import { azmonitoringErrors, validateObject } from "../support/schema";
import {
    AzurePodMonitor, DEFAULT_PROMETHEUS_OPERATOR_SELECTOR, managedPrometheusScrapes, prometheusRuleName, prometheusRules,
} from "../../components/kubernetes/monitoring-specs";
import { ALERT_GROUPS, allAlertRules, isoDuration, prometheusDuration, runbookUrl } from "../../components/kubernetes/alert-rules";
import { azureMonitor, certManager, nginxIngress } from "../../components/facts";

const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

function podMonitorErrors(obj: unknown): string[] {
    return azmonitoringErrors(obj);
}

describe("monitoring: prometheus-operator mode", () => {
    let rules: ReturnType<typeof prometheusRules>;
    beforeEach(() => { rules = prometheusRules(DEFAULT_PROMETHEUS_OPERATOR_SELECTOR); });

    it("validates against the prometheus-operator schema", () => {
        for (const rule of rules) validateObject(rule as unknown as Record<string, unknown>);
    });

    it("one PrometheusRule per alert group, in the namespace of the component it watches", () => {
        assert.deepStrictEqual(rules.map((r) => `${r.metadata.namespace}/${r.metadata.name}`),
            [`${certManager.namespace}/${prometheusRuleName(ALERT_GROUPS[0])}`, `${nginxIngress.namespace}/${prometheusRuleName(ALERT_GROUPS[1])}`]);
    });

    it("carries the selector labels kube-prometheus-stack selects by (release: kube-prometheus-stack by default), or the configured ones", () => {
        for (const rule of rules) assert.strictEqual(rule.metadata.labels.release, "kube-prometheus-stack");
        for (const rule of prometheusRules({ release: "monitoring", team: "platform" })) {
            assert.strictEqual(rule.metadata.labels.release, "monitoring");
            assert.strictEqual(rule.metadata.labels.team, "platform");
        }
    });

    it("refuses empty selector labels, naming the setting and the fix", () => {
        assert.throws(() => prometheusRules({}), /prometheusSelectorLabels is empty: .*ruleSelector.*"release":"kube-prometheus-stack"/);
    });

    it("refuses selector labels that would overwrite the platform's own label", () => {
        assert.throws(() => prometheusRules({ "app.kubernetes.io/part-of": "x" }), /must not set app\.kubernetes\.io\/part-of/);
    });

    it("every alert once, with its expression, hold time, severity label and runbook", () => {
        const written = rules.flatMap((r) => (r.spec.groups ?? []).flatMap((g) => g.rules ?? []));
        assert.deepStrictEqual(written.map((r) => r.alert), allAlertRules().map((r) => r.name));
        for (const [i, rule] of allAlertRules().entries()) {
            const w = written[i];
            assert.strictEqual(w.expr, rule.expr);
            assert.strictEqual(w.for, prometheusDuration(rule.forMinutes));
            assert.deepStrictEqual(w.labels, { severity: rule.severity });
            assert.strictEqual(w.annotations?.runbook_url, runbookUrl(rule));
        }
    });

    it("is created in prometheus-operator mode only, after cert-manager and the namespaces, with the charts' ServiceMonitors on", async () => {
        for (const stack of ["dev", "staging", "prod"]) assert.strictEqual(ofType((await stackRun(stack)).resources, RULE).length, 0, `${stack} is not in prometheus-operator mode`);
        const staging = (await runProgram("staging", { configOverrides: { "aks-platform:monitoringMode": "prometheus-operator" } })).resources;
        const created = ofType(staging, RULE);
        assert.deepStrictEqual(created.map((r) => String(at(r.props, "metadata.name"))).sort(), ["certificates-alerts", "ingress-alerts"]);
        const releases = ofType(staging, "kubernetes:helm.sh/v3:Release");
        const release = releases.find((r) => String(r.props.chart) === "cert-manager");
        const namespaces = ofType(staging, "kubernetes:core/v1:Namespace");
        for (const rule of created) {
            assert.ok(release && rule.dependencies.includes(release.urn), "after cert-manager's release");
            // After its namespace, through the release installed into it (which waits for the namespace).
            const ns = namespaces.find((n) => at(n.props, "metadata.name") === at(rule.props, "metadata.namespace"));
            const inNamespace = releases.find((r) => r.props.namespace === at(rule.props, "metadata.namespace"));
            assert.ok(ns && inNamespace && rule.dependencies.includes(inNamespace.urn) && inNamespace.dependencies.includes(ns.urn), `after namespace ${String(at(rule.props, "metadata.namespace"))}`);
            assert.strictEqual(at(rule.props, "metadata.labels.release"), "kube-prometheus-stack");
        }
        assert.strictEqual(at(release?.props.values, "prometheus.servicemonitor.enabled"), true);
        const nginx = ofType(staging, "kubernetes:helm.sh/v3:Release").find((r) => String(r.props.chart).endsWith("nginx-ingress"));
        assert.strictEqual(at(nginx?.props.values, "prometheus.serviceMonitor.create"), true);
    });
});

describe("monitoring: azure mode scrape objects", () => {
    let monitors: ReturnType<typeof managedPrometheusScrapes>;
    beforeEach(() => { monitors = managedPrometheusScrapes(); });

    it("the schema check refuses what the add-on would not scrape (so a clean result means something)", () => {
        const good = monitors[0];
        assert.deepStrictEqual(podMonitorErrors(good), []);
        assert.notDeepStrictEqual(podMonitorErrors({ ...good, apiVersion: "monitoring.coreos.com/v1" }), [], "the add-on ignores monitoring.coreos.com");
        assert.notDeepStrictEqual(podMonitorErrors({ ...good, spec: { podMetricsEndpoints: good.spec.podMetricsEndpoints } }), [], "selector is required");
        const typo = { ...good, spec: { selector: good.spec.selector, podMetricEndpoints: good.spec.podMetricsEndpoints } };
        assert.notDeepStrictEqual(podMonitorErrors(typo), [], "a misspelt field");
        const badInterval: AzurePodMonitor = { ...good, spec: { ...good.spec, podMetricsEndpoints: [{ ...good.spec.podMetricsEndpoints[0], interval: "1 minute" }] } };
        assert.notDeepStrictEqual(podMonitorErrors(badInterval), []);
    });

    it("every PodMonitor validates against the add-on's CRD schema", () => {
        for (const m of monitors) assert.deepStrictEqual(podMonitorErrors(m), [], m.metadata.name);
    });

    it("uses the add-on's API group, never prometheus-operator's", () => {
        for (const m of monitors) assert.strictEqual(m.apiVersion, azureMonitor.scrapeApiVersion);
        assert.strictEqual(azureMonitor.scrapeApiVersion, "azmonitoring.coreos.com/v1");
    });

    it("selects cert-manager's controller pods on their metrics port, keeping the Certificate's namespace label", () => {
        const cm = monitors.find((m) => m.metadata.namespace === certManager.namespace);
        assert.ok(cm);
        assert.deepStrictEqual(cm.spec.selector.matchLabels, certManager.podLabels.controller);
        assert.strictEqual(cm.spec.podMetricsEndpoints[0].port, certManager.ports.metrics.name);
        assert.strictEqual(cm.spec.podMetricsEndpoints[0].honorLabels, true);
    });

    it("selects the NGINX controller pods on their metrics port and drops only the latency histogram's buckets", () => {
        const ng = monitors.find((m) => m.metadata.namespace === nginxIngress.namespace);
        assert.ok(ng);
        assert.deepStrictEqual(ng.spec.selector.matchLabels, nginxIngress.podLabels(nginxIngress.releaseName));
        assert.strictEqual(ng.spec.podMetricsEndpoints[0].port, nginxIngress.ports.metrics.name);
        const drops = ng.spec.podMetricsEndpoints[0].metricRelabelings ?? [];
        assert.deepStrictEqual(drops.map((d) => [d.action, d.regex]), [["drop", "nginx_ingress_controller_upstream_server_response_latency_ms_bucket"]]);
        for (const rule of allAlertRules()) assert.ok(!rule.expr.includes("_bucket"), `${rule.name} needs the buckets the PodMonitor drops`);
    });

    it("scrapes every metric family the alerts use (cert-manager's for certificates, NGINX's for ingress)", () => {
        const scraped = new Set(monitors.map((m) => m.metadata.namespace));
        for (const group of ALERT_GROUPS) assert.ok(scraped.has(group.namespace), `${group.name}: nothing scrapes ${group.namespace}`);
    });
});

describe("monitoring objects: labels, durations and relabelling as Prometheus applies them", () => {
    /**
     * One relabel rule with `action: drop`, as Prometheus applies it (prometheus/model/relabel/relabel.go):
     * the source label values joined with ";" (the default separator), matched against the fully anchored regex.
     */
    const drops = (rule: { sourceLabels?: string[]; regex?: string; action?: string }, labels: Record<string, string>): boolean => {
        const value = (rule.sourceLabels ?? []).map((l) => labels[l] ?? "").join(";");
        return rule.action === "drop" && new RegExp(`^(?:${rule.regex ?? "(.*)"})$`).test(value);
    };

    it("the NGINX PodMonitor drops the latency histogram's buckets and keeps its count", () => {
        const nginx = managedPrometheusScrapes().find((m) => m.metadata.namespace === nginxIngress.namespace);
        const rules = (nginx?.spec.podMetricsEndpoints ?? []).flatMap((e) => e.metricRelabelings ?? []);
        const dropped = (name: string): boolean => rules.some((r) => drops(r as { sourceLabels?: string[]; regex?: string; action?: string }, { __name__: name }));
        assert.ok(dropped("nginx_ingress_controller_upstream_server_response_latency_ms_bucket"));
        assert.ok(!dropped("nginx_ingress_controller_upstream_server_response_latency_ms_count"));
    });

    it("labels every PodMonitor and PrometheusRule as part of the platform", () => {
        const objects = [...managedPrometheusScrapes(), ...prometheusRules({ release: "kps" })];
        for (const o of objects) assert.strictEqual((o.metadata.labels ?? {})["app.kubernetes.io/part-of"], "aks-platform", o.metadata.name);
    });

    it("refuses negative alert durations and accepts zero", () => {
        assert.throws(() => prometheusDuration(-5), /whole minutes, got -5/);
        assert.throws(() => isoDuration(-5), /whole minutes, got -5/);
        assert.strictEqual(isoDuration(0), "PT0M");
        assert.strictEqual(prometheusDuration(0), "0m");
    });
});
