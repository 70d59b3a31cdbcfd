/**
 * The alert rules as data: every expression parses with Prometheus's own PromQL grammar
 * (@prometheus-io/lezer-promql, the grammar of Prometheus's web UI), names and runbooks are
 * consistent, and the Go evaluator's copy (monitoring/promql/testdata/rules.json) is current.
 * Evaluation against samples is `npm run test:alerts` (Go, the real engine).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parser } from "@prometheus-io/lezer-promql";
import {
    ALERT_GROUPS, allAlertRules, azureSeverity, EXPIRY_ALERT_DAYS, isoDuration, prometheusDuration, RUNBOOK_PAGE, runbookUrl,
} from "../../components/kubernetes/alert-rules";
import { RUNBOOK_BASE_URL } from "../../components/facts";
import { RULES_JSON, rulesJson } from "../../monitoring/write-rules";

/** Syntax errors of a PromQL expression: each with its offset and the text around it; empty when it parses. */
function promqlSyntaxErrors(expr: string): string[] {
    const errors: string[] = [];
    parser.parse(expr).iterate({
        enter(node) {
            if (node.type.isError) errors.push(`at ${node.from}: …${expr.slice(Math.max(0, node.from - 15), node.from + 15)}…`);
        },
    });
    return errors;
}

/** Metric names a PromQL expression selects (the identifiers of its vector selectors). */
function selectedMetrics(expr: string): string[] {
    const names: string[] = [];
    parser.parse(expr).iterate({
        enter(node) {
            if (node.name === "VectorSelector") {
                const id = node.node.getChild("Identifier");
                if (id) names.push(expr.slice(id.from, id.to));
            }
        },
    });
    return names;
}

/** GitHub's anchor for a Markdown heading. */
function anchorOf(heading: string): string {
    return heading.trim().toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-");
}

describe("alert rules", () => {
    it("the syntax check reports broken PromQL (so a clean result means something)", () => {
        assert.deepStrictEqual(promqlSyntaxErrors("sum(rate(up[5m])) > 0"), []);
        assert.notDeepStrictEqual(promqlSyntaxErrors("sum(rate(up[5m]) > 0"), []);
        assert.notDeepStrictEqual(promqlSyntaxErrors("max by namespace (up) == 1"), []);
        assert.notDeepStrictEqual(promqlSyntaxErrors(`up{status=~"4..}`), []);
    });

    for (const rule of allAlertRules()) {
        it(`${rule.name}: parses as PromQL`, () => {
            assert.deepStrictEqual(promqlSyntaxErrors(rule.expr), [], rule.expr);
        });
    }

    it("selects only cert-manager and NGINX Ingress Controller metrics, by their exporters' prefixes", () => {
        for (const rule of allAlertRules()) {
            const metrics = selectedMetrics(rule.expr);
            assert.ok(metrics.length > 0, `${rule.name} selects no metric`);
            for (const m of metrics) assert.match(m, /^(certmanager_|nginx_ingress_)/, `${rule.name}: ${m}`);
        }
    });

    it("alert names are unique and groups are not empty", () => {
        const names = allAlertRules().map((r) => r.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const g of ALERT_GROUPS) assert.ok(g.rules.length > 0, g.name);
    });

    it("the expiry alert fires below 21 days, as its summary says", () => {
        const rule = allAlertRules().find((r) => r.name === "CertificateExpiringSoon");
        assert.ok(rule);
        assert.strictEqual(EXPIRY_ALERT_DAYS, 21);
        assert.ok(rule.expr.includes(`< ${EXPIRY_ALERT_DAYS} * 24 * 3600`), rule.expr);
        assert.ok(rule.summary.includes(`${EXPIRY_ALERT_DAYS} days`));
    });

    it("links every alert to a runbook section that exists in docs/alerts.md", () => {
        const file = path.join(__dirname, "..", "..", "docs", RUNBOOK_PAGE);
        const anchors = fs.readFileSync(file, "utf8").split("\n").filter((l) => /^#+ /.test(l)).map((l) => anchorOf(l.replace(/^#+ /, "")));
        for (const rule of allAlertRules()) {
            assert.strictEqual(runbookUrl(rule), `${RUNBOOK_BASE_URL}/${RUNBOOK_PAGE}#${rule.runbookAnchor}`);
            assert.ok(anchors.includes(rule.runbookAnchor), `${rule.name}: docs/${RUNBOOK_PAGE} has no section #${rule.runbookAnchor}`);
        }
    });

    it("the runbook page lists every alert in its table", () => {
        const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", RUNBOOK_PAGE), "utf8");
        for (const rule of allAlertRules()) assert.ok(doc.includes(`| \`${rule.name}\` | ${rule.severity} |`), `${rule.name} missing from the table`);
    });

    it("converts hold times to Prometheus and ISO 8601 durations, refusing fractions", () => {
        assert.strictEqual(prometheusDuration(10), "10m");
        assert.strictEqual(prometheusDuration(60), "1h");
        assert.strictEqual(prometheusDuration(90), "90m");
        assert.strictEqual(prometheusDuration(0), "0m");
        assert.strictEqual(isoDuration(30), "PT30M");
        assert.throws(() => prometheusDuration(1.5), /whole minutes/);
        assert.throws(() => isoDuration(-1), /whole minutes/);
    });

    it("maps severities to Azure's scale (0 critical, 2 warning)", () => {
        assert.strictEqual(azureSeverity("critical"), 0);
        assert.strictEqual(azureSeverity("warning"), 2);
    });

    it("the Go evaluator's rules.json matches alert-rules.ts (regenerate: node -r tsx/cjs monitoring/write-rules.ts)", () => {
        assert.strictEqual(fs.readFileSync(RULES_JSON, "utf8"), rulesJson());
    });
});
