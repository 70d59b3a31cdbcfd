/**
 * The cluster side of monitoring as plain data (pure), in one of two modes:
 * - `prometheus-operator`: PrometheusRules for a Prometheus the team runs (kube-prometheus-stack),
 *   labelled so its rule selector loads them (it selects `release: <its release name>` by default);
 *   cert-manager's and NGINX's charts bring the ServiceMonitors (their labels are Helm values).
 * - `azure`: PodMonitors of the AKS metrics add-on (`azmonitoring.coreos.com/v1`, the only group it
 *   reads) for cert-manager's controller and the NGINX controller; the rules run in Azure
 *   (components/azure/monitoring.ts).
 * The third mode, `none`, creates nothing here.
 */
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { azureMonitor, certManager, nginxIngress } from "../facts";
import { DEFAULT_PROMETHEUS_SELECTOR } from "../config/keys";
import type { PlatformConfig } from "../config";
import { ALERT_GROUPS, AlertGroup, prometheusDuration, runbookUrl } from "./alert-rules";

/** kube-prometheus-stack's default rule and ServiceMonitor selector (its chart's `release` label): the config key's default. */
export const DEFAULT_PROMETHEUS_OPERATOR_SELECTOR = DEFAULT_PROMETHEUS_SELECTOR;

/** ServiceMonitor labels when a prometheus-operator Prometheus is to select the charts' monitors; none otherwise. */
export function serviceMonitorLabels(config: PlatformConfig): Readonly<Record<string, string>> | undefined {
    return config.monitoring.mode === "prometheus-operator" ? config.monitoring.selectorLabels : undefined;
}

/** Label on every monitoring object the platform creates. */
const PART_OF = { "app.kubernetes.io/part-of": "aks-platform" } as const;

/** A PrometheusRule as the platform writes it: always named, namespaced and labelled. */
export type PlatformPrometheusRule = IPrometheusRule & { metadata: { name: string; namespace: string; labels: Record<string, string> } };

/** Name of the PrometheusRule of an alert group. */
export function prometheusRuleName(group: AlertGroup): string {
    return `${group.name}-alerts`;
}

/**
 * One PrometheusRule per alert group, in the namespace of the component it watches, carrying the
 * selector labels the team's Prometheus selects rules by. Empty selector labels are refused: the
 * rules would exist and never be evaluated, which is the failure this mode is meant to prevent.
 */
export function prometheusRules(selectorLabels: Readonly<Record<string, string>>): PlatformPrometheusRule[] {
    if (Object.keys(selectorLabels).length === 0) {
        throw new Error("prometheusSelectorLabels is empty: kube-prometheus-stack loads only PrometheusRules whose labels match its ruleSelector "
            + `(release: <its release name> by default). Set it to the labels your Prometheus selects, e.g. ${JSON.stringify(DEFAULT_PROMETHEUS_OPERATOR_SELECTOR)}.`);
    }
    const clash = Object.keys(selectorLabels).filter((k) => k in PART_OF);
    if (clash.length > 0) throw new Error(`prometheusSelectorLabels must not set ${clash.join(", ")}: the platform sets it on every monitoring object`);
    return ALERT_GROUPS.map((group) => ({
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: prometheusRuleName(group), namespace: group.namespace, labels: { ...selectorLabels, ...PART_OF } },
        spec: {
            groups: [{
                name: group.name,
                rules: group.rules.map((rule) => ({
                    alert: rule.name,
                    expr: rule.expr,
                    for: prometheusDuration(rule.forMinutes),
                    labels: { severity: rule.severity },
                    annotations: { summary: rule.summary, description: rule.description, runbook_url: runbookUrl(rule) },
                })),
            }],
        },
    }));
}

/** The add-on's PodMonitor (azmonitoring.coreos.com/v1), the fields the platform sets. */
export interface AzurePodMonitor {
    apiVersion: typeof azureMonitor.scrapeApiVersion;
    kind: "PodMonitor";
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    spec: {
        selector: { matchLabels: Record<string, string> };
        podMetricsEndpoints: {
            port: string;
            path: string;
            honorLabels?: boolean;
            interval: string;
            metricRelabelings?: { action: "drop" | "keep"; sourceLabels: string[]; regex: string }[];
        }[];
    };
}

type Endpoint = AzurePodMonitor["spec"]["podMetricsEndpoints"][number];

function podMonitor(name: string, namespace: string, podLabels: Readonly<Record<string, string>>, portName: string,
    extra: Pick<Endpoint, "honorLabels" | "metricRelabelings"> = {}): AzurePodMonitor {
    return {
        apiVersion: azureMonitor.scrapeApiVersion,
        kind: "PodMonitor",
        metadata: { name, namespace, labels: { ...PART_OF } },
        spec: {
            selector: { matchLabels: { ...podLabels } },
            podMetricsEndpoints: [{ port: portName, path: "/metrics", interval: azureMonitor.scrapeInterval, ...extra }],
        },
    };
}

/**
 * What the metrics add-on scrapes: cert-manager's controller (certificate, challenge and ACME
 * metrics all come from it) and the NGINX controller. Endpoints name the container ports, as
 * PodMonitors require.
 * - cert-manager keeps its own labels (`honorLabels`): its certificate metrics carry the
 *   Certificate's `namespace`, and the scrape adds a target label `namespace` (the controller's pod
 *   namespace: prometheus-operator's pkg/prometheus/promcfg.go relabels `__meta_kubernetes_namespace`
 *   to `namespace`, and the add-on's target allocator generates its jobs with that same
 *   generator, Azure/prometheus-collector otelcollector/otel-allocator/internal/watcher/promOperator.go);
 *   without honor_labels Prometheus renames the scraped one to `exported_namespace` (prometheus.io/docs, scrape_config
 *   `honor_labels`), and the alerts group by `namespace`.
 * - NGINX's latency histogram loses its buckets: the alerts use only its `_count`, and 25 buckets
 *   per upstream, status and pod would multiply the samples Azure bills.
 */
export function managedPrometheusScrapes(): AzurePodMonitor[] {
    return [
        podMonitor("cert-manager-controller", certManager.namespace, certManager.podLabels.controller, certManager.ports.metrics.name, { honorLabels: true }),
        podMonitor("nginx-ingress-controller", nginxIngress.namespace, nginxIngress.podLabels(nginxIngress.releaseName), nginxIngress.ports.metrics.name, {
            metricRelabelings: [{ action: "drop", sourceLabels: ["__name__"], regex: "nginx_ingress_controller_upstream_server_response_latency_ms_bucket" }],
        }),
    ];
}

