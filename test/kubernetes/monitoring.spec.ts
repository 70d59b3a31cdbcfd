import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { at, ofType, stackRun } from "../support/runs";
import { validateObject } from "../support/schema";
import { certificateAlertRules, EXPIRY_ALERT_DAYS } from "../../components/kubernetes/monitoring";
import { RUNBOOK_BASE_URL } from "../../components/facts";

const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

interface AlertRule { alert: string; expr: string; for: string; annotations: Record<string, string> }

function alerts(): AlertRule[] {
    return (certificateAlertRules().spec.groups ?? []).flatMap((g) => (g.rules ?? []) as unknown as AlertRule[]);
}

/** GitHub's anchor for a Markdown heading. */
function anchorOf(heading: string): string {
    return heading.trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-");
}

describe("certificate monitoring", () => {
    it("validates against the prometheus-operator schema", () => {
        validateObject(certificateAlertRules() as unknown as Record<string, unknown>);
    });

    it("alerts on certificates expiring within 21 days", () => {
        const rule = alerts().find((a) => a.alert === "CertificateExpiringSoon");
        assert.ok(rule);
        assert.strictEqual(EXPIRY_ALERT_DAYS, 21);
        assert.match(rule.expr, /certmanager_certificate_expiration_timestamp_seconds - time\(\)\) < 21 \* 24 \* 3600/);
    });

    it("alerts on certificates not ready for 10 minutes", () => {
        const rule = alerts().find((a) => a.alert === "CertificateNotReady");
        assert.ok(rule);
        assert.strictEqual(rule.for, "10m");
        assert.match(rule.expr, /certmanager_certificate_ready_status\{condition!="True"\}/);
    });

    it("alerts on rising ACME and DNS-01 failures", () => {
        assert.ok(alerts().some((a) => /certmanager_http_acme_client_request_count\{status=~"4\.\.\|5\.\."\}/.test(a.expr)));
        assert.ok(alerts().some((a) => /controller="challenges"/.test(a.expr)));
    });

    it("links every alert to a runbook section that exists in docs/", () => {
        for (const a of alerts()) {
            const url = a.annotations.runbook_url;
            assert.ok(url.startsWith(`${RUNBOOK_BASE_URL}/`), url);
            const [page, anchor] = url.slice(RUNBOOK_BASE_URL.length + 1).split("#");
            const file = path.join(__dirname, "..", "..", "docs", page);
            assert.ok(fs.existsSync(file), `${a.alert}: docs/${page} is missing`);
            const anchors = fs.readFileSync(file, "utf8").split("\n").filter((l) => /^#+ /.test(l)).map((l) => anchorOf(l.replace(/^#+ /, "")));
            assert.ok(anchors.includes(anchor), `${a.alert}: docs/${page} has no section #${anchor} (has ${anchors.join(", ")})`);
        }
    });

    it("is created only when monitoring is enabled, after cert-manager, with the chart's ServiceMonitor on", async () => {
        const dev = (await stackRun("dev")).resources;
        assert.strictEqual(ofType(dev, RULE).length, 0);
        const staging = (await stackRun("staging")).resources;
        const rules = ofType(staging, RULE);
        assert.strictEqual(rules.length, 1);
        const release = ofType(staging, "kubernetes:helm.sh/v3:Release").find((r) => String(r.props.chart) === "cert-manager");
        assert.ok(release && rules[0].dependencies.includes(release.urn));
        assert.strictEqual(at(release.props.values, "prometheus.servicemonitor.enabled"), true);
        const devRelease = ofType(dev, "kubernetes:helm.sh/v3:Release").find((r) => String(r.props.chart) === "cert-manager");
        assert.strictEqual(at(devRelease?.props.values, "prometheus.servicemonitor.enabled"), false);
        const nginx = (rs: typeof dev) => ofType(rs, "kubernetes:helm.sh/v3:Release").find((r) => String(r.props.chart).endsWith("nginx-ingress"));
        assert.strictEqual(at(nginx(staging)?.props.values, "prometheus.serviceMonitor.create"), true);
        assert.strictEqual(at(nginx(staging)?.props.values, "prometheus.service.create"), true);
        assert.strictEqual(at(nginx(dev)?.props.values, "prometheus.serviceMonitor.create"), false);
    });
});
