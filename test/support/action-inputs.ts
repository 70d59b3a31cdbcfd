/**
 * The GitHub Actions the workflows use, each pinned to one release: the commit its tag points to
 * and the input names its `action.yml` declares at that commit.
 *
 * GitHub only warns about an input an action does not declare ("Unexpected input(s) ...") and runs
 * the step anyway, so a misspelt `policyPack:` would silently run Pulumi without the policy pack.
 * The workflow checks compare every `with:` key with these lists.
 *
 * How each entry was read (no file of the actions is copied here, only the names): the repository
 * snapshot, `git rev-parse refs/tags/<tag>^{commit}` for the SHA, then
 * `git show <sha>:action.yml` for the `inputs:` keys and which of them say `required: true`.
 * To move to a newer release, read the new tag's commit and action.yml the same way and change the
 * entry and the workflows together (the checks fail until both agree).
 */

export interface PinnedAction {
    /** owner/name as GitHub spells it. */
    repo: string;
    /** The release tag the workflows name in the comment after the SHA. */
    tag: string;
    /** The commit `tag` points to (for an annotated tag, the commit it tags). */
    sha: string;
    /** Every key under `inputs:` in action.yml at `sha`. */
    inputs: readonly string[];
    /** Inputs declared `required: true` there. */
    required: readonly string[];
}

/** Keyed by the lower-case `owner/name` a `uses:` line names (GitHub matches it case-insensitively). */
export const PINNED_ACTIONS: Readonly<Record<string, PinnedAction>> = {
    // github.com/actions/checkout, tag v7.0.1 (lightweight tag, commit of 2026-07-17), action.yml.
    "actions/checkout": {
        repo: "actions/checkout",
        tag: "v7.0.1",
        sha: "3d3c42e5aac5ba805825da76410c181273ba90b1",
        inputs: [
            "repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user",
            "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode",
            "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory",
            "github-server-url", "allow-unsafe-pr-checkout",
        ],
        required: [],
    },
    // github.com/actions/setup-node, tag v7.0.0 (lightweight tag, commit of 2026-07-13), action.yml.
    "actions/setup-node": {
        repo: "actions/setup-node",
        tag: "v7.0.0",
        sha: "820762786026740c76f36085b0efc47a31fe5020",
        inputs: [
            "node-version", "node-version-file", "architecture", "check-latest", "registry-url", "scope",
            "token", "cache", "package-manager-cache", "cache-dependency-path", "mirror", "mirror-token",
        ],
        required: [],
    },
    // github.com/actions/upload-artifact, tag v7.0.0 (lightweight tag, commit of 2026-02-25), action.yml.
    "actions/upload-artifact": {
        repo: "actions/upload-artifact",
        tag: "v7.0.0",
        sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
        inputs: [
            "name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite",
            "include-hidden-files", "archive",
        ],
        required: ["path"],
    },
    // github.com/Azure/login, tag v3.0.1 (annotated tag; the commit it tags, 2026-08-04), action.yml.
    "azure/login": {
        repo: "Azure/login",
        tag: "v3.0.1",
        sha: "f5d393ae46f8fde4be8b75f32e3fc50e654ad0ca",
        inputs: [
            "creds", "client-id", "tenant-id", "subscription-id", "enable-AzPSSession", "environment",
            "allow-no-subscriptions", "audience", "auth-type",
        ],
        required: [],
    },
    // github.com/Azure/use-kubelogin, tag v1.3 (lightweight tag, commit of 2026-04-01; the repository
    // tags releases with two numbers), action.yml.
    "azure/use-kubelogin": {
        repo: "Azure/use-kubelogin",
        tag: "v1.3",
        sha: "0ce7c36141aa27d4934872cf00b0120804c98a29",
        inputs: ["kubelogin-version", "skip-cache", "github-api-base-url"],
        required: [],
    },
    // github.com/pulumi/actions, tag v7.0.0 (lightweight tag, commit of 2026-05-01), action.yml. Its
    // src/config.ts reads these same names (policyPacks and policyPackConfigs in camelCase).
    "pulumi/actions": {
        repo: "pulumi/actions",
        tag: "v7.0.0",
        sha: "8e5e406f4007fca908480587cb9893c07090f58d",
        inputs: [
            "command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr",
            "comment-on-pr-number", "comment-on-summary", "github-token", "cloud-url", "secrets-provider",
            "parallel", "message", "config-map", "expect-no-changes", "diff", "replace", "exclude",
            "exclude-dependents", "target", "target-dependents", "policyPacks", "policyPackConfigs", "refresh",
            "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan", "suppress-outputs",
            "suppress-progress", "always-include-summary", "continue-on-error", "log-verbosity", "log-flow",
            "debug",
        ],
        required: [],
    },
};
