import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { certManager, RUNBOOK_BASE_URL } from "../facts";

/** Days before expiry at which a certificate alert fires (cert-manager renews at 30 days left by default). */
export const EXPIRY_ALERT_DAYS = 21;

/**
 * Alerts that watch certificate expiry and issuance, on cert-manager's own metrics:
 * expiring within 21 days (renewal has failed for 9 days), not ready for 10 minutes,
 * and ACME or DNS-01 challenge errors rising.
 */
export function certificateAlertRules(): IPrometheusRule {
    const runbook = (page: string, anchor: string): string => `${RUNBOOK_BASE_URL}/${page}#${anchor}`;
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "certificate-alerts", namespace: certManager.namespace, labels: { "app.kubernetes.io/part-of": "aks-platform" } },
        spec: {
            groups: [{
                name: "certificates",
                rules: [
                    {
                        alert: "CertificateExpiringSoon",
                        expr: `(certmanager_certificate_expiration_timestamp_seconds - time()) < ${EXPIRY_ALERT_DAYS} * 24 * 3600`,
                        for: "1h",
                        labels: { severity: "warning" },
                        annotations: {
                            summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than 21 days",
                            description: "cert-manager renews 30 days before expiry; renewal has been failing for over a week. Check the Certificate's Orders and Challenges.",
                            runbook_url: runbook("troubleshooting.md", "certificate-not-renewing"),
                        },
                    },
                    {
                        alert: "CertificateNotReady",
                        expr: `max by (namespace, name) (certmanager_certificate_ready_status{condition!="True"}) == 1`,
                        for: "10m",
                        labels: { severity: "critical" },
                        annotations: {
                            summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} has not been ready for 10 minutes",
                            description: "Issuance or renewal is stuck: the issuer may not be ready, or the DNS-01 challenge cannot complete.",
                            runbook_url: runbook("troubleshooting.md", "issuer-not-ready"),
                        },
                    },
                    {
                        alert: "AcmeRequestErrorsRising",
                        expr: `sum by (host) (rate(certmanager_http_acme_client_request_count{status=~"4..|5.."}[15m])) > 0`,
                        for: "15m",
                        labels: { severity: "warning" },
                        annotations: {
                            summary: "ACME requests to {{ $labels.host }} are failing",
                            description: "Let's Encrypt is answering with errors (rate limits, bad account, unreachable directory).",
                            runbook_url: runbook("rate-limits.md", "when-you-hit-a-limit"),
                        },
                    },
                    {
                        alert: "Dns01ChallengeErrorsRising",
                        expr: `sum(increase(certmanager_controller_sync_error_count{controller="challenges"}[15m])) > 0`,
                        for: "15m",
                        labels: { severity: "warning" },
                        annotations: {
                            summary: "cert-manager's challenge controller keeps failing",
                            description: "DNS-01 challenges cannot be presented or verified: check workload identity, the DNS Zone Contributor role and the recursive nameservers.",
                            runbook_url: runbook("troubleshooting.md", "dns-01-propagation"),
                        },
                    },
                ],
            }],
        },
    };
}

export interface CertificateMonitoringArgs {
    /** Kubernetes provider of the cluster. Required. */
    provider: k8s.Provider;
    /** cert-manager's release (the metrics exist once it runs; the ServiceMonitor comes with its chart). Required. */
    certManagerRelease: pulumi.Resource;
}

/**
 * Certificate monitoring: the PrometheusRule above. Needs prometheus-operator's CRDs in the
 * cluster (the platform does not install Prometheus); cert-manager's ServiceMonitor comes from its chart.
 */
export class CertificateMonitoring extends pulumi.ComponentResource {
    constructor(name: string, args: CertificateMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:CertificateMonitoring", name, {}, opts);
        const rule = certificateAlertRules();
        new k8s.apiextensions.CustomResource(`${name}-certificate-alerts`, { ...rule }, {
            parent: this, provider: args.provider, dependsOn: [args.certManagerRelease],
        });
        this.registerOutputs({});
    }
}
