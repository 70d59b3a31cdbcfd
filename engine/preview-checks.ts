/**
 * What the engine tier reads from a real `pulumi preview`: its `--json` document (steps and the
 * change summary) and its `--event-log` (policy events and summaries), and how that is compared
 * with the offline plan. Shapes: pulumi/pulumi sdk/go/common/apitype/events.go (EngineEvent,
 * PolicyEvent, PolicyAnalyzeSummaryEvent, PolicyAnalyzeStackSummaryEvent) and
 * pkg/backend/display/json.go (the preview document: steps, changeSummary, diagnostics).
 */
import type { PackPolicy } from "../policy-pack/rules/lib/rule";

export interface PreviewStep { op: string; urn: string }
export interface PreviewDocument { steps: PreviewStep[]; changeSummary: Record<string, number> }

export function parsePreviewJson(stdout: string): PreviewDocument {
    const start = stdout.indexOf("{");
    if (start < 0) throw new Error("the CLI printed no JSON document");
    const doc = JSON.parse(stdout.slice(start)) as { steps?: unknown; changeSummary?: unknown };
    const steps = Array.isArray(doc.steps) ? doc.steps : [];
    return {
        steps: steps.map((s) => {
            const o = (typeof s === "object" && s !== null ? s : {}) as { op?: unknown; urn?: unknown };
            return { op: String(o.op), urn: String(o.urn) };
        }),
        changeSummary: (typeof doc.changeSummary === "object" && doc.changeSummary !== null ? doc.changeSummary : {}) as Record<string, number>,
    };
}

/** `type::name` of a URN (`urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`). */
export function typeAndName(urn: string): string {
    const parts = urn.split("::");
    const chain = (parts[2] ?? "").split("$");
    return `${chain[chain.length - 1]}::${parts.slice(3).join("::")}`;
}

export interface Comparison {
    createCount: number;
    matched: number;
    onlyInEngine: string[];
    onlyInPlan: string[];
    /** Steps of this preview that are not creates (a fresh stack has only creates). */
    notCreate: string[];
}

/** The offline plan's resources against the engine's steps, by type and name. */
export function comparePreview(planResources: readonly { type: string; name: string }[], preview: PreviewDocument): Comparison {
    const plan = new Set(planResources.map((r) => `${r.type}::${r.name}`));
    const engine = new Set(preview.steps.map((s) => typeAndName(s.urn)));
    return {
        createCount: preview.changeSummary.create ?? 0,
        matched: [...plan].filter((k) => engine.has(k)).length,
        onlyInEngine: [...engine].filter((k) => !plan.has(k)).sort(),
        onlyInPlan: [...plan].filter((k) => !engine.has(k)).sort(),
        notCreate: preview.steps.filter((s) => s.op !== "create").map((s) => `${s.op} ${typeAndName(s.urn)}`),
    };
}

interface PolicyEvent { policyName: string; policyPackName: string; enforcementLevel: string; message: string; resourceUrn?: string }
interface PolicySummary { policyPackName: string; passed?: string[]; failed?: string[] }
export interface EngineEvent {
    policyEvent?: PolicyEvent;
    policyAnalyzeSummaryEvent?: PolicySummary;
    policyAnalyzeStackSummaryEvent?: PolicySummary;
    resourcePreEvent?: unknown;
    diagnosticEvent?: { message: string; severity: string };
}

/** One JSON engine event per line. */
export function parseEventLog(text: string): EngineEvent[] {
    return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as EngineEvent);
}

/** The rules that are mandatory once the policy config's enforcement levels apply. */
export function mandatoryRules(policies: readonly PackPolicy[], policyConfig: Record<string, unknown>): string[] {
    return policies.filter((p) => {
        const c = policyConfig[p.name] ?? policyConfig.all;
        const level = typeof c === "string" ? c : typeof c === "object" && c !== null && typeof (c as { enforcementLevel?: unknown }).enforcementLevel === "string"
            ? (c as { enforcementLevel: string }).enforcementLevel : p.enforcementLevel;
        return level === "mandatory";
    }).map((p) => p.name).sort();
}

export interface PolicyVerdict {
    /** The pack reported at least one summary. */
    ran: boolean;
    passed: string[];
    /** Mandatory rules that appear in no summary or event: they did not run. */
    notRun: string[];
    mandatoryViolations: string[];
    /** Rules that reported "can't run during preview" (advisory by the runtime). */
    undecided: string[];
}

export function policyVerdict(events: readonly EngineEvent[], pack: string, mandatory: readonly string[]): PolicyVerdict {
    const summaries = events.flatMap((e) => [e.policyAnalyzeSummaryEvent, e.policyAnalyzeStackSummaryEvent]).filter((s): s is PolicySummary => s?.policyPackName === pack);
    const policyEvents = events.map((e) => e.policyEvent).filter((p): p is PolicyEvent => p?.policyPackName === pack);
    const seen = new Set<string>([...summaries.flatMap((s) => [...(s.passed ?? []), ...(s.failed ?? [])]), ...policyEvents.map((p) => p.policyName)]);
    const failed = new Set(summaries.flatMap((s) => s.failed ?? []));
    const passed = [...new Set(summaries.flatMap((s) => s.passed ?? []))].filter((n) => !failed.has(n)).sort();
    return {
        ran: summaries.length > 0,
        passed,
        notRun: mandatory.filter((m) => !seen.has(m)),
        mandatoryViolations: policyEvents.filter((p) => p.enforcementLevel === "mandatory").map((p) => `${p.policyName}: ${p.message.split("\n").slice(-1)[0]}`),
        undecided: [...new Set(policyEvents.filter((p) => p.enforcementLevel === "advisory" && /can't run policy/.test(p.message)).map((p) => p.policyName))].sort(),
    };
}
