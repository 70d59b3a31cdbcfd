/**
 * The docs say only what the code does: the README's size and its figures and versions (checked
 * against components/facts.ts, the policy rules, the engine's pinned CLI, package.json), every
 * relative link and anchor in README.md and docs/, config keys and alert names the pages mention,
 * and the cost page's generated estimate (plan/cost.ts). Each checker is also run on a broken
 * sample, so a checker that stops finding problems fails here too.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { KEYS } from "../components/config";
import { certManager, istioCsr, nginxIngress } from "../components/facts";
import { allAlertRules } from "../components/kubernetes/alert-rules";
import { policies } from "../policy-pack/rules";
import { pinnedCliVersion } from "../engine/toolchain";
import { listStacks, REPO_ROOT, stackPlatformConfig } from "../plan/stack-config";
import { replaceBetween } from "../plan/config-docs";
import {
    COST_DOC_FILE, COST_END_MARKER, COST_START_MARKER, costLines, estimate, HOURS_PER_MONTH, isListPrice, Meter, meterPrice, Price, renderCostSection,
} from "../plan/cost";

const README = "README.md";
const README_MAX_BYTES = 15000;

function read(rel: string): string {
    return fs.readFileSync(path.join(REPO_ROOT, rel), "utf8");
}

/** README.md and every page under docs/, relative to the repository root. */
function pages(): string[] {
    return [README, ...fs.readdirSync(path.join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

/** The text outside fenced code blocks (``` ... ```), line structure kept. */
function prose(markdown: string): string {
    let inFence = false;
    return markdown.split("\n").map((line) => {
        if (/^\s*```/.test(line)) {
            inFence = !inFence;
            return "";
        }
        return inFence ? "" : line;
    }).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Links and anchors

/** GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const anchors = new Set<string>();
    for (const line of prose(markdown).split("\n")) {
        const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (!m) continue;
        const base = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    return anchors;
}

/** Every relative link of a page that points at no file, or at no heading of its target. */
export function brokenLinks(page: string, markdown: string, exists: (rel: string) => string | undefined): string[] {
    const problems: string[] = [];
    const text = prose(markdown).replace(/`[^`]*`/g, "");
    for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [file, anchor] = target.split("#", 2);
        const rel = file === "" ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
        const content = exists(rel);
        if (content === undefined) {
            problems.push(`${page}: link to ${target}: no file ${rel}`);
            continue;
        }
        if (anchor !== undefined && rel.endsWith(".md") && !headingAnchors(content).has(anchor)) {
            problems.push(`${page}: link to ${target}: ${rel} has no heading with anchor #${anchor}`);
        }
    }
    return problems;
}

function repoFile(rel: string): string | undefined {
    const file = path.join(REPO_ROOT, rel);
    if (!fs.existsSync(file)) return undefined;
    return fs.statSync(file).isDirectory() ? "" : fs.readFileSync(file, "utf8");
}

// ---------------------------------------------------------------------------------------------
// Versions and figures the README quotes

/** Versions (x.y.z, with or without a leading v) the README quotes; IPv4 addresses are not versions. */
export function quotedVersions(text: string): string[] {
    return [...text.matchAll(/(?<![\w.])v?\d+\.\d+\.\d+(?![\w.]*\d)(?!\.\d)/g)].map((m) => m[0].replace(/^v/, ""));
}

/** The versions the code pins, by what they are. */
function pinnedVersions(): Map<string, string> {
    const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const known = new Map<string, string>([
        [certManager.version.replace(/^v/, ""), "cert-manager chart (components/facts.ts)"],
        [nginxIngress.version, "F5 NGINX Ingress chart (components/facts.ts)"],
        [istioCsr.version.replace(/^v/, ""), "istio-csr chart (components/facts.ts)"],
        [pinnedCliVersion(), "Pulumi CLI of the engine tier (engine/go/cli/go.mod)"],
        [read(".github/pulumi-version").trim(), "Pulumi CLI of CI (.github/pulumi-version)"],
    ]);
    for (const [name, v] of Object.entries({ ...pkg.devDependencies, ...pkg.dependencies })) known.set(v.replace(/^[\^~]/, ""), `npm ${name}`);
    return known;
}

export function unknownVersions(text: string, known: ReadonlyMap<string, string>): string[] {
    return quotedVersions(text).filter((v) => !known.has(v));
}

/** "N rules: M mandatory, K advisory": the pack's own counts, or a message naming what differs. */
export function ruleCountProblems(text: string, levels: readonly string[]): string[] {
    const m = /(\d+) rules: (\d+) mandatory, (\d+) advisory/.exec(text);
    if (!m) return ["no \"N rules: M mandatory, K advisory\" phrase"];
    const [total, mandatory, advisory] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const want = { total: levels.length, mandatory: levels.filter((l) => l === "mandatory").length, advisory: levels.filter((l) => l === "advisory").length };
    const out: string[] = [];
    if (total !== want.total) out.push(`says ${total} rules; policy-pack/rules has ${want.total}`);
    if (mandatory !== want.mandatory) out.push(`says ${mandatory} mandatory; the rules declare ${want.mandatory}`);
    if (advisory !== want.advisory) out.push(`says ${advisory} advisory; the rules declare ${want.advisory}`);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Names the pages mention

function camelWords(name: string): string[] {
    return name.split(/(?=[A-Z])/);
}

/**
 * Backticked names that look like config keys (their first word starts a key's name, as
 * `monitoring` starts `monitoringMode`) but are none, and are not stack outputs or chart values
 * either: a key renamed or removed since the page was written.
 */
export function unknownKeyLikeNames(markdown: string, keys: readonly string[], otherNames: ReadonlySet<string>): string[] {
    const firstWords = new Set(keys.map((k) => camelWords(k)[0]));
    const out = new Set<string>();
    const candidates = [
        ...[...markdown.matchAll(/`([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)`/g)].map((m) => m[1]),
        ...[...markdown.matchAll(/aks-platform:([A-Za-z0-9]+)/g)].map((m) => m[1]),
        ...[...markdown.matchAll(/pulumi config set (?:--path '|--secret )?([a-z][A-Za-z0-9]*)/g)].map((m) => m[1]),
    ];
    for (const name of candidates) {
        if (keys.includes(name) || otherNames.has(name)) continue;
        if (firstWords.has(camelWords(name)[0])) out.add(name);
    }
    return [...out];
}

/** Backticked names a page calls an alert ("the `X` alert", "alert `X`") that are no alert rule. */
export function unknownAlerts(markdown: string, alerts: ReadonlySet<string>): string[] {
    const names = [
        ...[...markdown.matchAll(/`([A-Z][A-Za-z0-9]+)` alert/g)].map((m) => m[1]),
        ...[...markdown.matchAll(/alert `([A-Z][A-Za-z0-9]+)`/g)].map((m) => m[1]),
    ];
    return [...new Set(names.filter((n) => !alerts.has(n)))];
}

/** The stack's exported outputs (index.ts `export const`): names docs may quote that are not keys. */
function stackOutputs(): Set<string> {
    return new Set([...read("index.ts").matchAll(/^export const (\w+)/gm)].map((m) => m[1]));
}

/** Chart values the docs quote whose first word is also a key's (cert-manager v1.21.1 values.yaml). */
const CHART_VALUES = new Set(["dns01RecursiveNameservers", "dns01RecursiveNameserversOnly"]);

/** Identifiers in the project's TypeScript code, comments left out (a stale comment is no evidence). */
function codeIdentifiers(): Set<string> {
    const names = new Set<string>();
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                if (entry.name !== "node_modules") walk(full);
            } else if (entry.name.endsWith(".ts")) {
                const code = fs.readFileSync(full, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
                for (const m of code.matchAll(/[A-Za-z_$][\w$]*/g)) names.add(m[0]);
            }
        }
    };
    for (const dir of ["components", "plan", "policy-pack"]) walk(path.join(REPO_ROOT, dir));
    return names;
}

// ---------------------------------------------------------------------------------------------

describe("docs: the README", () => {
    const readme = read(README);

    it(`is at most ${README_MAX_BYTES} bytes`, () => {
        const bytes = Buffer.byteLength(readme, "utf8");
        assert.ok(bytes <= README_MAX_BYTES, `README.md is ${bytes} bytes; move detail into docs/ and link it`);
    });

    it("keeps the two commands, running it for real, the architecture picture and the way to the docs", () => {
        for (const must of ["npm ci && npm start", "npm test", "pulumi up --policy-pack policy-pack", "az login", "kubelogin", "pulumi config set", "```mermaid", "docs/first-deploy.md", "docs/testing.md", "Mutation score"]) {
            assert.ok(readme.includes(must), `README.md no longer says ${JSON.stringify(must)}`);
        }
    });

    it("quotes only versions the code pins", () => {
        const known = pinnedVersions();
        assert.deepStrictEqual(unknownVersions(readme, known), [], `README.md quotes versions the code does not pin; pinned: ${[...known].map(([v, what]) => `${v} (${what})`).join(", ")}`);
        assert.ok(quotedVersions(readme).length >= 3, "README.md should name the pinned cert-manager, NGINX chart and CLI versions");
    });

    it("names the pinned cert-manager, NGINX chart and Pulumi CLI versions where it names those things", () => {
        assert.strictEqual(/cert-manager\*\* (v\d+\.\d+\.\d+)/.exec(readme)?.[1], certManager.version);
        assert.strictEqual(/NGINX Ingress Controller\*\* \(chart (\d+\.\d+\.\d+)\)/.exec(readme)?.[1], nginxIngress.version);
        assert.strictEqual(/Pulumi CLI v(\d+\.\d+\.\d+)/.exec(readme)?.[1], pinnedCliVersion());
        assert.strictEqual(pinnedCliVersion(), read(".github/pulumi-version").trim(), "the engine tier and CI pin different CLI versions");
    });

    it("counts the policy rules as policy-pack/rules declares them, and prod's config makes exactly the advisory ones mandatory", () => {
        assert.deepStrictEqual(ruleCountProblems(readme, policies.map((p) => p.enforcementLevel)), []);
        const prod = JSON.parse(read("policy-pack/config/prod.json")) as Record<string, { enforcementLevel?: string }>;
        const advisory = policies.filter((p) => p.enforcementLevel === "advisory").map((p) => p.name).sort();
        assert.deepStrictEqual(Object.keys(prod).filter((k) => prod[k].enforcementLevel === "mandatory").sort(), advisory);
    });

    it("states the Node.js floor package.json and @pulumi/pulumi declare", () => {
        const floor = (json: string): string | undefined => /^>=\s*(\d+)$/.exec((JSON.parse(json) as { engines?: { node?: string } }).engines?.node ?? "")?.[1];
        const ours = floor(read("package.json"));
        assert.ok(ours !== undefined);
        assert.strictEqual(floor(read("node_modules/@pulumi/pulumi/package.json")), ours);
        assert.ok(readme.includes(`Node.js ${ours} or`) && readme.includes(`node >= ${ours}`), `README.md should state Node.js ${ours}`);
    });

    it("carries no generated block: the config table and the flows live in docs/", () => {
        for (const marker of ["<!-- config:start -->", "<!-- flows:start -->", "<!-- cost:start -->"]) assert.ok(!readme.includes(marker), marker);
    });
});

describe("docs: links, keys and alerts in README.md and docs/", () => {
    it("every relative link points at a file, and every #anchor at a heading of it", () => {
        const problems = pages().flatMap((p) => brokenLinks(p, read(p), repoFile));
        assert.deepStrictEqual(problems, []);
    });

    it("config keys the pages name exist (a backticked name that starts like a key must be a key, an output, a chart value or a name in the code)", () => {
        const others = new Set([...stackOutputs(), ...CHART_VALUES, ...codeIdentifiers()]);
        const keys = Object.keys(KEYS);
        const problems = pages().flatMap((p) => unknownKeyLikeNames(read(p), keys, others).map((n) => `${p}: \`${n}\` is no config key (components/config/keys.ts)`));
        assert.deepStrictEqual(problems, []);
    });

    it("alerts the pages name exist in components/kubernetes/alert-rules.ts", () => {
        const alerts = new Set(allAlertRules().map((r) => r.name));
        const problems = pages().flatMap((p) => unknownAlerts(read(p), alerts).map((n) => `${p}: no alert ${n}`));
        assert.deepStrictEqual(problems, []);
    });

    it("the README's mutation score and date are the ones docs/testing.md measured", () => {
        const line = /^Mutation score \(StrykerJS, measured (\d{4}-\d{2}-\d{2})\): (.+)$/m.exec(read(README));
        assert.ok(line, "README.md has no line \"Mutation score (StrykerJS, measured YYYY-MM-DD): ...\"");
        const testing = read("docs/testing.md");
        const section = testing.slice(testing.indexOf("## Mutation testing"));
        assert.ok(section.includes(`Measured ${line[1]}`), `docs/testing.md's mutation section was not measured on ${line[1]}`);
        const percents = line[2].match(/\d+(\.\d)? %/g) ?? [];
        assert.ok(percents.length > 0, "the README line quotes no score");
        for (const p of percents) assert.ok(section.includes(`| ${p} |`), `${p} is not a score in docs/testing.md's mutation table`);
    });
});

describe("docs: the checkers find what they are for", () => {
    it("a missing file and a missing anchor are reported, a good link and an external one are not", () => {
        const md = "[ok](a.md#second-part) [self](#top) [gone](missing.md) [bad anchor](a.md#nope) [web](https://example.com/x) `[code](nope.md)`\n# Top\n";
        const files: Record<string, string> = { "docs/a.md": "# A page\n\n## Second part\n", "docs/b.md": md };
        const exists = (rel: string): string | undefined => files[rel];
        assert.deepStrictEqual(brokenLinks("docs/b.md", md, exists), [
            "docs/b.md: link to missing.md: no file docs/missing.md",
            "docs/b.md: link to a.md#nope: docs/a.md has no heading with anchor #nope",
        ]);
    });

    it("anchors follow GitHub's rules: punctuation dropped, numbered steps kept, repeats numbered", () => {
        assert.deepStrictEqual([...headingAnchors("## 2. Choose the parent zone\n## `cert-manager` and its CRDs\n## Runbooks\n## Runbooks\n```\n# not a heading\n```\n")],
            ["2-choose-the-parent-zone", "cert-manager-and-its-crds", "runbooks", "runbooks-1"]);
    });

    it("a version the code does not pin is reported; IP addresses and CIDRs are not versions", () => {
        const known = new Map([["1.21.1", "cert-manager"]]);
        assert.deepStrictEqual(unknownVersions("cert-manager v1.21.1 and v1.19.0, from 203.0.113.10 and 10.10.0.0/16", known), ["1.19.0"]);
    });

    it("wrong rule counts are reported", () => {
        const levels = ["mandatory", "mandatory", "advisory"];
        assert.deepStrictEqual(ruleCountProblems("3 rules: 2 mandatory, 1 advisory", levels), []);
        assert.strictEqual(ruleCountProblems("16 rules: 12 mandatory, 4 advisory", levels).length, 3);
        assert.strictEqual(ruleCountProblems("no counts here", levels).length, 1);
    });

    it("a renamed key is reported, keys, outputs and unrelated names are not", () => {
        const keys = ["monitoringMode", "prometheusSelectorLabels", "dnsZoneName"];
        const md = "With `monitoringEnabled` and `prometheusOperatorSelectorLabels`, `monitoringMode`, `dnsZoneName`, `ingressIp`, `ipBlock`.\n"
            + "aks-platform:dnsZone: x\npulumi config set monitoringMod none\n";
        assert.deepStrictEqual(unknownKeyLikeNames(md, keys, new Set(["ingressIp"])), ["monitoringEnabled", "prometheusOperatorSelectorLabels", "dnsZone", "monitoringMod"]);
    });

    it("an alert that no rule defines is reported", () => {
        assert.deepStrictEqual(unknownAlerts("The `AcmeRequestErrorsRising` alert fires; alert `CertificateNotReady` too.", new Set(["CertificateNotReady"])), ["AcmeRequestErrorsRising"]);
    });
});

describe("docs: cost (plan/cost.ts and docs/cost.md)", () => {
    const stacks = listStacks().map((stack) => ({ stack, config: stackPlatformConfig(stack) }));

    it(`${COST_DOC_FILE} carries the estimate of every stack, up to date`, () => {
        const page = read(COST_DOC_FILE);
        assert.ok(page.includes(COST_START_MARKER) && page.includes(COST_END_MARKER), `${COST_DOC_FILE} lacks the cost markers`);
        const expected = replaceBetween(page, COST_START_MARKER, COST_END_MARKER, renderCostSection(stacks));
        assert.ok(page === expected, `${COST_DOC_FILE}'s estimate is stale (a stack file, a default or a price changed): run \`npm run docs\``);
    });

    for (const { stack, config } of stacks) {
        it(`${stack}: node hours follow the pools' autoscaler bounds, and the tier follows the environment`, () => {
            const lines = costLines(config);
            const pool = (item: string): { min: number; max: number; meter: Meter } => {
                const l = lines.find((x) => x.item === item);
                assert.ok(l, item);
                return l;
            };
            const { systemPool, userPool } = config.cluster;
            assert.deepStrictEqual([pool("system node pool").min, pool("system node pool").max], [systemPool.minCount * HOURS_PER_MONTH, systemPool.maxCount * HOURS_PER_MONTH]);
            assert.deepStrictEqual([pool("user node pool").min, pool("user node pool").max], [userPool.minCount * HOURS_PER_MONTH, userPool.maxCount * HOURS_PER_MONTH]);
            assert.deepStrictEqual(pool("system node pool").meter, { kind: "vm", vmSize: systemPool.vmSize, region: config.location });
            assert.deepStrictEqual(pool("cluster management").meter, { kind: "cluster", tier: config.environment === "prod" ? "Standard" : "Free" });
            assert.strictEqual(lines.filter((l) => l.meter.kind === "public-ip").length, 2, "the ingress IP and AKS's outbound IP");
        });
    }

    it("prod's priced part is the Standard tier's 730 cluster-hours at 0.10 USD; the other stacks' is zero", () => {
        for (const { stack, config } of stacks) {
            const e = estimate(costLines(config));
            const want = config.environment === "prod" ? 0.1 * HOURS_PER_MONTH : 0;
            assert.ok(Math.abs(e.pricedMin - want) < 1e-9 && Math.abs(e.pricedMax - want) < 1e-9, `${stack}: ${e.pricedMin}-${e.pricedMax}`);
        }
    });

    it("sums every priced line at min and max and lists every unpriced one (never counted as free)", () => {
        const lines = costLines(stacks[0].config);
        const perUnit = (): Price => ({ usd: 2, per: "unit", region: "test", date: "2026-01-01", source: "https://example.com/price", note: "test" });
        const all = estimate(lines, perUnit);
        assert.strictEqual(all.pricedMin, lines.reduce((s, l) => s + 2 * l.min, 0));
        assert.strictEqual(all.pricedMax, lines.reduce((s, l) => s + 2 * l.max, 0));
        assert.deepStrictEqual(all.unpriced, []);
        const none = estimate(lines, () => ({ page: "https://example.com", lookup: "curl ..." }));
        assert.strictEqual(none.pricedMax, 0);
        assert.deepStrictEqual(none.unpriced, lines.map((l) => l.item));
    });

    it("every list price names its source URL, date and region; every missing one names the query that reads it", () => {
        for (const { config } of stacks) {
            for (const l of costLines(config)) {
                const p = meterPrice(l.meter);
                if (isListPrice(p)) {
                    assert.match(p.source, /^https:\/\/(learn\.microsoft\.com|techcommunity\.microsoft\.com|azure\.microsoft\.com)\//, l.item);
                    assert.match(p.date, /^\d{4}-\d{2}-\d{2}$/, l.item);
                    assert.ok(p.region.length > 0 && p.usd >= 0, l.item);
                } else {
                    assert.match(p.lookup, /^curl -s "https:\/\/prices\.azure\.com\/api\/retail\/prices\?\\\$filter=/, l.item);
                    assert.match(p.page, /^https:\/\/azure\.microsoft\.com\/pricing\//, l.item);
                }
            }
        }
    });
});
