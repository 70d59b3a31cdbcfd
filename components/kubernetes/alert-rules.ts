/**
 * The platform's alert rules, written once as data. The PrometheusRule objects
 * (prometheus-operator mode) and the Azure Monitor Prometheus rule groups (azure mode) are both
 * built from this list, and `npm run test:alerts` evaluates every expression with the real
 * Prometheus engine against samples shaped like the exporters' own metrics.
 *
 * Metric names and labels, read from the sources of the versions the platform pins:
 * - cert-manager v1.21.1, internal/collectors/certificate_collector.go:
 *   `certmanager_certificate_expiration_timestamp_seconds{name,namespace,issuer_*}` (0 while the
 *   certificate has no notAfter yet) and `certmanager_certificate_ready_status{name,namespace,condition}`
 *   (one series per condition True/False/Unknown, 1 on the current one).
 * - cert-manager v1.21.1, internal/collectors/acme_collector.go:
 *   `certmanager_certificate_challenge_status{status,domain,reason,processing,name,namespace,type}`,
 *   type `DNS-01` or `HTTP-01` (pkg/apis/acme/v1/types_challenge.go), status one of the ACME
 *   states (pkg/apis/acme/v1/types_order.go: valid, ready, pending, processing, invalid, expired, errored).
 * - cert-manager v1.21.1, pkg/metrics/metrics.go + pkg/acme/client/http.go:
 *   `certmanager_http_acme_client_request_count{scheme,host,action,method,status}`, status the
 *   HTTP code, or 999 when no response came back (connection refused, timeout, policy drop).
 * - nginx/kubernetes-ingress v5.5.4, internal/metrics/listener.go: the OSS exporter
 *   (nginx/nginx-prometheus-exporter v1.5.1, collector/nginx.go + helper.go) with namespace
 *   `nginx_ingress_nginx` and const label `class` (cmd/nginx-ingress/main.go), so
 *   `nginx_ingress_nginx_up{class}` is 1 while the controller can read NGINX's stub status.
 * - nginx/kubernetes-ingress v5.5.4, internal/metrics/collectors/latency.go: the histogram
 *   `nginx_ingress_controller_upstream_server_response_latency_ms{upstream,server,code,service,
 *   resource_type,resource_name,resource_namespace,pod_name,class}`, one observation per upstream
 *   response, `code` the upstream status. It exists only with `controller.enableLatencyMetrics: true`
 *   (charts/nginx-ingress/values.yaml), and a request NGINX could not connect upstream for is not
 *   recorded (parseMessage drops it), so the 5xx ratio counts 5xx answered by the application.
 */
import { certManager, nginxIngress, RUNBOOK_BASE_URL } from "../facts";

export type AlertSeverity = "critical" | "warning";

export interface AlertRule {
    /** Alert name, as Prometheus and Azure Monitor show it. */
    readonly name: string;
    /** PromQL; the alert is pending for every series it returns. */
    readonly expr: string;
    /** Minutes the expression must keep returning a series before the alert fires. */
    readonly forMinutes: number;
    readonly severity: AlertSeverity;
    /** One line, templated with `{{ $labels.x }}` (both Prometheus and Azure expand it). */
    readonly summary: string;
    /** What it means and where to look first. */
    readonly description: string;
    /** Section of docs/alerts.md, the runbook. */
    readonly runbookAnchor: string;
}

export interface AlertGroup {
    /** Group name: the PrometheusRule group and the stem of the Azure rule group's name. */
    readonly name: string;
    /** Namespace of the component the group watches (and of its PrometheusRule). */
    readonly namespace: string;
    readonly rules: readonly AlertRule[];
}

/** Days before expiry at which a certificate alert fires: cert-manager renews at 30 days left (2/3 of a 90-day certificate), so 21 means renewal has failed for 9 days. */
export const EXPIRY_ALERT_DAYS = 21;

/** Failed ACME requests (4xx, 5xx or no answer) in an hour above which an alert fires; an occasional badNonce (400) stays below it. */
export const ACME_FAILED_REQUESTS_PER_HOUR = 3;

/** Minutes a DNS-01 challenge may stay unfinished: the Azure DNS record normally propagates and validates within a few minutes. */
export const DNS01_STUCK_MINUTES = 30;

/** Share of upstream responses with a 5xx status (per Ingress) above which an alert fires. */
export const INGRESS_5XX_RATIO = 0.05;

/** The page every runbook link points into. */
export const RUNBOOK_PAGE = "alerts.md";

/** The full runbook URL of an alert. */
export function runbookUrl(rule: AlertRule): string {
    return `${RUNBOOK_BASE_URL}/${RUNBOOK_PAGE}#${rule.runbookAnchor}`;
}

