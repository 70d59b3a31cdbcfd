/**
 * Rule 6: every `helm.v3.Release` / `helm.v4.Chart` names an exact chart version (no range, not
 * empty) and a repository (`repositoryOpts.repo`, or an `oci://` chart reference).
 */
import { get, isHelm, str, subjectOf } from "./lib/k8s";
import { resourceRule } from "./lib/rule";

/** SemVer 2.0 exact version, with an optional leading `v` (charts such as cert-manager use it). */
export const EXACT_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

export const helmChartPinned = resourceRule({
    name: "helm-chart-pinned",
    displayName: "Helm charts pinned",
    description: "Every helm.v3.Release and helm.v4.Chart has an exact chart version and a repository.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set version to an exact chart version (e.g. 1.19.1, not ^1.19 or empty) and repositoryOpts.repo to the chart repository URL (or use an oci:// chart reference).",
}, [], isHelm, (r, _cfg, rep) => {
    const subject = subjectOf(r);
    const chart = str(get(r.props, "chart"));
    if (chart === undefined) {
        if (Object.keys(r.props).length === 0) rep.undecided(subject, "no inputs visible (a component whose inputs the engine did not pass)");
        else rep.violation(subject, "no chart is set", "set chart to the chart's name in its repository");
        return;
    }
    const version = str(get(r.props, "version")) ?? "";
    if (!EXACT_VERSION.test(version.trim())) {
        rep.violation(subject, version ? `chart ${chart} version "${version}" is not an exact version` : `chart ${chart} has no version (Helm would install whatever is newest)`,
            `set version to an exact release of ${chart}, e.g. "1.2.3"`);
    }
    const repo = str(get(r.props, "repositoryOpts", "repo")) ?? "";
    if (!chart.startsWith("oci://") && repo.trim() === "") {
        rep.violation(subject, `chart ${chart} has no repository (it would resolve against whatever Helm repos the machine has)`,
            `set repositoryOpts.repo to the chart's repository URL, or reference it as oci://<registry>/<path>/${chart.split("/").pop()}`);
    }
});