const certificateRules: readonly AlertRule[] = [
    {
        name: "CertificateExpiringSoon",
        // `> 0` first: a certificate that was never issued reports 0, which is NotReady's case, not an expiry.
        expr: `(certmanager_certificate_expiration_timestamp_seconds > 0) - time() < ${EXPIRY_ALERT_DAYS} * 24 * 3600`,
        forMinutes: 60,
        severity: "warning",
        summary: `Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than ${EXPIRY_ALERT_DAYS} days`,
        description: "cert-manager renews 30 days before expiry, so renewal has been failing for over a week. Check the Certificate's CertificateRequests, Orders and Challenges.",
        runbookAnchor: "certificateexpiringsoon",
    },
    {
        name: "CertificateNotReady",
        expr: `max by (namespace, name) (certmanager_certificate_ready_status{condition!="True"}) == 1`,
        forMinutes: 10,
        severity: "critical",
        summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} has not been ready for 10 minutes",
        description: "Issuance or renewal is stuck: the issuer may not be ready, or a challenge cannot complete. Ingresses using it serve the old or the default certificate.",
        runbookAnchor: "certificatenotready",
    },
    {
        name: "AcmeRequestsFailing",
        expr: `sum by (host) (increase(certmanager_http_acme_client_request_count{status=~"4..|5..|999"}[1h])) > ${ACME_FAILED_REQUESTS_PER_HOUR}`,
        forMinutes: 5,
        severity: "warning",
        summary: `More than ${ACME_FAILED_REQUESTS_PER_HOUR} ACME requests to {{ $labels.host }} failed in the last hour`,
        description: "The ACME server answers with errors (rate limit, bad account, refused order) or cannot be reached at all (status 999: DNS, egress policy, outage).",
        runbookAnchor: "acmerequestsfailing",
    },
    {
        name: "Dns01ChallengeStuck",
        expr: `max by (namespace, name, domain) (certmanager_certificate_challenge_status{type="DNS-01", status=~"pending|processing|errored|invalid"}) == 1`,
        forMinutes: DNS01_STUCK_MINUTES,
        severity: "warning",
        summary: `DNS-01 challenge {{ $labels.namespace }}/{{ $labels.name }} for {{ $labels.domain }} has not succeeded for ${DNS01_STUCK_MINUTES} minutes`,
        description: "cert-manager cannot write the TXT record in Azure DNS (workload identity, role on the zone) or the record is not visible to the self-check (delegation, recursive nameservers).",
        runbookAnchor: "dns01challengestuck",
    },
];

const ingressRules: readonly AlertRule[] = [
    {
        name: "IngressControllerDown",
        // absent(): fires also when no controller is scraped at all, which is the outage a
        // missing series would otherwise hide.
        expr: `absent(nginx_ingress_nginx_up{class="${nginxIngress.ingressClassName}"} == 1)`,
        forMinutes: 5,
        severity: "critical",
        summary: "No NGINX ingress controller pod reports NGINX up",
        description: "Every Ingress of the platform is unreachable, or the controller's metrics cannot be scraped (pods crashing, metrics port blocked).",
        runbookAnchor: "ingresscontrollerdown",
    },
    {
        name: "IngressHigh5xxRate",
        expr: [
            `sum by (resource_namespace, resource_name) (rate(nginx_ingress_controller_upstream_server_response_latency_ms_count{code=~"5.."}[5m]))`,
            `/ sum by (resource_namespace, resource_name) (rate(nginx_ingress_controller_upstream_server_response_latency_ms_count[5m]))`,
            `> ${INGRESS_5XX_RATIO}`,
        ].join(" "),
        forMinutes: 10,
        severity: "warning",
        summary: `More than ${INGRESS_5XX_RATIO * 100}% of responses through Ingress {{ $labels.resource_namespace }}/{{ $labels.resource_name }} are 5xx`,
        description: "The application behind this Ingress answers with server errors. Requests the controller could not deliver at all are not counted here (see IngressControllerDown and the app's pods).",
        runbookAnchor: "ingresshigh5xxrate",
    },
];

/** Every alert the platform defines, by the component it watches. */
export const ALERT_GROUPS: readonly AlertGroup[] = [
    { name: "certificates", namespace: certManager.namespace, rules: certificateRules },
    { name: "ingress", namespace: nginxIngress.namespace, rules: ingressRules },
];

/** Every alert, flat. */
export function allAlertRules(): AlertRule[] {
    return ALERT_GROUPS.flatMap((g) => [...g.rules]);
}

/** Prometheus duration syntax (`10m`, `1h`). */
export function prometheusDuration(minutes: number): string {
    if (!Number.isInteger(minutes) || minutes < 0) throw new Error(`alert duration must be whole minutes, got ${minutes}`);
    return minutes > 0 && minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

/** ISO 8601 duration (`PT10M`), as Azure Monitor's rule groups take `for` and `timeToResolve`. */
export function isoDuration(minutes: number): string {
    if (!Number.isInteger(minutes) || minutes < 0) throw new Error(`alert duration must be whole minutes, got ${minutes}`);
    return `PT${minutes}M`;
}

/**
 * Azure Monitor alert severity, 0 to 4 (Sev0 Critical, Sev1 Error, Sev2 Warning, Sev3 Informational,
 * Sev4 Verbose: learn.microsoft.com/javascript/api/@azure/arm-cloudhealth/knownalertseverity; a rule
 * group rule's `severity` takes the number, learn.microsoft.com/azure/azure-monitor/metrics/prometheus-rule-groups).
 */
export function azureSeverity(severity: AlertSeverity): number {
    return severity === "critical" ? 0 : 2;
}

/** Plain data for the Go evaluator (monitoring/promql): name, expression, hold time in seconds. */
export interface EvaluatedRule {
    readonly group: string;
    readonly alert: string;
    readonly expr: string;
    readonly forSeconds: number;
}

export function rulesForEvaluation(): EvaluatedRule[] {
    return ALERT_GROUPS.flatMap((g) => g.rules.map((r) => ({ group: g.name, alert: r.name, expr: r.expr, forSeconds: r.forMinutes * 60 })));
}
